import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { WEB_DIST_DIR } from '../../src/api/web-routes.js';
import {
  EXTENSION_DIR,
  EXTENSION_ZIP,
  extensionPages,
  packageProblems,
  refusal,
} from '../../src/web/build-extension.js';
import { LOCAL_ONLY_PAGES } from '../../src/web/vite.config.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The entries of a zip archive, read from its central directory. */
function unzip(archive: Buffer): Map<string, Buffer> {
  const end = archive.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = archive.readUInt16LE(end + 10);
  let at = archive.readUInt32LE(end + 16);
  const entries = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    const packedSize = archive.readUInt32LE(at + 20);
    const nameLength = archive.readUInt16LE(at + 28);
    const extraLength = archive.readUInt16LE(at + 30);
    const commentLength = archive.readUInt16LE(at + 32);
    const local = archive.readUInt32LE(at + 42);
    const name = archive.toString('utf8', at + 46, at + 46 + nameLength);
    const dataStart = local + 30 + archive.readUInt16LE(local + 26) + archive.readUInt16LE(local + 28);
    entries.set(name, inflateRawSync(archive.subarray(dataStart, dataStart + packedSize)));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

function buildExtension(env: NodeJS.ProcessEnv, args: string[] = []) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/web/build-extension.ts', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    encoding: 'utf8',
    timeout: 170_000,
  });
}

describe('npm run build:extension', () => {
  it('refuses without HOLDOUT_API_URL, or with one Twitch could not call, unless --local', () => {
    expect(refusal(undefined, false)).toMatch(/^build:extension needs HOLDOUT_API_URL/);
    expect(refusal(undefined, true)).toBeUndefined();
    expect(refusal('http://api.example.com', false)).toMatch(/must be https/);
    expect(refusal('https://api.example.com/v1', false)).toMatch(/an origin, without a path/);
    expect(refusal('https://api.example.com', false)).toBeUndefined();
    const run = buildExtension({});
    expect(run.stderr).toMatch(/^build:extension needs HOLDOUT_API_URL/);
    expect(run.status).toBe(2);
  }, 60_000);

  it('ships every page of vite.config.ts but the local-only ones', () => {
    const pages = Object.keys(extensionPages());
    expect(pages).toEqual(expect.arrayContaining(['panel', 'config', 'live-config', 'video']));
    for (const local of LOCAL_ONLY_PAGES) expect(pages).not.toContain(local);
  });

  it('finds development-token code and scripts without source maps', () => {
    const files = new Map([
      [
        'panel.html',
        Buffer.from('<script src="https://extension-files.twitch.tv/helper/v1/twitch-ext.min.js"></script>'),
      ],
      ['assets/a.js', Buffer.from('fetch("/dev/token")')],
    ]);
    expect(packageProblems(files, ['panel.html'])).toEqual([
      'assets/a.js: development-token code (/dev/token)',
      'assets/a.js: no source map',
    ]);
  });

  it('packs the pages with their sources, calling the API it was given, and leaves the served pages alone', () => {
    // What a running holdout serve serves is elsewhere: the build never writes there. (Not checked by
    // watching dist/web: the browser tests rebuild it while this runs.)
    expect(relative(WEB_DIST_DIR, EXTENSION_DIR)).toMatch(/^\.\.\//);
    expect(relative(EXTENSION_DIR, WEB_DIST_DIR)).toMatch(/^\.\.\//);
    const run = buildExtension({ HOLDOUT_API_URL: 'https://api.holdout.example' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/holdout-extension\.zip: \d+ files/);

    const entries = unzip(readFileSync(EXTENSION_ZIP));
    const names = [...entries.keys()];
    // Where Twitch expects them: at the zip's root, named in the console's paths (README).
    expect(names).toEqual(
      expect.arrayContaining(['panel.html', 'config.html', 'live-config.html', 'video.html']),
    );
    expect(names.filter((n) => /dev/.test(n))).toEqual([]);
    const scripts = names.filter((n) => n.endsWith('.js'));
    expect(scripts.length).toBeGreaterThan(0);
    const sources: string[] = [];
    for (const script of scripts) {
      const code = entries.get(script)!.toString('utf8');
      expect(code, script).not.toContain('/dev/token');
      const map = JSON.parse(entries.get(`${script}.map`)!.toString('utf8')) as {
        sources: string[];
        sourcesContent: string[];
      };
      expect(map.sourcesContent.length, script).toBe(map.sources.length);
      sources.push(...map.sources);
    }
    for (const view of ['panel/panel-app.tsx', 'live/live-app.tsx', 'video/video-app.tsx'])
      expect(
        sources.some((s) => s.endsWith(view)),
        view,
      ).toBe(true);
    const panelCode = scripts.map((s) => entries.get(s)!.toString('utf8')).join('\n');
    expect(panelCode).toContain('https://api.holdout.example');
    expect(readFileSync(join(EXTENSION_DIR, 'panel.html'), 'utf8')).toBe(
      entries.get('panel.html')!.toString('utf8'),
    );
  }, 180_000);
});
