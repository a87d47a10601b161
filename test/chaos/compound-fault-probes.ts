import { OUTBOX_GROUP } from '../../src/ephemeral/redis-outbox.js';
import type { ChaosRun } from './engine-chaos-harness.js';

/**
 * Entries each flusher has read and not acknowledged (a batch Postgres did not take, a completion
 * deferred), by consumer. Empty when the outbox or its group does not exist: after FLUSHALL nothing
 * is pending until a tick is committed again and a flusher reads it.
 */
export async function pendingByFlusher(run: ChaosRun): Promise<Map<string, number>> {
  const byConsumer = new Map<string, number>();
  for (const key of outboxKeys(run)) {
    let reply: [number, string | null, string | null, [string, string][] | null];
    try {
      reply = (await run.redisClient.xpending(key, OUTBOX_GROUP)) as typeof reply;
    } catch (error) {
      if (/NOGROUP/.test((error as Error).message)) continue;
      throw error;
    }
    for (const [consumer, count] of reply[3] ?? []) {
      byConsumer.set(consumer, (byConsumer.get(consumer) ?? 0) + Number(count));
    }
  }
  return byConsumer;
}

/** mission_log_outbox of every schedule shard. */
function outboxKeys(run: ChaosRun): string[] {
  const { keys } = run.store;
  return Array.from({ length: keys.scheduleShards }, (_, shard) => keys.missionLogOutbox(shard));
}

/** The missions whose ticks `consumer` holds read and unacknowledged. */
export async function missionsHeldBy(run: ChaosRun, consumer: string): Promise<Set<string>> {
  const missions = new Set<string>();
  for (const key of outboxKeys(run)) {
    let pending: [string, string, number, number][];
    try {
      pending = (await run.redisClient.xpending(
        key,
        OUTBOX_GROUP,
        '-',
        '+',
        10_000,
        consumer,
      )) as typeof pending;
    } catch (error) {
      if (/NOGROUP/.test((error as Error).message)) continue;
      throw error;
    }
    for (const [id] of pending) {
      const [entry] = await run.redisClient.xrange(key, id, id);
      const fields = entry?.[1] ?? [];
      const row = fields[fields.indexOf('row') + 1];
      if (row) missions.add((JSON.parse(row) as { missionId: string }).missionId);
    }
  }
  return missions;
}

/** The consumer name a worker's flusher reads the outbox under (engine.ts names it after the worker). */
export const flusherOf = (workerToken: string) => `flusher-${workerToken}`;

/** Missions among `ids` whose durable log has a hole below its highest tick. */
export async function missionsWithHoles(run: ChaosRun, ids: readonly string[]): Promise<number> {
  const { rows } = await run.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (
       SELECT mission_id FROM mission_logs WHERE mission_id = ANY($1::bigint[])
        GROUP BY mission_id HAVING count(DISTINCT tick_index) < max(tick_index)) holes`,
    [ids],
  );
  return rows[0]!.n;
}

/** Missions among `ids` active in Postgres whose final row is durable while an earlier tick is not. */
export async function completionsHeldBack(run: ChaosRun, ids: readonly string[]): Promise<number> {
  const { rows } = await run.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM missions m
      WHERE m.id = ANY($1::bigint[]) AND m.status = 'active'
        AND EXISTS (SELECT 1 FROM mission_logs l WHERE l.mission_id = m.id AND l.effects @> '[{"t":"end"}]'::jsonb)
        AND (SELECT count(DISTINCT tick_index) FROM mission_logs l WHERE l.mission_id = m.id)
          < (SELECT max(tick_index) FROM mission_logs l WHERE l.mission_id = m.id)`,
    [ids],
  );
  return rows[0]!.n;
}

/** Whether every mission Postgres says is active is in Redis again. */
export async function activeMissionsInRedis(run: ChaosRun, ids: readonly string[]): Promise<boolean> {
  const { rows } = await run.db.query<{ id: string }>(
    `SELECT id FROM missions WHERE id = ANY($1::bigint[]) AND status = 'active'`,
    [ids],
  );
  const present = await run.store.activeMissionsExist(rows.map((row) => row.id));
  return present.every(Boolean);
}

/**
 * Recovered from every fault that happened before `since`: every active mission is in Redis, no
 * outbox entry committed before `since` is still waiting (a batch Postgres refused, a dead flusher's
 * batch, a deferred completion), and no mission's durable log has a hole.
 */
export async function recoveredFrom(run: ChaosRun, ids: readonly string[], since: number): Promise<boolean> {
  const oldest = await run.store.oldestOutboxEntryAt();
  if (oldest !== null && oldest < since) return false;
  if (!(await activeMissionsInRedis(run, ids))) return false;
  return (await missionsWithHoles(run, ids)) === 0;
}
