import type { KeyNames } from './keys.js';

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

export interface CounterValue {
  count: number;
  /** Time left before the counter resets, in ms. */
  ttlMs: number;
}

/**
 * Ephemeral state (ADR-0006): a real Redis, or an in-process store for the embedded mode.
 * Both pass the same contract suite (test/ephemeral), so they cannot drift apart.
 */
export interface EphemeralStore {
  readonly kind: 'redis' | 'memory';
  readonly keys: KeyNames;
  /** Resolves when the store answers; rejects otherwise. */
  ping(): Promise<void>;

  getActiveMission(missionId: string): Promise<string | null>;
  /** One round trip for many missions; null where a mission is missing. */
  getActiveMissions(missionIds: readonly string[]): Promise<(string | null)[]>;
  setActiveMission(missionId: string, stateJson: string): Promise<void>;
  deleteActiveMission(missionId: string): Promise<void>;

  /** Adds or moves a mission in missions_due. */
  scheduleMission(missionId: string, dueAt: number): Promise<void>;
  unscheduleMission(missionId: string): Promise<void>;
  /** A mission's score in missions_due, or null if it is not scheduled. */
  dueAt(missionId: string): Promise<number | null>;
  /**
   * Atomically: take up to `limit` due missions, lock each with `token` (SET NX PX), and push its
   * score forward by the lock TTL so that other claimers skip it. A mission locked by someone else
   * is skipped and its score moved to when that lock expires. Never returns one mission to two claimers.
   */
  claimDueMissions(options: ClaimDueOptions): Promise<ClaimedMission[]>;

  /** SET key token NX PX ttl: true if this call took the lock. */
  acquireLock(key: string, token: string, ttlMs: number): Promise<boolean>;
  /** Compare-and-delete: true if the lock was held by `token` and is now released. */
  releaseLock(key: string, token: string): Promise<boolean>;
  /** Extends a lock still held by `token`; false if it was lost. */
  extendLock(key: string, token: string, ttlMs: number): Promise<boolean>;

  /** Increments a counter, starting its TTL when it is created. */
  incrementCounter(key: string, ttlMs: number): Promise<CounterValue>;

  close(): Promise<void>;
}
