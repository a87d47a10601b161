import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ArchiveManifest, archivePaths } from '../../src/durable/archive-manifest.js';
import type { Database } from '../../src/durable/database.js';
import { migrate } from '../../src/durable/migrator.js';
import { archivePartitions, PartitionArchiveError } from '../../src/durable/partition-archive.js';
import { findLogPartitions } from '../../src/durable/partition-catalog.js';
import { listPartitions } from '../../src/durable/partition-list.js';
import { PartitionRestoreError, restorePartition } from '../../src/durable/partition-restore.js';
import { durableBackends } from './durable-backends.js';
import { ensurePartitionsSince, fillMonth, monthAgo, snapshotMonth } from './mission-log-fixtures.js';

const MISSIONS_PER_MONTH = 3;
const TICKS_PER_MISSION = 70;
const ROWS_PER_MONTH = MISSIONS_PER_MONTH * TICKS_PER_MISSION;
// Small batches so that a month spans several export and restore queries.
const BATCH = 50;

const readManifestFile = (dir: string, partition: string) =>
  JSON.parse(readFileSync(archivePaths(dir, partition).manifest, 'utf8')) as ArchiveManifest;

describe.each(durableBackends)('partition archive life cycle on $name', ({ open }) => {
  let db: Database;
  let dir: string;
  const old = [monthAgo(-6), monthAgo(-5), monthAgo(-4)];
  const recent = monthAgo(-1);

  beforeEach(async () => {
    db = await open();
    dir = mkdtempSync(join(tmpdir(), 'holdout-archive-'));
    await migrate(db);
    await ensurePartitionsSince(db, 6);
    for (const month of [...old, recent]) await fillMonth(db, month, MISSIONS_PER_MONTH, TICKS_PER_MISSION);
  });
  afterEach(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('archives old months to verified files, drops their partitions, leaves recent data, and restores identical rows', async () => {
    const before = await Promise.all(old.map((month) => snapshotMonth(db, month)));
    const recentBefore = await snapshotMonth(db, recent);
    expect(before.map((rows) => rows.length)).toEqual([ROWS_PER_MONTH, ROWS_PER_MONTH, ROWS_PER_MONTH]);

    const archived = await archivePartitions(db, { olderThanMonths: 3, dir, batchSize: BATCH });

    expect(archived.map((a) => a.partition)).toEqual(old.map((month) => month.name));
    for (const [index, month] of old.entries()) {
      const manifest = readManifestFile(dir, month.name);
      const file = readFileSync(archivePaths(dir, month.name).data);
      expect(manifest).toMatchObject({ partition: month.name, rows: ROWS_PER_MONTH, bytes: file.length });
      expect(manifest.range).toEqual({ from: month.from.toISOString(), to: month.to.toISOString() });
      expect(manifest.verifiedAt).toEqual(expect.any(String));
      expect(createHash('sha256').update(file).digest('hex')).toBe(manifest.sha256);
      expect(gunzipSync(file).toString('utf8')).toBe(`${before[index]!.join('\n')}\n`);
    }
    const remaining = (await findLogPartitions(db)).map((p) => p.name);
    for (const month of old) expect(remaining).not.toContain(month.name);
    expect(remaining).toContain(recent.name);
    expect(await snapshotMonth(db, recent)).toEqual(recentBefore);

    const listed = await listPartitions(db, { dir });
    expect(listed.filter((p) => p.state === 'archived').map((p) => [p.partition, p.rows])).toEqual(
      old.map((month) => [month.name, ROWS_PER_MONTH]),
    );

    for (const [index, month] of old.entries()) {
      const restored = await restorePartition(
        db,
        month.name.replace(/^mission_logs_y(\d{4})m(\d{2})$/, '$1-$2'),
        {
          dir,
          batchSize: BATCH,
        },
      );
      expect(restored).toMatchObject({
        partition: month.name,
        rows: ROWS_PER_MONTH,
        inserted: ROWS_PER_MONTH,
      });
      expect(await snapshotMonth(db, month)).toEqual(before[index]);
    }
    expect((await findLogPartitions(db)).filter((p) => p.state === 'attached').map((p) => p.name)).toEqual(
      expect.arrayContaining(old.map((month) => month.name)),
    );
  });
});

// The resume logic is the same SQL on both backends; the life cycle above already runs on PGlite.
describe.each(durableBackends.filter((backend) => backend.name === 'postgres'))(
  'an interrupted partition archive on $name',
  ({ open }) => {
    let db: Database;
    let dir: string;
    const month = monthAgo(-5);
    const month2 = monthAgo(-4);
    const yyyymm = (m: { from: Date }) => m.from.toISOString().slice(0, 7);

    beforeEach(async () => {
      db = await open();
      dir = mkdtempSync(join(tmpdir(), 'holdout-archive-'));
      await migrate(db);
      await ensurePartitionsSince(db, 5);
      await fillMonth(db, month, 2, 40);
      await fillMonth(db, month2, 2, 40);
    });
    afterEach(async () => {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    });

    const crashAt = (step: string, partition: string) => (at: string, name: string) => {
      if (at === step && name === partition) throw new Error(`simulated crash before ${step}`);
    };

    it('stops at a failed step with the partition in place, then resumes from the verified export', async () => {
      const before = await snapshotMonth(db, month);
      const failed = archivePartitions(db, {
        olderThanMonths: 3,
        dir,
        beforeStep: crashAt('detach', month.name),
      });
      await expect(failed).rejects.toThrow(PartitionArchiveError);
      await expect(failed).rejects.toThrow(/detach failed: simulated crash.*still in mission_logs/);
      expect((await findLogPartitions(db)).find((p) => p.name === month.name)?.state).toBe('attached');
      expect(await snapshotMonth(db, month)).toEqual(before);
      const sha = readManifestFile(dir, month.name).sha256;

      const resumed = await archivePartitions(db, { olderThanMonths: 3, dir });
      expect(resumed.map((a) => [a.partition, a.exported])).toEqual([
        [month.name, false],
        [month2.name, true],
      ]);
      expect(readManifestFile(dir, month.name).sha256).toBe(sha);
      expect(await snapshotMonth(db, month)).toEqual([]);
    });

    it('drops a partition left detached by a run that stopped before DROP', async () => {
      await expect(
        archivePartitions(db, { olderThanMonths: 3, dir, beforeStep: crashAt('drop', month.name) }),
      ).rejects.toThrow(/drop failed/);
      expect((await findLogPartitions(db)).find((p) => p.name === month.name)?.state).toBe('detached');

      const resumed = await archivePartitions(db, { olderThanMonths: 3, dir });
      expect(resumed.map((a) => a.partition)).toEqual([month.name, month2.name]);
      expect((await findLogPartitions(db)).map((p) => p.name)).not.toContain(month.name);
      await restorePartition(db, yyyymm(month), { dir });
      expect(await snapshotMonth(db, month)).toHaveLength(80);
    });

    it('exports again when the file has no manifest or no longer matches it', async () => {
      await expect(
        archivePartitions(db, { olderThanMonths: 3, dir, beforeStep: crashAt('verify', month.name) }),
      ).rejects.toThrow(/verify failed/);
      rmSync(archivePaths(dir, month.name).manifest);
      writeFileSync(archivePaths(dir, month2.name).data, 'not gzip');
      writeFileSync(archivePaths(dir, month2.name).manifest, JSON.stringify({ nonsense: true }));

      const resumed = await archivePartitions(db, { olderThanMonths: 3, dir });
      expect(resumed.map((a) => [a.partition, a.exported, a.rows])).toEqual([
        [month.name, true, 80],
        [month2.name, true, 80],
      ]);
    });

    it('has nothing to archive when every partition is recent', async () => {
      expect(await archivePartitions(db, { olderThanMonths: 12, dir })).toEqual([]);
      expect(existsSync(archivePaths(dir, month.name).data)).toBe(false);
    });

    it('refuses to restore an archive whose file does not match its manifest, and changes nothing', async () => {
      await archivePartitions(db, { olderThanMonths: 3, dir });
      const path = archivePaths(dir, month.name).data;
      const bytes = readFileSync(path);
      bytes[bytes.length - 10] = bytes[bytes.length - 10]! ^ 0xff;
      writeFileSync(path, bytes);

      await expect(restorePartition(db, yyyymm(month), { dir })).rejects.toThrow(PartitionRestoreError);
      await expect(restorePartition(db, yyyymm(month), { dir })).rejects.toThrow(
        /SHA-256|cannot be read back/,
      );
      expect((await findLogPartitions(db)).map((p) => p.name)).not.toContain(month.name);
      await expect(restorePartition(db, '2001-01', { dir })).rejects.toThrow(/no archive of 2001-01/);
    });
  },
);
