// `node --import ./test/support/print-loaded-packages.mjs …`: when the process exits, prints to stderr
// the packages whose CommonJS modules it loaded, one line `loaded packages: a,b,…` (sorted), so a test
// can tell what a command pulled in.
import { createRequire } from 'node:module';

const cache = createRequire(import.meta.url).cache;
const PACKAGE = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//;

process.on('exit', () => {
  const packages = new Set(Object.keys(cache).flatMap((file) => PACKAGE.exec(file)?.[1] ?? []));
  process.stderr.write(`loaded packages: ${[...packages].sort().join(',')}\n`);
});
