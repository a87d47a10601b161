import type { Queryable } from '../../src/durable/database.js';

/** What the monitor saw over a run. */
export interface MonitorReport {
  polls: number;
  /** Every moment a mission was seen ended while its durable log lacked a tick: must stay empty. */
  violations: string[];
  /** Missions seen with a gap in their log while active (a tick still on its way, or lost). */
  gapsSeen: number;
  /** Of those, missions whose final row was durable before an earlier tick: completions held back. */
  heldBack: number;
  /** Longest time one mission's log was seen with a gap, in ms. */
  longestGapMs: number;
}

// One statement, so one snapshot: a mission's status and its log rows are seen at the same instant.
const MISSION_LOGS_NOW = `
  SELECT m.id, m.status, coalesce((m.result ->> 'ticks')::int, 0) AS ticks,
         count(DISTINCT l.tick_index)::int AS logged, coalesce(max(l.tick_index), 0)::int AS top,
         coalesce(bool_or(l.effects @> '[{"t":"end"}]'::jsonb), false) AS ended_in_log
    FROM missions m LEFT JOIN mission_logs l ON l.mission_id = m.id
   GROUP BY m.id, m.status, m.result`;

/**
 * Polls Postgres while a chaos run goes (directly, not through the proxy the test cuts), so that a
 * mission completed with a gap is caught at the moment it happens, not only at the end.
 */
export function startMissionLogMonitor(db: Queryable, intervalMs = 200): { stop(): Promise<MonitorReport> } {
  const report: MonitorReport = { polls: 0, violations: [], gapsSeen: 0, heldBack: 0, longestGapMs: 0 };
  const gapSince = new Map<string, number>();
  const seenGap = new Set<string>();
  const seenHeld = new Set<string>();
  let running = true;
  const loop = (async () => {
    while (running) {
      const at = Date.now();
      const { rows } = await db.query<{
        id: string;
        status: string;
        ticks: number;
        logged: number;
        top: number;
        ended_in_log: boolean;
      }>(MISSION_LOGS_NOW);
      report.polls++;
      for (const row of rows) {
        const needed = Math.max(row.top, row.ticks);
        const gap = row.logged < needed;
        if (gap && row.status !== 'active') {
          report.violations.push(
            `${new Date(at).toISOString()} mission ${row.id} is ${row.status} with ${row.logged} of ${needed} ticks logged`,
          );
        }
        if (gap) {
          if (!gapSince.has(row.id)) gapSince.set(row.id, at);
          seenGap.add(row.id);
          if (row.ended_in_log) seenHeld.add(row.id);
        } else if (gapSince.has(row.id)) {
          report.longestGapMs = Math.max(report.longestGapMs, at - gapSince.get(row.id)!);
          gapSince.delete(row.id);
        }
      }
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      const at = Date.now();
      for (const since of gapSince.values()) report.longestGapMs = Math.max(report.longestGapMs, at - since);
      report.gapsSeen = seenGap.size;
      report.heldBack = seenHeld.size;
      return report;
    },
  };
}
