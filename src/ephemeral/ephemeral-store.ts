import type { BroadcastQueue } from './broadcast-queue.js';
import type { KeyNames } from './keys.js';
import type { LobbyStore } from './lobby-store.js';
import type { MissionVoteStore } from './mission-votes.js';
import type { RateLimitCounters } from './rate-limit-counters.js';

export interface ClaimDueOptions {
  /** The claimer's clock, ms since the epoch: missions scored at or before it are due. */
  now: number;
  /** Most missions to claim in one call. */
  limit: number;
  /** How long each claimed mission stays locked, in ms. */
  lockTtlMs: number;
  /** The claimer's lock token; only this token can release or commit. */
  token: string;
}

export interface ClaimedMission {
  missionId: string;
  /** The score it was claimed at: when its tick was due, in ms. */
  dueAt: number;
}

export interface TickCommit {
  missionId: string;
  token: string;
  /** The tick index the stored record must still have: the fencing token. */
  expectedTick: number;
  /** The new record; must start with `{"tick":` (see commit-ticks.lua). */
  recordJson: string;
  /** When the next tick is due (ms), or null when this tick ended the mission. */
  nextTickAt: number | null;
  /** The log row appended to mission_log_outbox. */
  outboxRow: string;
  /** Present for a channel event's mission: what the same commit adds to the event's live meter. */
  event?: EventTickCommit;
}

/** A tick's share of a channel event, committed with the tick or not at all (so never counted twice). */
export interface EventTickCommit {
  eventId: string;
  /** The participant (internal user id). */
  userId: string;
  /** Added to the event's progress and to the participant's contribution. */
  contribution: number;
  /** A highlight line (JSON) pushed to the event's recent highlights, or null. */
  highlight: string | null;
}

/** Most highlights an event keeps in Redis. */
export const EVENT_HIGHLIGHTS_KEPT = 20;

/** What a running event's live meter holds. */
export interface EventBoard {
  progress: number;
  goal: number;
  /** 'running', or 'ending' once the goal is reached (its missions then end at their next tick). */
  status: string;
  /** Best contributors first. */
  top: { userId: string; contribution: number }[];
  /** Highlight lines (JSON), newest first. */
  highlights: string[];
}

/** committed; or refused: the lock was lost, the stored tick moved on, or the mission vanished. */
export type CommitOutcome = 'committed' | 'lost_lock' | 'stale' | 'missing';

export interface OutboxEntry {
  /** Stream entry id, `<ms>-<seq>`. */
  id: string;
  row: string;
}

export interface CounterValue {
  count: number;
  /** Time left before the counter resets, in ms. */
  ttlMs: number;
}

/** The connection itself: what readiness, metrics and shutdown ask of a store. */
export interface EphemeralConnection {
  readonly kind: 'redis' | 'memory';
  readonly keys: KeyNames;
  /** Resolves when the store answers; rejects otherwise. */
  ping(): Promise<void>;
  /** Whether the connection is ready now, without a round trip (the in-process store always is). */
  connected(): boolean;
  close(): Promise<void>;
}

/** In-progress missions' records, `active_mission:{missionId}` (JSON starting with `{"tick":`). */
export interface ActiveMissionRecords {
  getActiveMission(missionId: string): Promise<string | null>;
  /** One round trip for many missions; null where a mission is missing. */
  getActiveMissions(missionIds: readonly string[]): Promise<(string | null)[]>;
  deleteActiveMission(missionId: string): Promise<void>;
  /** Writes a rebuilt mission and schedules it, only if Redis holds no state for it. */
  restoreActiveMission(missionId: string, recordJson: string, dueAt: number): Promise<boolean>;
  /** Keeps a completed mission's final record for `keepMs`, unschedules it and drops its lock. */
  settleActiveMission(missionId: string, recordJson: string, keepMs: number): Promise<void>;
  /** Which of these missions Redis holds a state for. */
  activeMissionsExist(missionIds: readonly string[]): Promise<boolean[]>;
}

/** `missions_due`: mission ids scored by when their next tick is due. */
export interface MissionSchedule {
  unscheduleMission(missionId: string): Promise<void>;
  /**
   * Atomically: take up to `limit` due missions, lock each with `token` (SET NX PX), and push its
   * score forward by the lock TTL so that other claimers skip it. A mission locked by someone else
   * is skipped and its score moved to when that lock expires. Never returns one mission to two claimers.
   */
  claimDueMissions(options: ClaimDueOptions): Promise<ClaimedMission[]>;
  /** Every mission id in missions_due. */
  scheduledMissionIds(): Promise<string[]>;
}

/** The fenced commit of the tick protocol (DESIGN §5). */
export interface TickCommits {
  /**
   * Commits simulated ticks, each atomically and in one round trip for all: each checks its lock
   * token and that the stored tick is still `expectedTick`, then writes the record, re-scores or
   * unschedules the mission, appends the log row to mission_log_outbox and releases the lock.
   */
  commitTicks(commits: readonly TickCommit[]): Promise<CommitOutcome[]>;
}

/** Leases held by a token: tick locks, and the single-runner locks of periodic jobs. */
export interface Locks {
  /** SET key token NX PX ttl: true if this call took the lock. */
  acquireLock(key: string, token: string, ttlMs: number): Promise<boolean>;
  /** Compare-and-delete: true if the lock was held by `token` and is now released. */
  releaseLock(key: string, token: string): Promise<boolean>;
  /** Extends a lock still held by `token`; false if it was lost. */
  extendLock(key: string, token: string, ttlMs: number): Promise<boolean>;
}

/** Counters that start their TTL when they are created (the poll's counted call). */
export interface Counters {
  /** Increments a counter, starting its TTL when it is created. */
  incrementCounter(key: string, ttlMs: number): Promise<CounterValue>;
}

/** Plain string values under keys from keys.ts: the viewer cache, display names, markers. */
export interface PlainValues {
  /** Sets a plain string value, with an optional TTL in ms. */
  setValue(key: string, value: string, ttlMs?: number): Promise<void>;
  getValue(key: string): Promise<string | null>;
  /** Many plain values in one round trip (MGET); null where a key is missing. */
  getValues(keys: readonly string[]): Promise<(string | null)[]>;
  deleteKeys(keys: readonly string[]): Promise<void>;
}

/** Channel events' live meters (rebuilt from Postgres by the reconciler). */
export interface EventBoards {
  /** An event's live meter with its `top` contributors, or null when Redis holds none. */
  readEventBoard(eventId: string, top: number): Promise<EventBoard | null>;
  /** Each event's status in its meter (null where there is none): one round trip. */
  eventStatuses(eventIds: readonly string[]): Promise<(string | null)[]>;
  /** Writes an event's meter only if Redis holds none (a start, or a rebuild after a loss). */
  restoreEventBoard(eventId: string, board: EventBoard): Promise<boolean>;
  /** Changes the status of an existing meter; false (and nothing written) when there is none. */
  setEventStatus(eventId: string, status: string): Promise<boolean>;
  /** Drops an ended event's meter. */
  deleteEventBoard(eventId: string): Promise<void>;
}

/** `mission_log_outbox`, read by flushers as one consumer group. */
export interface MissionLogOutbox {
  /** New entries for `consumer`, up to `count`. */
  readOutbox(consumer: string, count: number): Promise<OutboxEntry[]>;
  /** Entries another consumer read but did not acknowledge within `minIdleMs`, now owned by `consumer`. */
  reclaimOutbox(consumer: string, minIdleMs: number, count: number): Promise<OutboxEntry[]>;
  /** Acknowledges and deletes entries that are durable in Postgres. */
  ackOutbox(entryIds: readonly string[]): Promise<void>;
  /** Entries in the outbox, written to Postgres or not yet. */
  outboxDepth(): Promise<number>;
  /** When the oldest entry still in the outbox was appended (ms since the epoch), or null if empty. */
  oldestOutboxEntryAt(): Promise<number | null>;
}

/**
 * Ephemeral state (ADR-0006): a real Redis, or an in-process store for the embedded mode.
 * Both pass the same contract suite (test/ephemeral), so they cannot drift apart. It is the sum of
 * its roles; a consumer that needs only some of them is typed against those.
 */
export interface EphemeralStore
  extends EphemeralConnection,
    ActiveMissionRecords,
    MissionSchedule,
    TickCommits,
    Locks,
    Counters,
    PlainValues,
    EventBoards,
    MissionLogOutbox,
    RateLimitCounters {
  /** Votes of open choice points and groups' retreat votes. */
  readonly votes: MissionVoteStore;
  /** Lobbies forming for group missions; one per store, so every caller in the process sees the same. */
  readonly lobbies: LobbyStore;
  /** Channels' pending Extension PubSub broadcasts; one per store, shared by every caller in the process. */
  readonly broadcasts: BroadcastQueue;
}
