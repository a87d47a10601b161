import type { ChannelEventKind } from '../game/channel-event.js';
import {
  type KeyMoment,
  keyMoment,
  type MissionResult,
  type MissionState,
  shownTags,
  type TickLog,
  tickInputOf,
} from '../game/index.js';

/**
 * Log lines kept in the record for polling panels, which poll just after each tick; a panel that
 * missed more reads them from Postgres. Every line here is copied on every tick: keep it small.
 */
export const RECENT_LINES_KEPT = 2;

export interface MissionMember {
  userId: string;
  survivorId: string;
}

/** A channel event's mission: which event, of what kind, and whose part of it. */
export interface MissionEvent {
  id: string;
  kind: ChannelEventKind;
  /** The participant (internal user id). */
  userId: string;
}

export interface RecentLine {
  tick: number;
  text: string;
  /** When the tick ran, ms since the epoch. */
  at: number;
  /** Perks, statuses, weather and time of day that acted on this line ("perk:night-owl"). */
  tags?: string[];
  /** A death, a down, a revive or a big find: the panel makes it stand out. */
  mark?: KeyMoment;
  /** The stance this tick applied, at a choice point (its logged input). */
  choice?: string;
}

/** The line a panel shows for a logged tick. */
export function recentLine(
  log: Pick<TickLog, 'tick' | 'text' | 'modifiers' | 'effects'>,
  at: number,
): RecentLine {
  const line: RecentLine = { tick: log.tick, text: log.text, at };
  const tags = shownTags(log.modifiers);
  if (tags.length > 0) line.tags = tags;
  const mark = keyMoment(log.effects);
  if (mark) line.mark = mark;
  const { stance } = tickInputOf(log.effects);
  if (stance) line.choice = stance;
  return line;
}

/** The JSON kept at `active_mission:{id}`: everything a worker needs to tick and a panel to poll. */
export interface ActiveMissionRecord {
  /** Ticks completed; always equal to state.tick. First in the JSON: commit-ticks.lua reads it there. */
  tick: number;
  id: string;
  channelId: string;
  kind: 'solo' | 'group';
  /** ms since the epoch; tick N is scheduled at startedAt + N × intervalMs (ADR-0009). */
  startedAt: number;
  intervalMs: number;
  /** When the next tick is due (ms), or null once the mission has ended. */
  nextTickAt: number | null;
  members: MissionMember[];
  state: MissionState;
  recent: RecentLine[];
  /** Present on a channel event's mission: its ticks advance the event's shared goal. */
  event?: MissionEvent;
  /** Set once the completion is durable; the record then expires shortly after. */
  result?: MissionResult;
}

/** When tick `tick` of a mission is scheduled, in ms: fixed by the start, the same on every retry. */
export function scheduledAt(
  record: Pick<ActiveMissionRecord, 'startedAt' | 'intervalMs'>,
  tick: number,
): number {
  return record.startedAt + tick * record.intervalMs;
}

export function serializeRecord(record: ActiveMissionRecord): string {
  // A record parsed from Redis and advanced keeps "tick" first already; only rebuild one that does not.
  for (const first in record) {
    if (first === 'tick') return JSON.stringify(record);
    break;
  }
  const { tick, ...rest } = record;
  return JSON.stringify({ tick, ...rest });
}

export class CorruptMissionRecordError extends Error {
  override readonly name = 'CorruptMissionRecordError';
}

export function parseActiveMissionRecord(json: string): ActiveMissionRecord {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new CorruptMissionRecordError('active mission record is not JSON');
  }
  const record = parsed as Partial<ActiveMissionRecord> | null;
  if (
    !record ||
    typeof record.tick !== 'number' ||
    typeof record.id !== 'string' ||
    typeof record.startedAt !== 'number' ||
    typeof record.intervalMs !== 'number' ||
    !record.state ||
    record.state.tick !== record.tick ||
    !Array.isArray(record.members)
  ) {
    throw new CorruptMissionRecordError(`active mission record ${String(record?.id)} is incomplete`);
  }
  return record as ActiveMissionRecord;
}

/** The record after `log` was applied: the new state, the next due time, the latest lines. */
export function advanceRecord(
  record: ActiveMissionRecord,
  state: MissionState,
  log: TickLog,
  tickedAt: number,
): ActiveMissionRecord {
  const recent = [...record.recent, recentLine(log, tickedAt)].slice(-RECENT_LINES_KEPT);
  return {
    ...record,
    tick: state.tick,
    state,
    recent,
    nextTickAt: state.status === 'active' ? scheduledAt(record, state.tick + 1) : null,
  };
}
