// Module hooks for limit-packages.mjs (they run on a thread of their own; the environment is shared).
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';

const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
const allowed = new Set(
  process.env.LIMIT_PACKAGES !== undefined
    ? process.env.LIMIT_PACKAGES.split(',').filter(Boolean)
    : Object.keys(manifest.dependencies),
);
const builtins = new Set(builtinModules);

function packageOf(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

export async function resolve(specifier, context, next) {
  const bare = !/^(\.|\/|node:|file:|data:)/.test(specifier) && !builtins.has(specifier);
  // Only what Holdout itself imports: installed packages resolve their own dependencies.
  const fromHoldout = !context.parentURL?.includes('/node_modules/');
  if (bare && fromHoldout && !allowed.has(packageOf(specifier))) {
    const error = new Error(`Cannot find package '${specifier}' (not installed in this test)`);
    error.code = 'ERR_MODULE_NOT_FOUND';
    throw error;
  }
  return next(specifier, context);
}
