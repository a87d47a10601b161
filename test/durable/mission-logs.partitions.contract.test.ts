import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/durable/database.js';
import { migrate } from '../../src/durable/migrator.js';
import { ensureMonthlyPartitions, monthRange } from '../../src/durable/partitions.js';
import { durableBackends } from './durable-backends.js';

async function insertMission(db: Database): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO missions (channel_id, kind, location, difficulty, seed, content_version, length_ticks,
                           tick_interval_ms, start_snapshot)
     VALUES ('c1', 'solo', 'ruined-mall', 1, '42', 'v1', 10, 5000, '[]') RETURNING id`,
  );
  return rows[0]!.id;
}

function insertLog(db: Database, missionId: string, tick: number, scheduledAt: Date) {
  return db.query(
    `INSERT INTO mission_logs (mission_id, tick_index, scheduled_at, encounter_id, text, seed, modifiers, effects)
     VALUES ($1, $2, $3, 'e1', 'A line.', '7', '{}', '[]')
     ON CONFLICT DO NOTHING`,
    [missionId, tick, scheduledAt],
  );
}

describe.each(durableBackends)('mission_logs partitions on $name', ({ open }) => {
  let db: Database;
  beforeEach(async () => {
    db = await open();
    await migrate(db);
  });
  afterEach(async () => {
    await db.close();
  });

  it('create this month and the months ahead, once', async () => {
    const at = new Date(Date.UTC(2026, 10, 15));
    expect(await ensureMonthlyPartitions(db, at, 2)).toEqual([
      'mission_logs_y2026m11',
      'mission_logs_y2026m12',
      'mission_logs_y2027m01',
    ]);
    expect(await ensureMonthlyPartitions(db, at, 2)).toEqual([]);
  });

  it('accept a row for this month and turn a duplicate (mission, tick, scheduled time) into a no-op', async () => {
    await ensureMonthlyPartitions(db);
    const missionId = await insertMission(db);
    const scheduledAt = new Date();
    expect((await insertLog(db, missionId, 1, scheduledAt)).rowCount).toBe(1);
    expect((await insertLog(db, missionId, 1, scheduledAt)).rowCount).toBe(0);
    const { rows } = await db.query<{ count: string }>('SELECT count(*)::text AS count FROM mission_logs');
    expect(rows[0]!.count).toBe('1');
  });

  it('reject a duplicate with a unique violation when not told to ignore it', async () => {
    await ensureMonthlyPartitions(db);
    const missionId = await insertMission(db);
    const scheduledAt = new Date();
    await insertLog(db, missionId, 1, scheduledAt);
    await expect(
      db.query(
        `INSERT INTO mission_logs (mission_id, tick_index, scheduled_at, encounter_id, text, seed, effects)
         VALUES ($1, 1, $2, 'e1', 'again', '7', '[]')`,
        [missionId, scheduledAt],
      ),
    ).rejects.toThrow(/duplicate key|unique/i);
  });

  it('have no DEFAULT partition, so a month without a partition is refused', async () => {
    await ensureMonthlyPartitions(db);
    const missionId = await insertMission(db);
    const farFuture = monthRange(2099, 0).from;
    await expect(insertLog(db, missionId, 1, farFuture)).rejects.toThrow(/no partition/i);
  });
});
