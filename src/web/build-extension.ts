import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateRawSync } from 'node:zlib';
import { build as viteBuild } from 'vite';
import viteConfig, { LOCAL_ONLY_PAGES } from './vite.config.js';

/*
 * `npm run build:extension`: builds the extension's pages for Twitch into dist/extension/ (never
 * dist/web/, which a running `holdout serve` serves) and packs them into dist/holdout-extension.zip,
 * the file the Twitch developer console takes as the version's assets, after checking what Twitch
 * requires: the helper script in every page, no inline script (Twitch's CSP forbids them), relative
 * asset paths, no development-token code, and a source map beside every script (reviewers read the
 * sources). The pages are the inputs of vite.config.ts, except LOCAL_ONLY_PAGES.
 *
 *   HOLDOUT_API_URL=https://api.example.com npm run build:extension   # the panel calls that API
 *   npm run build:extension -- --local     # calls its own origin: Twitch's Local Test from holdout serve
 */

const here = dirname(fileURLToPath(import.meta.url));
export const EXTENSION_DIR = join(here, '..', '..', 'dist', 'extension');
export const EXTENSION_ZIP = join(here, '..', '..', 'dist', 'holdout-extension.zip');
const HELPER = '<script src="https://extension-files.twitch.tv/helper/v1/twitch-ext.min.js"></script>';
/** What only the development-token shim contains. */
const DEV_TOKEN_CODE = '/dev/token';

/** The pages that go to Twitch, by name: every input of vite.config.ts but the local-only ones. */
export function extensionPages(): Record<string, string> {
  const input = viteConfig.build?.rollupOptions?.input as Record<string, string>;
  return Object.fromEntries(Object.entries(input).filter(([name]) => !LOCAL_ONLY_PAGES.includes(name)));
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** What Twitch would refuse in a page, in words; empty when the page is fine. */
export function pageProblems(name: string, html: string): string[] {
  const problems: string[] = [];
  if (!html.includes(HELPER)) problems.push(`${name}: the Twitch helper script tag is missing`);
  for (const tag of html.match(/<script\b[^>]*>/g) ?? []) {
    if (!/\ssrc=/.test(tag)) problems.push(`${name}: inline script ${tag}`);
  }
  for (const [, url] of html.matchAll(/\s(?:src|href)="([^"]+)"/g)) {
    if (url!.startsWith('/') && !url!.startsWith('//')) problems.push(`${name}: absolute path ${url}`);
  }
  return problems;
}

/** A zip archive (deflate, no directories entries needed) of `entries`. */
export function zip(entries: { name: string; data: Buffer }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  // 1980-01-01 00:00: fixed, so that the same files always make the same zip.
  const dosTime = 0;
  const dosDate = (0 << 9) | (1 << 5) | 1;
  for (const { name, data } of entries) {
    const nameBytes = Buffer.from(name, 'utf8');
    const packed = deflateRawSync(data, { level: 9 });
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(dosTime, 10);
    local.writeUInt16LE(dosDate, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4); // made by
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(dosTime, 12);
    central.writeUInt16LE(dosDate, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, packed);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** Why the package cannot be built as asked, or undefined; `apiUrl` is HOLDOUT_API_URL. */
export function refusal(apiUrl: string | undefined, local: boolean): string | undefined {
  if (!apiUrl) {
    return local
      ? undefined
      : 'build:extension needs HOLDOUT_API_URL, the public HTTPS origin of the Holdout API ' +
          '(e.g. HOLDOUT_API_URL=https://api.example.com): Twitch serves the pages from its own CDN, so the ' +
          'panel cannot reach the API on its own origin. For a package that calls its own origin ' +
          "(Twitch's Local Test, served by holdout serve), run `npm run build:extension -- --local`.";
  }
  let url: URL;
  try {
    url = new URL(apiUrl);
  } catch {
    return `HOLDOUT_API_URL is not a URL: ${JSON.stringify(apiUrl)}`;
  }
  if (url.protocol !== 'https:' && !local) {
    return `HOLDOUT_API_URL must be https:// (Twitch pages may only fetch over HTTPS): ${apiUrl}`;
  }
  if (url.pathname !== '/' || url.search || url.hash) {
    return `HOLDOUT_API_URL is an origin, without a path: ${url.origin} rather than ${apiUrl}`;
  }
  return undefined;
}

/** What Twitch would refuse in the built package, in words; empty when it is fine. */
export function packageProblems(files: Map<string, Buffer>, pages: string[]): string[] {
  const problems = pages.flatMap((page) => {
    const html = files.get(page);
    return html ? pageProblems(page, html.toString('utf8')) : [`${page} is not built`];
  });
  for (const [name, data] of files) {
    if (!name.endsWith('.js')) continue;
    if (data.includes(DEV_TOKEN_CODE)) problems.push(`${name}: development-token code (${DEV_TOKEN_CODE})`);
    if (!files.has(`${name}.map`)) problems.push(`${name}: no source map`);
  }
  return problems;
}

async function main(): Promise<void> {
  const local = process.argv.includes('--local');
  const apiUrl = process.env.HOLDOUT_API_URL || undefined;
  const refused = refusal(apiUrl, local);
  if (refused) {
    process.stderr.write(`${refused}\n`);
    process.exit(2);
  }
  const pages = extensionPages();
  await viteBuild({
    ...viteConfig,
    configFile: false,
    logLevel: 'warn',
    define: {
      ...viteConfig.define,
      'import.meta.env.VITE_HOLDOUT_API_URL': JSON.stringify(apiUrl ? new URL(apiUrl).origin : ''),
      'import.meta.env.VITE_HOLDOUT_EXTENSION': 'true',
    },
    build: {
      ...viteConfig.build,
      outDir: EXTENSION_DIR,
      emptyOutDir: true,
      // Source maps carry the sources: what Twitch's review asks to read.
      sourcemap: true,
      rollupOptions: { ...viteConfig.build?.rollupOptions, input: pages },
    },
  });
  const names = filesUnder(EXTENSION_DIR)
    .map((path) => relative(EXTENSION_DIR, path).split('\\').join('/'))
    .sort();
  const files = new Map(names.map((name) => [name, readFileSync(join(EXTENSION_DIR, name))]));
  const problems = packageProblems(
    files,
    Object.values(pages).map((path) => relative(here, path)),
  );
  if (problems.length > 0) {
    process.stderr.write(`The extension is not ready for Twitch:\n  ${problems.join('\n  ')}\n`);
    process.exit(1);
  }
  const archive = zip(names.map((name) => ({ name, data: files.get(name)! })));
  mkdirSync(dirname(EXTENSION_ZIP), { recursive: true });
  writeFileSync(EXTENSION_ZIP, archive);
  process.stdout.write(
    `${relative(process.cwd(), EXTENSION_ZIP)}: ${names.length} files, ${archive.length} bytes; ` +
      `pages ${Object.keys(pages).join(', ')}; API ${apiUrl ? new URL(apiUrl).origin : "the page's own origin"}\n`,
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
