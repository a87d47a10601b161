import { announce } from '../channel-announcer.js';
import { type ChannelEventResult, durableEventProgress } from '../durable/channel-events.js';
import type { Queryable } from '../durable/database.js';
import {
  lockEventForFinish,
  lockSurvivorsHome,
  participantsWhoWent,
  recordEventResult,
  recordParticipantRewards,
  writeSurvivorXp,
} from '../durable/event-runs.js';
import { EVENT_RESULT_TOP, eventRewardXp } from '../game/channel-event.js';
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
    const event = await lockEventForFinish(tx, eventId);
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
    await recordParticipantRewards(
      tx,
      eventId,
      ranked.map((r) => ({ ...r, applied: applied.has(r.survivorId) })),
    );
    await recordEventResult(tx, eventId, result, endedAt);
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
  const rows = await participantsWhoWent(tx, eventId);
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
  const rows = await lockSurvivorsHome(tx, [...xpById.keys()]);
  const updates = rows.map((r) => {
    const xp = r.xp + xpById.get(r.id)!;
    const level = levelForXp(xp);
    return { id: r.id, xp, level, slots: Math.max(r.perk_slots, perkSlotsForLevel(level)) };
  });
  await writeSurvivorXp(tx, updates);
  return new Set(updates.map((u) => u.id));
}
