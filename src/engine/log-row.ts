import type { MissionState, TickLog } from '../game/index.js';

/** One committed tick on its way from mission_log_outbox to mission_logs. */
export interface LogRow {
  missionId: string;
  tick: number;
  /** ms since the epoch: fixed by the mission's start (ADR-0009). */
  scheduledAt: number;
  /** ms since the epoch: when a worker ran the tick. */
  tickedAt: number;
  encounterId: string;
  text: string;
  seed: string;
  modifiers: string[];
  effects: TickLog['effects'];
  /** Present on the tick that ended the mission: the state its completion is computed from. */
  final?: MissionState;
}

export function logRowFor(
  missionId: string,
  log: TickLog,
  scheduledAt: number,
  tickedAt: number,
  state: MissionState,
): LogRow {
  const row: LogRow = {
    missionId,
    tick: log.tick,
    scheduledAt,
    tickedAt,
    encounterId: log.encounterId,
    text: log.text,
    seed: log.seed,
    modifiers: log.modifiers,
    effects: log.effects,
  };
  if (state.status !== 'active') row.final = state;
  return row;
}

export class CorruptLogRowError extends Error {
  override readonly name = 'CorruptLogRowError';
}

export function parseLogRow(json: string): LogRow {
  let row: Partial<LogRow>;
  try {
    row = JSON.parse(json) as Partial<LogRow>;
  } catch {
    throw new CorruptLogRowError('outbox entry is not JSON');
  }
  if (
    typeof row.missionId !== 'string' ||
    !Number.isInteger(row.tick) ||
    typeof row.scheduledAt !== 'number' ||
    typeof row.tickedAt !== 'number' ||
    typeof row.text !== 'string' ||
    !Array.isArray(row.effects)
  ) {
    throw new CorruptLogRowError(`outbox entry for mission ${String(row.missionId)} is incomplete`);
  }
  return row as LogRow;
}
