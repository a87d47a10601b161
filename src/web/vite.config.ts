import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * Pages that `holdout serve` serves but Twitch never gets (the local play page, the OBS browser source): build-extension.ts leaves them out of the
 * package. Every other entry of `input` below is an extension page and goes into the zip as it is: to
 * add a view (video component, live config…), add its HTML file to `input`, and nothing else.
 */
export const LOCAL_ONLY_PAGES = ['dev', 'obs'];

/**
 * The extension's pages: panel.html, config.html, live-config.html and video.html go to Twitch; dev.html is the local play page,
 * served only with development tokens. Relative asset paths (base './'), as Twitch's CDN needs.
 */
export default defineConfig({
  root: here,
  base: './',
  plugins: [preact()],
  define: {
    // The API's origin for a build uploaded to Twitch; empty: the page's own origin.
    'import.meta.env.VITE_HOLDOUT_API_URL': JSON.stringify(process.env.HOLDOUT_API_URL ?? ''),
    // True only in the package for Twitch (build-extension.ts): the development-token shim is left out.
    'import.meta.env.VITE_HOLDOUT_EXTENSION': 'false',
  },
  build: {
    // dist/web: what `holdout serve` serves (src/api/web-routes.ts). The extension's package is built
    // elsewhere (build-extension.ts), so it never replaces the pages a running server serves.
    outDir: join(here, '..', '..', 'dist', 'web'),
    emptyOutDir: true,
    target: 'es2020',
    // No polyfill: it would be one more script, and every browser Twitch supports has modulepreload.
    modulePreload: { polyfill: false },
    rollupOptions: {
      input: {
        panel: join(here, 'panel.html'),
        config: join(here, 'config.html'),
        // Twitch's Live Config Path (the broadcaster's live dashboard).
        'live-config': join(here, 'live-config.html'),
        // Twitch's Video - Fullscreen (overlay) and Video - Component viewer paths.
        video: join(here, 'video.html'),
        // The OBS browser source (obs.html#<secret>): served by holdout, never sent to Twitch.
        obs: join(here, 'obs.html'),
        dev: join(here, 'dev.html'),
      },
    },
  },
  server: {
    // `vite --config src/web/vite.config.ts` next to `holdout serve`: the API is on 8080.
    proxy: { '/v1': 'http://127.0.0.1:8080', '/dev/token': 'http://127.0.0.1:8080' },
  },
});
