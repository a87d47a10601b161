#!/usr/bin/env node
// Runs the compiled JavaScript in dist/ (`npm run build`; `npm start` builds first): what runs in
// development, in the tests and in the image is the same code. Why: docs/adr/0013-compiled-javascript-runs.md.
import { existsSync } from 'node:fs';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('holdout: dist/ is not built: run `npm run build` first (`npm start` does it)\n');
  process.exit(1);
}
// Stack traces name the TypeScript file and line (dist/ carries source maps).
process.setSourceMapsEnabled(true);
await import(main.href);
