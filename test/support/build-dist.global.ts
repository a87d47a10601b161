import { buildDist } from '../../tools/build-dist.js';

/** One build per vitest run, however many of the projects that start processes are in it. */
const built = Symbol.for('holdout.distBuilt');
type WithBuild = typeof globalThis & { [built]?: Promise<void> };

/**
 * Vitest global setup of the projects that start real `holdout` processes (integration, cluster,
 * chaos, browser; vitest.config.ts): bin/holdout.js runs dist/, so dist/ is rebuilt from the sources
 * before their tests run (about a second: esbuild strips types only). The unit project starts no
 * process and skips it.
 */
export default async function setup(): Promise<void> {
  const state = globalThis as WithBuild;
  state[built] ??= buildDist().then(() => undefined);
  await state[built];
}
