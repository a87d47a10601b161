import { copyFileSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/*
 * `npm run build`: the server's JavaScript in dist/, one file per source file, next to every file the
 * server reads at run time (migrations, Lua scripts, content JSON: whatever is under src/ and is not
 * TypeScript). esbuild only strips types (the sources are written for it: isolatedModules,
 * verbatimModuleSyntax); `npm run check` is where the types are checked. Why: docs/adr/0013.
 * The browser code (src/web) is built by vite into dist/web (`npm run build:web`), which this leaves alone.
 */

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = join(ROOT, 'src');
export const DIST = join(ROOT, 'dist');
/** What other builds put in dist/: the pages (vite) and the extension's package. */
const NOT_OURS = new Set(['web', 'extension', 'holdout-extension.zip']);
/** Browser code: vite's, not the server's. */
const BROWSER = join(SRC, 'web');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (path === BROWSER) return [];
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

export interface BuiltDist {
  modules: number;
  assets: number;
  ms: number;
}

/** Replaces the server part of dist/ with a fresh build of src/. */
export async function buildDist(): Promise<BuiltDist> {
  const started = performance.now();
  mkdirSync(DIST, { recursive: true });
  for (const name of readdirSync(DIST)) {
    if (!NOT_OURS.has(name)) rmSync(join(DIST, name), { recursive: true, force: true });
  }
  const files = filesUnder(SRC);
  const modules = files.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'));
  const assets = files.filter((file) => !file.endsWith('.ts'));
  await build({
    entryPoints: modules,
    outbase: SRC,
    outdir: DIST,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    // Stack traces name the TypeScript line (bin/holdout.js turns source maps on).
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  for (const asset of assets) {
    const target = join(DIST, relative(SRC, asset));
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(asset, target);
  }
  return { modules: modules.length, assets: assets.length, ms: Math.round(performance.now() - started) };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const built = await buildDist();
  process.stdout.write(
    `dist/: ${built.modules} modules and ${built.assets} assets in ${built.ms} ms (node bin/holdout.js runs it)\n`,
  );
}
