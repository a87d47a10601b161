import type { Database } from '../../src/durable/database.js';
import { ensureMonthlyPartitions, type MonthRange, monthRange } from '../../src/durable/partitions.js';

/** The month `offset` months from now's month (negative: the past). */
export function monthAgo(offset: number, now = new Date()): MonthRange {
  return monthRange(now.getUTCFullYear(), now.getUTCMonth() + offset);
}

/** Creates the partitions from `months` months ago up to the coming month. */
export async function ensurePartitionsSince(db: Database, months: number): Promise<void> {
  await ensureMonthlyPartitions(db, monthAgo(-months).from, months + 1);
}

/**
 * Fills one month with `missions` missions of `ticks` log rows each. The values are chosen to break
 * a careless round trip: microsecond timestamps, 64-bit seeds, big numbers and escapes in jsonb,
 * quotes and non-ASCII text, commas inside array elements.
 */
export async function fillMonth(
  db: Database,
  month: MonthRange,
  missions: number,
  ticks: number,
): Promise<void> {
  for (let m = 0; m < missions; m += 1) {
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO missions (channel_id, kind, location, difficulty, seed, content_version, length_ticks,
                             tick_interval_ms, start_snapshot, started_at)
       VALUES ('chan', 'solo', 'ruined-mall', 2, '18446744073709551615', 'v1', $1, 5000, '[]', $2)
       RETURNING id`,
      [ticks, month.from],
    );
    await db.query(
      `INSERT INTO mission_logs (mission_id, tick_index, scheduled_at, encounter_id, text, seed, modifiers,
                                 effects, logged_at)
       SELECT $1, g,
              $2::timestamptz + make_interval(days => 1 + $4::int) + g * interval '5.000123 seconds',
              'enc-' || (g % 7),
              'Ёлка "quoted" \\ back\\slash, line ' || g || E' \u2713\ttab',
              (9007199254740993::numeric * g)::text,
              ARRAY['mod-' || (g % 3), 'with,comma', 'with "quote"'],
              jsonb_build_object('hp', -g, 'big', 123456789012345678901234567890.000001::numeric,
                                 'nested', jsonb_build_array(g, E'a\\nb', NULL, 1.5e-7)),
              $2::timestamptz + make_interval(days => 2 + $4::int) + g * interval '1.000001 seconds'
         FROM generate_series(1, $3::int) AS g`,
      [rows[0]!.id, month.from, ticks, m],
    );
  }
}

/** Every row of a month exactly as Postgres renders it, in key order: the yardstick of a round trip. */
export async function snapshotMonth(db: Database, month: MonthRange): Promise<string[]> {
  return db.transaction(async (tx) => {
    await tx.exec("SET LOCAL TIME ZONE 'UTC'");
    const { rows } = await tx.query<{ line: string }>(
      `SELECT row_to_json(l)::text AS line FROM mission_logs l
        WHERE l.scheduled_at >= $1 AND l.scheduled_at < $2
        ORDER BY l.mission_id, l.tick_index, l.scheduled_at`,
      [month.from, month.to],
    );
    return rows.map((row) => row.line);
  });
}
