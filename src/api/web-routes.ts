import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Config } from '../config.js';
import { PAGE_FRAME_ANCESTORS } from './security-headers.js';

/**
 * Where `npm run build:web` puts the extension's pages (vite.config.ts in src/web): dist/web, which
 * is two folders up from this module both as a source (src/api) and compiled (dist/api).
 */
export const WEB_DIST_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'web');

/** The local play page's own scripts and styles: served only where development tokens are on. */
const DEV_ASSET = /^\/dev-/;

const NOT_BUILT =
  'The Holdout panel is not built yet: run `npm run build:web` (npm start does it for you).\n';

/**
 * The extension's built pages: the panel at `/` and /panel.html, the config page at /config.html, the
 * live dashboard at /live-config.html, the video view at /video.html,
 * their hashed files under /assets/, and the local play page at `/dev` when HOLDOUT_DEV_TOKENS is on.
 * Files are looked up per request, so a rebuild needs no restart; any other path stays the API's 404.
 * Where nothing is built when the process starts (the image: Twitch's CDN serves the pages), every page
 * says how to build it, /assets/ is the API's 404, and the file server (@fastify/static, about a tenth
 * of the API's start-up) is never loaded; pages built later are served from the next start.
 */
export async function registerWebRoutes(
  app: FastifyInstance,
  config: Pick<Config, 'HOLDOUT_DEV_TOKENS'>,
  root = WEB_DIST_DIR,
): Promise<void> {
  const devPage = config.HOLDOUT_DEV_TOKENS;
  const built = existsSync(root);
  if (built) {
    const { default: fastifyStatic } = await import('@fastify/static');
    await app.register(fastifyStatic, {
      root: join(root, 'assets'),
      prefix: '/assets/',
      index: false,
      allowedPath: (path) => devPage || !DEV_ASSET.test(path),
      // Asset names carry a content hash: a name never changes content.
      immutable: true,
      maxAge: '365d',
    });
  }

  const page = (file: string) => async (_request: unknown, reply: FastifyReply) => {
    if (!built || !existsSync(join(root, file)))
      return reply.code(503).type('text/plain; charset=utf-8').send(NOT_BUILT);
    // Pages name the current assets: always re-read them. They run inside Twitch's iframe (and the
    // local play page's), so their CSP replaces the API's "load nothing, framed by nobody".
    return reply
      .header('cache-control', 'no-cache')
      .header('content-security-policy', `frame-ancestors ${PAGE_FRAME_ANCESTORS}`)
      .sendFile(file, root, { cacheControl: false });
  };
  const hidden = { schema: { hide: true } };
  app.get('/', hidden, page('panel.html'));
  app.get('/panel.html', hidden, page('panel.html'));
  app.get('/config.html', hidden, page('config.html'));
  app.get('/live-config.html', hidden, page('live-config.html'));
  app.get('/video.html', hidden, page('video.html'));
  // The OBS browser source: outside Twitch, in production too; its secret is in the URL's fragment.
  app.get('/obs.html', hidden, page('obs.html'));
  if (devPage) app.get('/dev', hidden, page('dev.html'));
}
