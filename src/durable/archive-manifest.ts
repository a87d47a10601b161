import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import type { MonthRange } from './partitions.js';

/** Identifies the file layout; a reader refuses a manifest of a format it does not know. */
export const ARCHIVE_FORMAT = 'holdout.mission_logs.ndjson.gz/1';

/**
 * What an archived month holds, written beside its data file. The checksum and count are those of
 * the file as written; verification reads the file back and must find the same.
 */
export interface ArchiveManifest {
  format: typeof ARCHIVE_FORMAT;
  /** The partition the rows came from, e.g. mission_logs_y2026m07. */
  partition: string;
  /** YYYY-MM */
  month: string;
  /** The partition's bounds, ISO 8601, `to` exclusive. */
  range: { from: string; to: string };
  /** The data file's name, in the same folder as the manifest. */
  file: string;
  /** Rows in the file: one JSON object (row_to_json) per line. */
  rows: number;
  /** Size of the gzipped file, in bytes. */
  bytes: number;
  /** SHA-256 of the gzipped file, hex. */
  sha256: string;
  /** Rows are written in this order, so one month always exports to the same bytes. */
  orderBy: string[];
  exportedAt: string;
  /** Set once the file was read back and matched; absent while an export is unverified. */
  verifiedAt?: string;
}

export interface ArchivePaths {
  dir: string;
  data: string;
  manifest: string;
  /** Where an export is written until it is complete; a leftover one is an interrupted export. */
  partial: string;
}

export function archivePaths(dir: string, partition: string): ArchivePaths {
  return {
    dir,
    data: join(dir, `${partition}.ndjson.gz`),
    manifest: join(dir, `${partition}.manifest.json`),
    partial: join(dir, `${partition}.ndjson.gz.partial`),
  };
}

/** An archive that does not match its manifest, or a manifest that cannot be read. */
export class ArchiveVerificationError extends Error {
  override readonly name = 'ArchiveVerificationError';
}

export function newManifest(
  partition: string,
  month: string,
  range: MonthRange,
  file: { rows: number; bytes: number; sha256: string },
): ArchiveManifest {
  return {
    format: ARCHIVE_FORMAT,
    partition,
    month,
    range: { from: range.from.toISOString(), to: range.to.toISOString() },
    file: `${partition}.ndjson.gz`,
    ...file,
    orderBy: ['mission_id', 'tick_index', 'scheduled_at'],
    exportedAt: new Date().toISOString(),
  };
}

/** The manifest of `partition` in `dir`, or null when there is none. */
export async function readManifest(dir: string, partition: string): Promise<ArchiveManifest | null> {
  const path = archivePaths(dir, partition).manifest;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  let manifest: ArchiveManifest;
  try {
    manifest = JSON.parse(text) as ArchiveManifest;
  } catch {
    throw new ArchiveVerificationError(`${path} is not valid JSON`);
  }
  if (manifest.format !== ARCHIVE_FORMAT || manifest.partition !== partition) {
    throw new ArchiveVerificationError(`${path} is not a ${ARCHIVE_FORMAT} manifest of ${partition}`);
  }
  return manifest;
}

/** Writes a file so that a crash leaves either the old content or the new, never half of it. */
export async function writeFileDurably(path: string, content: string): Promise<void> {
  const temporary = `${path}.tmp`;
  const handle = await open(temporary, 'w');
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, path);
}

export async function writeManifest(dir: string, manifest: ArchiveManifest): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFileDurably(
    archivePaths(dir, manifest.partition).manifest,
    `${JSON.stringify(manifest, null, 2)}\n`,
  );
}

export async function removeManifest(dir: string, partition: string): Promise<void> {
  await rm(archivePaths(dir, partition).manifest, { force: true });
}

export interface FileDigest {
  rows: number;
  bytes: number;
  sha256: string;
}

const NEWLINE = 0x0a;

/** Reads a gzipped NDJSON file back: its checksum, size and line count (gunzip also checks its CRC). */
export async function digestArchiveFile(path: string): Promise<FileDigest> {
  const hash = createHash('sha256');
  let bytes = 0;
  let rows = 0;
  await pipeline(
    createReadStream(path),
    new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        bytes += chunk.length;
        done(null, chunk);
      },
    }),
    createGunzip(),
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (let at = chunk.indexOf(NEWLINE); at !== -1; at = chunk.indexOf(NEWLINE, at + 1)) rows += 1;
        done();
      },
    }),
  );
  return { rows, bytes, sha256: hash.digest('hex') };
}

/** Throws ArchiveVerificationError unless the data file matches its manifest's count and checksum. */
export async function verifyArchive(dir: string, manifest: ArchiveManifest): Promise<void> {
  const path = join(dir, manifest.file);
  let digest: FileDigest;
  try {
    digest = await digestArchiveFile(path);
  } catch (error) {
    throw new ArchiveVerificationError(`${path} cannot be read back: ${(error as Error).message}`);
  }
  if (digest.sha256 !== manifest.sha256) {
    throw new ArchiveVerificationError(
      `${path}: SHA-256 ${digest.sha256} does not match the manifest's ${manifest.sha256}`,
    );
  }
  if (digest.rows !== manifest.rows) {
    throw new ArchiveVerificationError(`${path}: ${digest.rows} rows, the manifest says ${manifest.rows}`);
  }
}
