import { announce } from '../channel-announcer.js';
import { type ChannelEventResult, durableEventProgress } from '../durable/channel-events.js';
import type { Queryable } from '../durable/database.js';
import { type ChannelEventKind, EVENT_RESULT_TOP, eventRewardXp } from '../game/channel-event.js';
import { levelForXp, perkSlotsForLevel } from '../game/index.js';
import { type EngineDeps, now } from './engine-deps.js';

interface Ranked {
  userId: string;
  survivorId: string;
  survivorName: string;
  contribution: number;
  rank: number;
  xp: number;
}

/**
 * Ends a running event once, from durable data only: its progress is the sum of the goal effects
 * its missions logged (never the live meter), the outcome is whether that reached the goal, and each
 * participant's reward (contribution, rank, XP) is recorded and the XP granted. Guarded by
 * status = 'running' under a row lock, so a second call (another instance, a retry) changes nothing.
 * Returns the result, or null when the event was not running.
 */
export async function finishChannelEvent(
  deps: EngineDeps,
  eventId: string,
): Promise<ChannelEventResult | null> {
  const endedAt = now(deps);
  // Read before the transaction: every mission has ended, so nothing moves the meter any more.
  const live = (await deps.store.readEventBoard(eventId, 0))?.progress ?? null;
  const finished = await deps.db.transaction(async (tx) => {
    const { rows } = await tx.query<{
      status: string;
      goal: number | null;
      channel_id: string;
      kind: ChannelEventKind;
      location: string;
      difficulty: number;
    }>(
      'SELECT status, goal, channel_id, kind, location, difficulty FROM channel_events WHERE id = $1 FOR UPDATE',
      [eventId],
    );
    const event = rows[0];
    if (event?.status !== 'running') return null;
    const goal = event.goal ?? 1;
    const { total, byUser } = await durableEventProgress(tx, eventId);
    const won = total >= goal;
    const ranked = await rankParticipants(tx, eventId, byUser, won);
    const applied = await grantXp(tx, ranked);
    const result: ChannelEventResult = {
      outcome: won ? 'succeeded' : 'failed',
      progress: total,
      goal,
      participants: ranked.length,
      top: ranked
        .slice(0, EVENT_RESULT_TOP)
        .map((r) => ({ userId: r.userId, survivorName: r.survivorName, contribution: r.contribution })),
      live,
    };
    await tx.query(
      `UPDATE event_participants p
          SET reward = jsonb_build_object('contribution', r.c, 'rank', r.k, 'xp', r.x, 'applied', r.a)
         FROM unnest($2::bigint[], $3::int[], $4::int[], $5::int[], $6::boolean[]) AS r(u, c, k, x, a)
        WHERE p.event_id = $1 AND p.user_id = r.u`,
      [
        eventId,
        ranked.map((r) => r.userId),
        ranked.map((r) => r.contribution),
        ranked.map((r) => r.rank),
        ranked.map((r) => r.xp),
        ranked.map((r) => applied.has(r.survivorId)),
      ],
    );
    await tx.query(
      `UPDATE channel_events SET status = $2, result = $3, ended_at = to_timestamp($4::float8 / 1000) WHERE id = $1`,
      [eventId, result.outcome, JSON.stringify(result), endedAt],
    );
    return { event, result, ranked };
  });
  if (!finished) return null;
  const { event, result, ranked } = finished;
  await deps.store.deleteEventBoard(eventId);
  await deps.store.deleteKeys(ranked.map((r) => deps.store.keys.viewer(r.userId)));
  deps.logger?.info(
    { eventId, outcome: result.outcome, progress: result.progress, goal: result.goal, live },
    'channel event ended',
  );
  if (live !== null && live !== result.progress) {
    deps.logger?.warn(
      { eventId, live, durable: result.progress },
      'channel event meter drifted from its log',
    );
  }
  const announcer = deps.announcer;
  if (announcer) {
    announce(deps.logger, () =>
      announcer.eventEnded({
        channelId: event.channel_id,
        eventId,
        kind: event.kind,
        location: event.location,
        difficulty: event.difficulty,
        outcome: result.outcome,
        progress: result.progress,
        goal: result.goal,
        participants: result.participants,
        top: result.top,
      }),
    );
  }
  return result;
}

/** Participants who went (they have a mission), best contribution first; ties by earlier join. */
async function rankParticipants(
  tx: Queryable,
  eventId: string,
  byUser: ReadonlyMap<string, number>,
  won: boolean,
): Promise<Ranked[]> {
  const { rows } = await tx.query<{ user_id: string; survivor_id: string; name: string }>(
    `SELECT p.user_id::text, p.survivor_id::text, s.name
       FROM event_participants p JOIN survivors s ON s.id = p.survivor_id
      WHERE p.event_id = $1 AND p.mission_id IS NOT NULL
      ORDER BY p.joined_at, p.user_id`,
    [eventId],
  );
  const entries = rows.map((r) => ({
    userId: r.user_id,
    survivorId: r.survivor_id,
    survivorName: r.name,
    contribution: byUser.get(r.user_id) ?? 0,
  }));
  // A stable sort keeps the join order among equal contributions.
  entries.sort((a, b) => b.contribution - a.contribution);
  return entries.map((e, i) => ({ ...e, rank: i + 1, xp: eventRewardXp(e.contribution, won) }));
}

/**
 * Grants the XP to survivors who are back from their event mission. One already out again (on a new
 * mission) is skipped: that mission's completion rewrites its XP from its own snapshot, so a grant now
 * would be lost; its reward is recorded with applied = false.
 */
async function grantXp(tx: Queryable, ranked: readonly Ranked[]): Promise<Set<string>> {
  const deserving = ranked.filter((r) => r.xp > 0);
  if (deserving.length === 0) return new Set();
  const xpById = new Map(deserving.map((r) => [r.survivorId, r.xp]));
  const { rows } = await tx.query<{ id: string; xp: number; perk_slots: number }>(
    `SELECT id::text, xp, perk_slots FROM survivors
      WHERE id = ANY($1::bigint[]) AND state IN ('idle', 'recovering') ORDER BY id FOR UPDATE`,
    [[...xpById.keys()]],
  );
  const updates = rows.map((r) => {
    const xp = r.xp + xpById.get(r.id)!;
    const level = levelForXp(xp);
    return { id: r.id, xp, level, slots: Math.max(r.perk_slots, perkSlotsForLevel(level)) };
  });
  await tx.query(
    `UPDATE survivors s SET xp = u.xp, level = u.level, perk_slots = u.slots
       FROM unnest($1::bigint[], $2::int[], $3::int[], $4::int[]) AS u(id, xp, level, slots)
      WHERE s.id = u.id`,
    [
      updates.map((u) => u.id),
      updates.map((u) => u.xp),
      updates.map((u) => u.level),
      updates.map((u) => u.slots),
    ],
  );
  return new Set(updates.map((u) => u.id));
}
