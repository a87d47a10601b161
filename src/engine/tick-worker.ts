import { randomUUID } from 'node:crypto';
import { type ChannelChanges, missionChanged } from '../ephemeral/broadcast-queue.js';
import type { TickCommit } from '../ephemeral/ephemeral-store.js';
import { eventEndTick, isEventHighlight, simulateEventTick } from '../game/event-tick.js';
import { simulateTick, type TickInput } from '../game/index.js';
import {
  type ActiveMissionRecord,
  advanceRecord,
  CorruptMissionRecordError,
  parseActiveMissionRecord,
  scheduledAt,
  serializeRecord,
} from './active-mission-record.js';
import { EVENT_ENDING } from './channel-event-status.js';
import { tickInputsFor } from './choice-inputs.js';
import {
  DEFAULT_LOCK_TTL_MS,
  DEFAULT_OUTBOX_MAX_DEPTH,
  DEFAULT_WORKER_BATCH_SIZE,
  DEFAULT_WORKER_POLL_MS,
} from './engine-defaults.js';
import { type EngineDeps, now } from './engine-deps.js';
import { logRowFor } from './log-row.js';
import { quarantineMission } from './quarantine-mission.js';

export interface TickWorkerOptions {
  /** How long a worker waits between polls when nothing is due, in ms (±25% jitter). @default 150 */
  pollIntervalMs: number;
  /** Most missions claimed and ticked per poll. @default 1000 */
  batchSize: number;
  /** How long a claimed mission stays locked, in ms. Longer than the slowest batch. @default 5000 */
  lockTtlMs: number;
  /** Outbox depth past which the worker stops claiming until the flushers catch up. @default 1200000 */
  outboxMaxDepth: number;
  /** Chaos testing only: a pause between simulating and committing, in ms, to widen that window. @default 0 */
  faultCommitDelayMs?: number;
}

export const DEFAULT_TICK_WORKER_OPTIONS: TickWorkerOptions = {
  pollIntervalMs: DEFAULT_WORKER_POLL_MS,
  batchSize: DEFAULT_WORKER_BATCH_SIZE,
  lockTtlMs: DEFAULT_LOCK_TTL_MS,
  outboxMaxDepth: DEFAULT_OUTBOX_MAX_DEPTH,
};

/** What one poll did. */
export interface TickBatchReport {
  claimed: number;
  committed: number;
  refused: number;
  backpressure: boolean;
}

/**
 * One worker of the tick engine (DESIGN §5): claim due missions in one Lua call, load their states
 * in one round trip, simulate each tick with the pure game rules, and commit them all in one pipeline
 * of fenced Lua commits. Any number of workers, in any number of processes, can run side by side.
 */
export class TickWorker {
  /** This worker's lock token; a restarted worker is a new worker. */
  readonly token = randomUUID();

  constructor(
    private readonly deps: EngineDeps,
    private readonly options: TickWorkerOptions = DEFAULT_TICK_WORKER_OPTIONS,
  ) {}

  async runBatch(): Promise<TickBatchReport> {
    const { store, metrics } = this.deps;
    if ((await store.outboxDepth()) >= this.options.outboxMaxDepth) {
      metrics?.backpressureSkips.inc();
      return { claimed: 0, committed: 0, refused: 0, backpressure: true };
    }
    const claimed = await store.claimDueMissions({
      now: now(this.deps),
      limit: this.options.batchSize,
      lockTtlMs: this.options.lockTtlMs,
      token: this.token,
    });
    if (claimed.length === 0) return { claimed: 0, committed: 0, refused: 0, backpressure: false };

    const ids = claimed.map((c) => c.missionId);
    const jsons = await store.getActiveMissions(ids);
    const records = jsons.map((json, i) => this.parse(ids[i]!, json));
    const [eventStatus, inputs] = await Promise.all([
      this.eventStatuses(records),
      tickInputsFor(this.deps, records),
    ]);
    const commits: TickCommit[] = [];
    const channels: string[] = [];
    const lateness: number[] = [];
    const unscheduled: string[] = [];
    for (let i = 0; i < ids.length; i++) {
      const record = records[i]!;
      // An unreadable record would fail at every claim: moved aside, the reconciler rebuilds it.
      if (record instanceof CorruptMissionRecordError) {
        await quarantineMission(this.deps, ids[i]!, jsons[i]!, this.token, record);
        continue;
      }
      const ticked = this.tick(ids[i]!, record, eventStatus, inputs.get(ids[i]!));
      if (ticked === 'unschedule') unscheduled.push(ids[i]!);
      else if (ticked) {
        commits.push(ticked.commit);
        channels.push(ticked.channelId);
        lateness.push(ticked.lateMs);
      }
    }
    if (this.options.faultCommitDelayMs)
      await new Promise((r) => setTimeout(r, this.options.faultCommitDelayMs));
    const outcomes = await store.commitTicks(commits);
    await Promise.all(
      unscheduled.map((id) =>
        Promise.all([store.unscheduleMission(id), store.releaseLock(store.keys.tickLock(id), this.token)]),
      ),
    );
    let committed = 0;
    outcomes.forEach((outcome, i) => {
      if (outcome === 'committed') {
        committed++;
        metrics?.tickLateness.observe(Math.max(0, lateness[i]!) / 1000);
      } else if (outcome === 'lost_lock') metrics?.lockConflicts.inc();
      else if (outcome === 'stale') metrics?.staleCommits.inc();
      else metrics?.missingMissions.inc();
    });
    metrics?.ticks.inc(committed);
    await this.announce(commits, channels, outcomes);
    if (committed < commits.length) {
      this.deps.logger?.warn(
        { refused: commits.length - committed, outcomes: countOutcomes(outcomes) },
        'tick commits refused: this worker lost its locks (another worker has the missions now)',
      );
    }
    return { claimed: claimed.length, committed, refused: commits.length - committed, backpressure: false };
  }

  /** Tells each channel's panels which of its missions ticked (coalesced into one broadcast per channel). */
  private async announce(commits: TickCommit[], channels: string[], outcomes: string[]): Promise<void> {
    const { broadcasts, logger } = this.deps;
    if (!broadcasts) return;
    const byChannel = new Map<string, string[]>();
    outcomes.forEach((outcome, i) => {
      if (outcome !== 'committed') return;
      const items = byChannel.get(channels[i]!) ?? [];
      items.push(missionChanged(commits[i]!.missionId));
      byChannel.set(channels[i]!, items);
    });
    const changes: ChannelChanges[] = [...byChannel].map(([channelId, items]) => ({ channelId, items }));
    try {
      await broadcasts.add(changes, now(this.deps));
    } catch (error) {
      // The ticks are committed; panels still poll slowly, so a lost notice only delays them.
      logger?.warn({ err: error }, 'could not queue tick notices for PubSub');
    }
  }

  /** A claimed mission's record; null when Redis lost it, an Error when it cannot be read. */
  private parse(missionId: string, json: string | null): ActiveMissionRecord | Error | null {
    if (json === null) return null;
    try {
      return parseActiveMissionRecord(json);
    } catch (error) {
      this.deps.metrics?.tickFailures.inc();
      this.deps.logger?.error({ err: error, missionId }, 'tick failed');
      return error instanceof Error ? error : new Error(String(error));
    }
  }

  /** The live status of the channel events among these missions (one round trip, none without any). */
  private async eventStatuses(
    records: readonly (ActiveMissionRecord | Error | null)[],
  ): Promise<Map<string, string | null>> {
    const ids = new Set<string>();
    for (const record of records) {
      if (record && !(record instanceof Error) && record.event) ids.add(record.event.id);
    }
    if (ids.size === 0) return new Map();
    const list = [...ids];
    const statuses = await this.deps.store.eventStatuses(list);
    return new Map(list.map((id, i) => [id, statuses[i] ?? null]));
  }

  /** The commit of one mission's next tick; 'unschedule' for a mission with nothing left to tick. */
  private tick(
    missionId: string,
    record: ActiveMissionRecord | Error | null,
    eventStatus: ReadonlyMap<string, string | null>,
    /** The viewers' choice for this tick (see choice-inputs.ts); none: the stance held stays. */
    input: TickInput = {},
  ): { commit: TickCommit; channelId: string; lateMs: number } | 'unschedule' | null {
    const { logger, metrics } = this.deps;
    if (record === null) {
      // Scheduled but stateless (Redis lost it): drop the entry; the reconciler rebuilds from Postgres.
      metrics?.missingMissions.inc();
      return 'unschedule';
    }
    // Unreadable: the lock lapses on its own and the mission is retried; parse() said why.
    if (record instanceof Error) return null;
    try {
      // Ended and waiting for its completion: nothing to tick.
      if (record.state.status !== 'active') return 'unschedule';
      const event = record.event;
      // The event's meter is missing (Redis lost it): wait for the reconciler to rebuild it rather
      // than count this tick on a meter that is about to be replaced. The lock lapses; it is retried.
      if (event && !eventStatus.get(event.id)) return null;
      const eventStep = event
        ? eventStatus.get(event.id) === EVENT_ENDING
          ? eventEndTick(record.state, event.kind)
          : simulateEventTick(record.state, event.kind, this.deps.content, input)
        : null;
      const { state, log } = eventStep ?? simulateTick(record.state, this.deps.content, input);
      const tickedAt = now(this.deps);
      const due = scheduledAt(record, log.tick);
      const next = advanceRecord(record, state, log, tickedAt);
      const commit: TickCommit = {
        missionId,
        token: this.token,
        expectedTick: record.tick,
        recordJson: serializeRecord(next),
        nextTickAt: next.nextTickAt,
        outboxRow: JSON.stringify(logRowFor(missionId, log, due, tickedAt, state)),
      };
      if (event && eventStep) {
        const highlight = isEventHighlight(event.kind, log, eventStep.contribution)
          ? JSON.stringify({
              userId: event.userId,
              name: state.party[0]?.name ?? '',
              text: log.text,
              at: tickedAt,
            })
          : null;
        commit.event = {
          eventId: event.id,
          userId: event.userId,
          contribution: eventStep.contribution,
          highlight,
        };
      }
      return { channelId: record.channelId, lateMs: tickedAt - due, commit };
    } catch (error) {
      // The lock lapses on its own, so the mission is retried after lockTtlMs; the metric and log say why.
      metrics?.tickFailures.inc();
      logger?.error({ err: error, missionId }, 'tick failed');
      return null;
    }
  }
}

function countOutcomes(outcomes: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const outcome of outcomes) counts[outcome] = (counts[outcome] ?? 0) + 1;
  return counts;
}
