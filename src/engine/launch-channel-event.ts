import { announce } from '../channel-announcer.js';
import type { Queryable } from '../durable/database.js';
import {
  eventSignups,
  type LaunchingEvent,
  linkParticipantMissions,
  lockEventForLaunch,
  markEventRunning,
} from '../durable/event-runs.js';
import { insertEventMissions } from '../durable/missions.js';
import { sendSurvivorsOnMission } from '../durable/survivor-missions.js';
import { lockSurvivors } from '../durable/survivors.js';
import { type ChannelEventKind, eventGoal, participantSeed } from '../game/channel-event.js';
import {
  type MissionState,
  type Survivor,
  startMission as startGameMission,
  wakeIfRecovered,
} from '../game/index.js';
import {
  type ActiveMissionRecord,
  type MissionMember,
  scheduledAt,
  serializeRecord,
} from './active-mission-record.js';
import { EVENT_RUNNING } from './channel-event-status.js';
import { type EngineDeps, now } from './engine-deps.js';
import { finishChannelEvent } from './finish-channel-event.js';
import { survivorOf } from './start-mission.js';

/** Missions written to Redis per round of a launch. */
const RESTORE_CHUNK = 1_000;

type EventRow = LaunchingEvent;

/** One participant's mission as the launch creates it. */
interface Launched {
  missionId: string;
  member: MissionMember;
  startedAt: number;
  state: MissionState;
}

/**
 * Closes an event's sign-up and starts it: one Postgres transaction creates a mission for each
 * participant whose survivor is free (seeded from the event's seed and the viewer's id, linked by
 * missions.event_id), fixes the shared goal from their number and marks the event running; then the
 * live meter and the missions are written to Redis. Starts are spread over one tick interval so that
 * ten thousand missions do not all come due in the same millisecond. If the process dies after the
 * transaction, the reconciler writes what Redis lacks (meter first, then missions).
 * Returns false when the event was not in sign-up (another instance launched or cancelled it).
 */
export async function launchChannelEvent(deps: EngineDeps, eventId: string): Promise<boolean> {
  const launchedAt = now(deps);
  const outcome = await deps.db.transaction(async (tx) => {
    const event = await lockEventForLaunch(tx, eventId);
    if (event?.status !== 'signup') return null;
    const launched = await createMissions(tx, deps, event, launchedAt);
    const goal = eventGoal(event.kind, event.difficulty, launched.length);
    await markEventRunning(tx, eventId, goal, launchedAt);
    return { event, launched, goal };
  });
  if (!outcome) return false;
  const { event, launched, goal } = outcome;
  if (launched.length === 0) {
    // Nobody could go: the event ends at once, failed, with an empty board.
    await finishChannelEvent(deps, eventId);
    return true;
  }

  await deps.store.restoreEventBoard(eventId, {
    progress: 0,
    goal,
    status: EVENT_RUNNING,
    top: [],
    highlights: [],
  });
  for (let i = 0; i < launched.length; i += RESTORE_CHUNK) {
    await Promise.all(
      launched.slice(i, i + RESTORE_CHUNK).map((l) => {
        const record = eventMissionRecord(event, l);
        return deps.store.restoreActiveMission(l.missionId, serializeRecord(record), record.nextTickAt!);
      }),
    );
  }
  await deps.store.deleteKeys(launched.map((l) => deps.store.keys.viewer(l.member.userId)));
  deps.logger?.info({ eventId, participants: launched.length, goal }, 'channel event started');
  const announcer = deps.announcer;
  if (announcer) {
    announce(deps.logger, () =>
      announcer.eventProgress({
        channelId: event.channel_id,
        eventId,
        kind: event.kind,
        location: event.location,
        difficulty: event.difficulty,
        progress: 0,
        goal,
        participants: launched.length,
        endsAt: launchedAt + (event.length_ticks + 1) * event.tick_interval_ms,
      }),
    );
  }
  return true;
}

function eventMissionRecord(event: EventRow, l: Launched): ActiveMissionRecord {
  const record: ActiveMissionRecord = {
    tick: 0,
    id: l.missionId,
    channelId: event.channel_id,
    kind: 'solo',
    startedAt: l.startedAt,
    intervalMs: event.tick_interval_ms,
    nextTickAt: null,
    members: [l.member],
    state: l.state,
    recent: [],
    event: { id: event.id, kind: event.kind, userId: l.member.userId },
  };
  record.nextTickAt = scheduledAt(record, 1);
  return record;
}

async function createMissions(
  tx: Queryable,
  deps: EngineDeps,
  event: EventRow,
  launchedAt: number,
): Promise<Launched[]> {
  const joined = await eventSignups(tx, event.id);
  const survivors = new Map(
    (
      await lockSurvivors(
        tx,
        joined.map((p) => p.survivor_id),
      )
    ).map((s) => [s.id, s]),
  );
  // Only survivors free right now go; one on a mission, in a lobby or fallen since sign-up stays home.
  const going: { member: MissionMember; survivor: Survivor }[] = [];
  for (const p of joined) {
    const row = survivors.get(p.survivor_id);
    if (!row || row.userId !== p.user_id || row.retiredAt !== null) continue;
    // A survivor whose recovery is over goes healed and rested, as the wake-up would have left it.
    const survivor = wakeIfRecovered(survivorOf(row), launchedAt);
    if (survivor.state !== 'idle') continue;
    going.push({ member: { userId: p.user_id, survivorId: p.survivor_id }, survivor });
  }
  if (going.length === 0) return [];

  const planned = going.map((g, i) => {
    const seed = participantSeed(event.seed, g.member.userId);
    const initial = startGameMission(
      { party: [g.survivor], location: event.location, difficulty: event.difficulty, seed },
      deps.content,
    );
    const state = { ...initial, length: event.length_ticks };
    const startedAt = launchedAt + Math.floor((i * event.tick_interval_ms) / going.length);
    const snapshot = { party: [g.survivor], members: [g.member], length: state.length };
    return { ...g, seed, state, startedAt, snapshot };
  });
  const missionBySeed = await insertEventMissions(
    tx,
    {
      id: event.id,
      channelId: event.channel_id,
      location: event.location,
      difficulty: event.difficulty,
      lengthTicks: event.length_ticks,
      tickIntervalMs: event.tick_interval_ms,
      contentVersion: deps.content.version,
      launchedAt,
    },
    planned.map((p) => ({ seed: p.seed, snapshot: p.snapshot, startedAt: p.startedAt, member: p.member })),
  );
  const launched = planned.map((p) => ({
    missionId: missionBySeed.get(p.seed)!,
    member: p.member,
    startedAt: p.startedAt,
    state: p.state,
  }));
  const survivorIds = launched.map((l) => l.member.survivorId);
  await linkParticipantMissions(
    tx,
    event.id,
    launched.map((l) => ({ userId: l.member.userId, missionId: l.missionId })),
  );
  await sendSurvivorsOnMission(tx, survivorIds);
  return launched;
}

/** The record of an event mission rebuilt by the reconciler (the same shape the launch writes). */
export function eventOf(
  eventId: string | null,
  kind: ChannelEventKind | null,
  members: readonly MissionMember[],
): ActiveMissionRecord['event'] {
  if (eventId === null || kind === null || !members[0]) return undefined;
  return { id: eventId, kind, userId: members[0].userId };
}
