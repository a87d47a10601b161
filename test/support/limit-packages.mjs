// `node --import ./test/support/limit-packages.mjs …`: runs a process as if only some packages were
// installed: the production dependencies (`npm ci --omit=dev --omit=optional`, as in the image), or
// the comma-separated list in LIMIT_PACKAGES. Importing any other package fails with ERR_MODULE_NOT_FOUND.
import { register } from 'node:module';

register('./limit-packages-hooks.mjs', import.meta.url);
