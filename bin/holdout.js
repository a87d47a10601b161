#!/usr/bin/env node
// Runs the compiled JavaScript in dist/ (`npm run build`; `npm start` builds first): what runs in
// development, in the tests and in the image is the same code. Why: docs/adr/0013-compiled-javascript-runs.md.
import { existsSync } from 'node:fs';
import module from 'node:module';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('holdout: dist/ is not built: run `npm run build` first (`npm start` does it)\n');
  process.exit(1);
}
// Node 22.1+ keeps the compiled code of every module it loads (in <tmpdir>/node-compile-cache, or
// NODE_COMPILE_CACHE; NODE_DISABLE_COMPILE_CACHE=1 turns it off), so later starts skip compiling:
// a faster restart after a crash (docs/benchmarks.md). Node 20 has no such cache.
module.enableCompileCache?.();
// Stack traces name the TypeScript file and line (dist/ carries source maps).
process.setSourceMapsEnabled(true);
await import(main.href);
