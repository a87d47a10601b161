import { defineConfig } from 'vitest/config';

/**
 * Unit tests touch no Postgres, no Redis, no process and no browser: pure rules, parsing, in-process
 * HTTP. A file that is one goes here by name; every file not named by a project below is integration.
 * The unit project's setup file refuses connections to Postgres and Redis and spawned processes, so a
 * file listed here by mistake fails at once.
 */
const UNIT = [
  'test/game/**/*.test.ts',
  'test/config/**/*.test.ts',
  'test/docs/**/*.test.ts',
  'test/architecture/**/*.test.ts',
  'test/engine/viewer-roster.layout.test.ts',
  'test/ops/redis-acl.key-families.test.ts',
  'test/twitch/helix-client.retries.test.ts',
  'test/web/catalog-refresh.test.ts',
  'test/web/mission-logs.test.ts',
  'test/web/poll-scheduler.test.ts',
  'test/web/web-routes.test.ts',
];
/** Real `holdout worker` processes killed, frozen and cut off from their stores (docs/operations.md). */
const CHAOS = ['test/chaos/**/*.test.ts'];
/** Chromium (playwright-core, /usr/bin/chromium) against a real `holdout serve`. */
const BROWSER = ['test/web/**/*.in-browser.test.ts'];
/** A real Redis Cluster started on spare ports (issue 18); the folder may be empty. */
const CLUSTER = ['test/cluster/**/*.test.ts'];

// Spawned `holdout` processes run the compiled dist/: the projects that start them rebuild it first.
const BUILDS_DIST = ['test/support/build-dist.global.ts'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: UNIT,
          setupFiles: ['test/support/unit-isolation.setup.ts'],
          // Pure tests share one module graph per worker thread: most of a fork-per-file run was imports.
          pool: 'threads',
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          exclude: [...UNIT, ...CHAOS, ...BROWSER, ...CLUSTER, '**/node_modules/**'],
          globalSetup: BUILDS_DIST,
        },
      },
      {
        extends: true,
        // One cluster at a time: each file starts six redis-servers and its workers (a shared machine).
        test: { name: 'cluster', include: CLUSTER, globalSetup: BUILDS_DIST, fileParallelism: false },
      },
      { extends: true, test: { name: 'chaos', include: CHAOS, globalSetup: BUILDS_DIST } },
      { extends: true, test: { name: 'browser', include: BROWSER, globalSetup: BUILDS_DIST } },
    ],
  },
});
