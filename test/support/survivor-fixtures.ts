import type { Queryable } from '../../src/durable/database.js';
import type { MissionMember } from '../../src/engine/active-mission-record.js';
import { createSurvivor } from '../../src/game/index.js';

/** Creates `count` users with one idle survivor each, straight in Postgres. */
export async function createUsersWithSurvivors(
  db: Queryable,
  count: number,
  label = 'u',
): Promise<MissionMember[]> {
  const { rows: users } = await db.query<{ id: string }>(
    `INSERT INTO users (opaque_user_id)
     SELECT $1 || '-' || g || '-' || md5(random()::text) FROM generate_series(1, $2::int) AS g RETURNING id`,
    [`U${label}`, count],
  );
  const survivors = users.map((user, i) => ({
    user,
    survivor: createSurvivor({ id: '0', name: `Runner ${i + 1}`, seed: `${label}-${i}` }),
  }));
  const { rows } = await db.query<{ id: string; user_id: string }>(
    `INSERT INTO survivors (user_id, name, attributes, health, max_health, stamina, max_stamina, level, xp, perk_slots, perks)
     SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(user_id bigint, name text, attributes jsonb, health int,
            max_health int, stamina int, max_stamina int, level int, xp int, perk_slots smallint, perks text[])
     RETURNING id, user_id`,
    [
      JSON.stringify(
        survivors.map(({ user, survivor }) => ({
          user_id: user.id,
          name: survivor.name,
          attributes: survivor.attributes,
          health: survivor.health,
          max_health: survivor.maxHealth,
          stamina: survivor.stamina,
          max_stamina: survivor.maxStamina,
          level: survivor.level,
          xp: survivor.xp,
          perk_slots: survivor.perkSlots,
          perks: survivor.perks,
        })),
      ),
    ],
  );
  return rows.map((row) => ({ userId: row.user_id, survivorId: row.id }));
}
