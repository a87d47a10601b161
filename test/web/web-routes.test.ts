import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerWebRoutes } from '../../src/api/web-routes.js';

/** A built front end in miniature: the pages and one asset of each kind. */
function fakeDist(): string {
  const root = mkdtempSync(join(tmpdir(), 'holdout-web-'));
  mkdirSync(join(root, 'assets'));
  for (const page of ['panel', 'config', 'live-config', 'video', 'obs', 'dev'])
    writeFileSync(join(root, `${page}.html`), `<p>${page}</p>`);
  writeFileSync(join(root, 'assets', 'panel-abc123.js'), 'console.log("panel")');
  writeFileSync(join(root, 'assets', 'dev-abc123.js'), 'console.log("dev")');
  return root;
}

async function appWith(devTokens: boolean, root: string) {
  const app = Fastify();
  await registerWebRoutes(app, { HOLDOUT_DEV_TOKENS: devTokens }, root);
  return app;
}

describe('the web routes', () => {
  let root: string;
  beforeAll(() => {
    root = fakeDist();
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('serve the panel at /, the config page, and hashed assets cached for good', async () => {
    const app = await appWith(true, root);
    expect((await app.inject('/')).body).toBe('<p>panel</p>');
    expect((await app.inject('/config.html')).body).toBe('<p>config</p>');
    expect((await app.inject('/live-config.html')).body).toBe('<p>live-config</p>');
    expect((await app.inject('/video.html')).body).toBe('<p>video</p>');
    expect((await app.inject('/obs.html')).body).toBe('<p>obs</p>');
    const asset = await app.inject('/assets/panel-abc123.js');
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toContain('immutable');
    expect((await app.inject('/')).headers['cache-control']).toBe('no-cache');
    // Pages run inside Twitch's iframe and the local play page's: framed by those, not by anyone.
    expect((await app.inject('/')).headers['content-security-policy']).toBe(
      "frame-ancestors 'self' https://*.twitch.tv https://*.ext-twitch.tv",
    );
    expect((await app.inject('/dev')).body).toBe('<p>dev</p>');
    await app.close();
  });

  it('keep the local play page and its files out when development tokens are off', async () => {
    const app = await appWith(false, root);
    expect((await app.inject('/dev')).statusCode).toBe(404);
    expect((await app.inject('/dev.html')).statusCode).toBe(404);
    expect((await app.inject('/assets/dev-abc123.js')).statusCode).toBe(404);
    expect((await app.inject('/assets/panel-abc123.js')).statusCode).toBe(200);
    // The OBS browser source is no development tool: it is served in production too.
    expect((await app.inject('/obs.html')).statusCode).toBe(200);
    await app.close();
  });

  it('say how to build the panel when it is not built, without loading the file server', async () => {
    const app = await appWith(true, join(root, 'missing'));
    const response = await app.inject('/');
    expect(response.statusCode).toBe(503);
    expect(response.body).toContain('npm run build:web');
    expect((await app.inject('/assets/panel-abc123.js')).statusCode).toBe(404);
    // The image has no pages: its API never loads @fastify/static (its reply.sendFile).
    expect(app.hasReplyDecorator('sendFile')).toBe(false);
    await app.close();
  });
});
