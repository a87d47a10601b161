import type { DurableLogLine } from '../durable/mission-logs.js';
import type { MissionRow } from '../durable/missions.js';
import { type ChannelEventKind, participantSeed } from '../game/channel-event.js';
import { EVENT_END_ENCOUNTER_ID, eventEndTick, simulateEventTick } from '../game/event-tick.js';
import {
  type Content,
  type MissionState,
  RETREAT_ENCOUNTER_ID,
  retreatTick,
  simulateTick,
  type TickEffect,
  type TickLog,
  tickInputOf,
} from '../game/index.js';
import { initialState } from './mission-rebuild.js';

export type { DurableLogLine };

export interface ReplayDifference {
  tick: number;
  field: 'missing' | 'extra' | 'encounter_id' | 'text' | 'seed' | 'tick_index' | 'goal';
  expected: string | null;
  actual: string | null;
}

export interface ReplayResult {
  /** The lines the game produces from the mission's seed and starting snapshot. */
  expected: TickLog[];
  final: MissionState;
  /** The first tick where the durable log differs, or null when it matches line for line. */
  firstDifference: ReplayDifference | null;
}

/**
 * One tick of a replay: what the game does from `state`, given the durable line for that tick if
 * there is one: the viewers' inputs are taken from the log (a retreat, the stance chosen at a choice
 * point), since they were the viewers' choices, not the game's. This is the one place inputs are folded.
 * The log repair steps through missing ticks with it too (with no line), so both follow one rule.
 */
export function replayTick(
  state: MissionState,
  logged: DurableLogLine | undefined,
  content: Content,
  /** A channel event's mission: its ticks log their contribution, and an early end is an input. */
  eventKind: ChannelEventKind | null = null,
): { state: MissionState; log: TickLog } {
  if (logged?.encounter_id === RETREAT_ENCOUNTER_ID) return retreatTick(state, content);
  // A choice point's stance is the tick's logged input; a missing line (repair) keeps the stance held.
  const input = tickInputOf(logged?.effects ?? []);
  if (eventKind === null) return simulateTick(state, content, input);
  return logged?.encounter_id === EVENT_END_ENCOUNTER_ID
    ? eventEndTick(state, eventKind)
    : simulateEventTick(state, eventKind, content, input);
}

/**
 * Re-runs a mission from its starting snapshot and seed, and compares the result with its durable
 * log. The viewers' inputs are replayed where the log shows them, by `replayTick`: a retreat (the
 * viewer's call, not the game's) and the stance chosen at each choice point (read back by tickInputOf).
 * With `complete: false` a log that stops early is not a difference (the mission is still running).
 */
export function replayMission(
  mission: MissionRow,
  logged: readonly DurableLogLine[],
  content: Content,
  options: { complete: boolean } = { complete: true },
): ReplayResult {
  let state = initialState(mission, content);
  const expected: TickLog[] = [];
  let firstDifference: ReplayDifference | null = eventSeedDifference(mission);
  for (let i = 0; state.status === 'active'; i++) {
    const actual = logged[i];
    if (!actual && !options.complete) break;
    const step = replayTick(state, actual, content, mission.event_kind ?? null);
    state = step.state;
    expected.push(step.log);
    firstDifference ??= compare(step.log, actual);
  }
  if (!firstDifference && logged.length > expected.length) {
    const extra = logged[expected.length]!;
    firstDifference = { tick: extra.tick_index, field: 'extra', expected: null, actual: extra.text };
  }
  return { expected, final: state, firstDifference };
}

/** An event mission's seed must be the one derived from its event's seed and its participant. */
function eventSeedDifference(mission: MissionRow): ReplayDifference | null {
  const userId = mission.start_snapshot.members[0]?.userId;
  if (!mission.event_seed || userId === undefined) return null;
  const derived = participantSeed(mission.event_seed, userId);
  return derived === mission.seed
    ? null
    : { tick: 0, field: 'seed', expected: derived, actual: mission.seed };
}

function goalOf(effects: readonly TickEffect[] | undefined): string | null {
  const goal = effects?.find((e) => e.t === 'goal');
  return goal && goal.t === 'goal' ? String(goal.d) : null;
}

function compare(expected: TickLog, actual: DurableLogLine | undefined): ReplayDifference | null {
  const tick = expected.tick;
  if (!actual) return { tick, field: 'missing', expected: expected.text, actual: null };
  if (actual.tick_index !== tick) {
    return { tick, field: 'tick_index', expected: String(tick), actual: String(actual.tick_index) };
  }
  if (actual.encounter_id !== expected.encounterId) {
    return { tick, field: 'encounter_id', expected: expected.encounterId, actual: actual.encounter_id };
  }
  if (actual.seed !== expected.seed)
    return { tick, field: 'seed', expected: expected.seed, actual: actual.seed };
  if (actual.text !== expected.text)
    return { tick, field: 'text', expected: expected.text, actual: actual.text };
  if (actual.effects && goalOf(actual.effects) !== goalOf(expected.effects)) {
    return { tick, field: 'goal', expected: goalOf(expected.effects), actual: goalOf(actual.effects) };
  }
  return null;
}
