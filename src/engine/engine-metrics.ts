import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { MissionLogOutbox } from '../ephemeral/ephemeral-store.js';

/** Lateness buckets in seconds: a tick on time lands in the first; past 1 s is what the SLO calls late. */
const LATENESS_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60];

/** The engine's Prometheus series; one set per process, registered on the process's registry. */
export interface EngineMetrics {
  ticks: Counter;
  tickLateness: Histogram;
  lockConflicts: Counter;
  staleCommits: Counter;
  missingMissions: Counter;
  tickFailures: Counter;
  quarantinedMissions: Counter;
  logRowsWritten: Counter;
  missionsCompleted: Counter<'status'>;
  completionsDeferred: Counter;
  reconciledMissions: Counter<'action'>;
  backpressureSkips: Counter;
}

export function createEngineMetrics(registry: Registry, store: MissionLogOutbox): EngineMetrics {
  const registers = [registry];
  new Gauge({
    name: 'holdout_outbox_depth',
    help: 'Entries in mission_log_outbox not yet written to Postgres and acknowledged',
    registers,
    async collect() {
      this.set(await store.outboxDepth());
    },
  });
  new Gauge({
    name: 'holdout_outbox_oldest_age_seconds',
    help: 'Age of the oldest entry in mission_log_outbox (0 when empty)',
    registers,
    async collect() {
      const oldest = await store.oldestOutboxEntryAt();
      this.set(oldest === null ? 0 : Math.max(0, (Date.now() - oldest) / 1000));
    },
  });
  return {
    ticks: new Counter({ name: 'holdout_ticks_total', help: 'Ticks committed to Redis', registers }),
    tickLateness: new Histogram({
      name: 'holdout_tick_lateness_seconds',
      help: 'When a tick ran minus when it was scheduled',
      buckets: LATENESS_BUCKETS,
      registers,
    }),
    lockConflicts: new Counter({
      name: 'holdout_lock_conflicts_total',
      help: 'Commits refused because the tick lock was no longer held by this worker',
      registers,
    }),
    staleCommits: new Counter({
      name: 'holdout_stale_commits_total',
      help: 'Commits refused because the stored tick index had moved on (fencing)',
      registers,
    }),
    missingMissions: new Counter({
      name: 'holdout_missing_missions_total',
      help: 'Claimed missions whose state Redis no longer held',
      registers,
    }),
    tickFailures: new Counter({
      name: 'holdout_tick_failures_total',
      help: 'Ticks that could not be simulated (corrupt or unreadable state)',
      registers,
    }),
    quarantinedMissions: new Counter({
      name: 'holdout_quarantined_missions_total',
      help: 'Mission records in Redis that could not be parsed, moved aside for the reconciler to rebuild',
      registers,
    }),
    logRowsWritten: new Counter({
      name: 'holdout_log_rows_flushed_total',
      help: 'Outbox entries written to mission_logs (including retried duplicates ignored by the unique key)',
      registers,
    }),
    missionsCompleted: new Counter({
      name: 'holdout_missions_completed_total',
      help: 'Missions whose completion transaction committed, by final status',
      labelNames: ['status'],
      registers,
    }),
    completionsDeferred: new Counter({
      name: 'holdout_completions_deferred_total',
      help: 'Final ticks written before an earlier tick of their mission: completion waited for a complete log',
      registers,
    }),
    reconciledMissions: new Counter({
      name: 'holdout_reconciled_missions_total',
      help: 'Missions the reconciler repaired, rebuilt, completed or removed',
      labelNames: ['action'],
      registers,
    }),
    backpressureSkips: new Counter({
      name: 'holdout_backpressure_skips_total',
      help: 'Worker polls that claimed nothing because the outbox was past its limit',
      registers,
    }),
  };
}
