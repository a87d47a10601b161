import type { Queryable } from '../durable/database.js';
import {
  type DurableLogLine,
  findMissionsToRepair,
  insertLogRows,
  type RepairLogLine,
  repairLogLinesOf,
} from '../durable/mission-logs.js';
import { loadMissionRowsWithResults, type MissionRow } from '../durable/missions.js';
import type { Content, MissionResult, MissionState, TickLog } from '../game/index.js';
import { scheduledAt } from './active-mission-record.js';
import { completeMission, MissionLogIncompleteError } from './complete-mission.js';
import { type EngineDeps, now } from './engine-deps.js';
import { logRowFor } from './log-row.js';
import { initialState } from './mission-rebuild.js';
import { missingTickInput } from './repair-choice.js';
import { replayMission, replayTick } from './replay-mission.js';

/** Ended missions are checked for gaps this far back by the periodic pass, in ms (1 hour). */
export const REPAIR_LOOKBACK_MS = 3_600_000;
/** How long an active mission's log rows are given to arrive in order before a gap counts, in ms. */
export const REPAIR_SETTLE_MS = 30_000;
/** Most missions one pass repairs; the rest wait for the next pass. */
export const REPAIR_LIMIT = 1_000;
/** Missions loaded and repaired per round trip. */
const CHUNK = 100;

export interface LogRepairOptions {
  /** Ended missions are checked if they ended within this many ms (active ones always). */
  endedWithinMs: number;
  /** An active mission's rows count once they have been in mission_logs this long, in ms (see findMissionsToRepair in durable/mission-logs.ts). */
  settleMs: number;
  /** Most missions repaired in this pass. */
  limit: number;
  /** Called between chunks: the reconciler extends its job lock there. */
  keepAlive?: () => Promise<void>;
}

export interface LogRepairReport {
  /** Missions whose missing ticks were re-derived from their seed and written, with those ticks. */
  repaired: { missionId: string; ticks: number[] }[];
  /** Missions whose durable log (complete, or completed by the repair) showed them ended: completed now. */
  completed: string[];
  /** Missions whose log contradicts its own replay: nothing written, an operator must look. */
  unrepairable: { missionId: string; reason: string }[];
}

type RepairMission = MissionRow & { result: MissionResult | null };

/**
 * What a mission's log lacks: its missing ticks re-derived by replaying the mission from its seed and
 * starting snapshot (tick by tick, through `replayTick`, exactly as `replay --verify` does), and the
 * state the complete log folds to. Refused when the log with those ticks added would still differ
 * from its replay: then the log is not only incomplete but wrong, and guessing would make it worse.
 */
export function planLogRepair(
  mission: RepairMission,
  logged: readonly DurableLogLine[],
  content: Content,
): { derived: TickLog[]; final: MissionState } | { problem: string } {
  const byTick = new Map(logged.map((line) => [line.tick_index, line]));
  const top = Math.max(0, ...byTick.keys(), mission.result?.ticks ?? 0);
  const derived: TickLog[] = [];
  let state = initialState(mission, content);
  for (let tick = 1; tick <= top && state.status === 'active'; tick++) {
    const line = byTick.get(tick);
    const eventKind = mission.event_kind ?? null;
    // A missing decision tick's input (the stance chosen) is inferred from the lines after it.
    const input = line ?? missingTickInput(state, tick, byTick, top, content, eventKind);
    const step = replayTick(state, input, content, eventKind);
    if (!line) derived.push(step.log);
    state = step.state;
  }
  const complete = [
    ...logged,
    ...derived.map((log) => ({
      tick_index: log.tick,
      encounter_id: log.encounterId,
      text: log.text,
      seed: log.seed,
      // The input a derived decision tick was given (its stance effect) is replayed as logged.
      effects: log.effects,
    })),
  ].sort((a, b) => a.tick_index - b.tick_index);
  const replay = replayMission(mission, complete, content, { complete: mission.status !== 'active' });
  const difference = replay.firstDifference;
  if (difference)
    return { problem: `the log differs from its replay at tick ${difference.tick} (${difference.field})` };
  return { derived, final: replay.final };
}

/**
 * Finds missions whose durable log has a gap and fills it with the exact rows the lost ticks wrote
 * (the rules are deterministic), with ON CONFLICT DO NOTHING so a tick that lands meanwhile is kept
 * once; then completes every mission whose now-complete log shows it ended.
 */
export async function repairMissionLogs(
  deps: EngineDeps,
  options: LogRepairOptions,
): Promise<LogRepairReport> {
  const report: LogRepairReport = { repaired: [], completed: [], unrepairable: [] };
  const at = now(deps);
  const ids = await findMissionsToRepair(deps.db, {
    endedSince: new Date(at - options.endedWithinMs),
    settledBefore: new Date(at - options.settleMs),
    limit: options.limit,
  });
  for (let i = 0; i < ids.length; i += CHUNK) {
    for (const { mission, lines } of await loadForRepair(deps.db, ids.slice(i, i + CHUNK))) {
      await repairOne(deps, mission, lines, report);
    }
    await options.keepAlive?.();
  }
  if (report.unrepairable.length > 0)
    deps.logger?.error(
      { missions: report.unrepairable },
      'mission logs that contradict their replay: not repaired',
    );
  return report;
}

async function repairOne(
  deps: EngineDeps,
  mission: RepairMission,
  lines: RepairLogLine[],
  report: LogRepairReport,
): Promise<void> {
  let plan: ReturnType<typeof planLogRepair>;
  try {
    plan = planLogRepair(mission, lines, deps.content);
  } catch (error) {
    // Content that no longer knows the mission's location or encounters, for one.
    plan = { problem: (error as Error).message };
  }
  if ('problem' in plan) {
    report.unrepairable.push({ missionId: mission.id, reason: plan.problem });
    return;
  }
  if (plan.derived.length > 0) {
    const writtenAt = now(deps);
    const schedule = { startedAt: mission.started_at.getTime(), intervalMs: mission.tick_interval_ms };
    await insertLogRows(
      deps.db,
      plan.derived.map((log) =>
        // A re-derived row is never a retreat (that is the viewer's, and only ever the last row), so
        // its scheduled time is its slot on the mission's schedule, as the lost row's was (ADR-0009).
        JSON.stringify(logRowFor(mission.id, log, scheduledAt(schedule, log.tick), writtenAt, plan.final)),
      ),
    );
    report.repaired.push({ missionId: mission.id, ticks: plan.derived.map((log) => log.tick) });
  }
  if (mission.status !== 'active' || plan.final.status === 'active') return;
  try {
    if (await completeMission(deps, mission.id, plan.final)) report.completed.push(mission.id);
  } catch (error) {
    // A concurrent writer's row we could not see yet; the next pass finds it complete.
    if (!(error instanceof MissionLogIncompleteError)) throw error;
  }
}

async function loadForRepair(
  db: Queryable,
  missionIds: readonly string[],
): Promise<{ mission: RepairMission; lines: RepairLogLine[] }[]> {
  const missions = await loadMissionRowsWithResults(db, missionIds);
  const lines = await repairLogLinesOf(db, missionIds);
  return missions.map((mission) => ({ mission, lines: lines.get(mission.id) ?? [] }));
}
