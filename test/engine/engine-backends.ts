import { loadContent } from '../../src/content/index.js';
import type { Database } from '../../src/durable/database.js';
import { migrate } from '../../src/durable/migrator.js';
import { ensureMonthlyPartitions } from '../../src/durable/partitions.js';
import { PgliteDatabase } from '../../src/durable/pglite-database.js';
import type { EngineDeps } from '../../src/engine/engine-deps.js';
import type { EphemeralStore } from '../../src/ephemeral/ephemeral-store.js';
import { RedisStore } from '../../src/ephemeral/redis-store.js';
import { TestMemoryStore } from '../support/ephemeral-test-access.js';
import { deleteKeysWithPrefix, openTestPgDatabase, TEST_REDIS_URL, uniqueName } from '../support/services.js';

export interface EngineFixture {
  deps: EngineDeps;
  db: Database;
  store: EphemeralStore;
  /** Drops everything Redis holds for this fixture, as a FLUSHALL would. */
  loseRedisData(): Promise<void>;
  dispose(): Promise<void>;
}

async function prepare(db: Database): Promise<void> {
  await migrate(db);
  await ensureMonthlyPartitions(db);
}

/** The engine on each pair of stores it runs on: real Postgres + Redis, and the embedded mode. */
export const engineBackends: { name: string; open(tickIntervalMs: number): Promise<EngineFixture> }[] = [
  {
    name: 'Postgres + Redis',
    async open(tickIntervalMs) {
      const db = await openTestPgDatabase();
      await prepare(db);
      const prefix = `${uniqueName('engine')}:`;
      const store = new RedisStore({ url: TEST_REDIS_URL, keyPrefix: prefix });
      return {
        db,
        store,
        deps: { db, store, content: loadContent(), tickIntervalMs },
        loseRedisData: () => deleteKeysWithPrefix(prefix),
        async dispose() {
          await store.close();
          await deleteKeysWithPrefix(prefix);
          await db.close();
        },
      };
    },
  },
  {
    name: 'PGlite + in-process store',
    async open(tickIntervalMs) {
      const db = await PgliteDatabase.open(undefined);
      await prepare(db);
      let store = new TestMemoryStore();
      const deps: EngineDeps = { db, store, content: loadContent(), tickIntervalMs };
      return {
        db,
        get store() {
          return deps.store;
        },
        deps,
        async loseRedisData() {
          store = new TestMemoryStore();
          deps.store = store;
        },
        dispose: () => db.close(),
      };
    },
  },
];
