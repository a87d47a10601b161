import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateRawSync } from 'node:zlib';

/*
 * `npm run build:extension`: packs the built panel and config page (src/web/dist, from
 * `npm run build:web`) into the zip that the Twitch developer console takes as the extension's
 * assets, after checking what Twitch requires: the helper script in every page, no inline script
 * (Twitch's CSP forbids them), relative asset paths. The local play page stays out.
 */

const here = dirname(fileURLToPath(import.meta.url));
const DIST = join(here, 'dist');
const OUT = join(here, '..', '..', 'dist', 'holdout-extension.zip');
const PAGES = ['panel.html', 'config.html'];
const HELPER = '<script src="https://extension-files.twitch.tv/helper/v1/twitch-ext.min.js"></script>';
const DEV_ONLY = /^(dev\.html|assets\/dev-)/;

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

function main(): void {
  const files = filesUnder(DIST)
    .map((path) => relative(DIST, path).split('\\').join('/'))
    .filter((name) => !DEV_ONLY.test(name))
    .sort();
  const problems = PAGES.flatMap((page) =>
    files.includes(page)
      ? pageProblems(page, readFileSync(join(DIST, page), 'utf8'))
      : [`${page} is not built`],
  );
  if (problems.length > 0) {
    process.stderr.write(`The extension is not ready for Twitch:\n  ${problems.join('\n  ')}\n`);
    process.exit(1);
  }
  const archive = zip(files.map((name) => ({ name, data: readFileSync(join(DIST, name)) })));
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, archive);
  process.stdout.write(`${relative(process.cwd(), OUT)}: ${files.length} files, ${archive.length} bytes\n`);
  if (!process.env.HOLDOUT_API_URL) {
    process.stdout.write(
      'Note: built without HOLDOUT_API_URL, so the panel calls the API on its own origin. On Twitch, set\n' +
        "HOLDOUT_API_URL=https://your-api.example.com and add that URL to the extension's allowlist.\n",
    );
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
