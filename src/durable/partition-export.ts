import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { FileDigest } from './archive-manifest.js';
import type { Session } from './database.js';
import { assertPartitionName } from './partition-catalog.js';

/** Rows read per query while exporting; each batch is one short transaction. @default 5000 */
export const DEFAULT_EXPORT_BATCH_SIZE = 5_000;

export interface ExportOptions {
  /** Rows per SELECT. @default 5000 */
  batchSize?: number;
  /** Called after each batch with the rows written so far. */
  onRows?: (rowsSoFar: number) => void;
}

interface ExportedRow {
  line: string;
  mission_id: string;
  tick_index: number;
  scheduled_at: string;
}

/**
 * Streams one log table's rows, ordered by its unique key, as NDJSON lines. Keyset pagination
 * instead of COPY or a server-side cursor: it runs the same on a pg pool and on PGlite, and holds
 * no transaction open for the whole export.
 */
async function* exportLines(db: Session, table: string, options: ExportOptions): AsyncGenerator<string> {
  assertPartitionName(table);
  const batchSize = options.batchSize ?? DEFAULT_EXPORT_BATCH_SIZE;
  const columns = `row_to_json(l)::text AS line, l.mission_id::text AS mission_id, l.tick_index,
                   l.scheduled_at::text AS scheduled_at`;
  const order = 'ORDER BY l.mission_id, l.tick_index, l.scheduled_at';
  let after: ExportedRow | undefined;
  let written = 0;
  for (;;) {
    const rows = await db.transaction(async (tx) => {
      // row_to_json renders timestamps in the session's time zone: fix it so a month always
      // exports to the same bytes, whatever the server's or the role's setting.
      await tx.exec("SET LOCAL TIME ZONE 'UTC'");
      const result = after
        ? await tx.query<ExportedRow>(
            `SELECT ${columns} FROM ${table} l
              WHERE (l.mission_id, l.tick_index, l.scheduled_at) > ($1::bigint, $2::integer, $3::timestamptz)
              ${order} LIMIT $4`,
            [after.mission_id, after.tick_index, after.scheduled_at, batchSize],
          )
        : await tx.query<ExportedRow>(`SELECT ${columns} FROM ${table} l ${order} LIMIT $1`, [batchSize]);
      return result.rows;
    });
    if (rows.length === 0) return;
    written += rows.length;
    yield `${rows.map((row) => row.line).join('\n')}\n`;
    options.onRows?.(written);
    if (rows.length < batchSize) return;
    after = rows[rows.length - 1];
  }
}

/**
 * Writes every row of `table` to `partialPath` as gzipped NDJSON, then renames it to `path`: a crash
 * never leaves a complete-looking file behind. Returns the digest of the bytes written.
 */
export async function exportPartition(
  db: Session,
  table: string,
  path: string,
  partialPath: string,
  options: ExportOptions = {},
): Promise<FileDigest> {
  await mkdir(dirname(partialPath), { recursive: true });
  const hash = createHash('sha256');
  let bytes = 0;
  let rows = 0;
  const onRows = (soFar: number) => {
    rows = soFar;
    options.onRows?.(soFar);
  };
  await pipeline(
    Readable.from(exportLines(db, table, { ...options, onRows })),
    createGzip(),
    new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        bytes += chunk.length;
        done(null, chunk);
      },
    }),
    createWriteStream(partialPath),
  );
  const handle = await open(partialPath, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(partialPath, path);
  return { rows, bytes, sha256: hash.digest('hex') };
}
