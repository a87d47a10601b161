import { buildDist } from '../../tools/build-dist.js';

/**
 * Vitest global setup: the tests start real `holdout` processes, and bin/holdout.js runs dist/, so
 * dist/ is rebuilt from the sources before any test runs (about a second: esbuild strips types only).
 */
export default async function setup(): Promise<void> {
  await buildDist();
}
