import { type RateLimiterAbstract, RateLimiterMemory } from 'rate-limiter-flexible';
import type { BroadcastQueue } from './broadcast-queue.js';
import type {
  ClaimDueOptions,
  ClaimedMission,
  CommitOutcome,
  CounterValue,
  EphemeralStore,
  EventBoard,
  OutboxEntry,
  TickCommit,
} from './ephemeral-store.js';
import { type KeyNames, keyNames } from './keys.js';
import type { LobbyStore } from './lobby-store.js';
import { MemoryBroadcastQueue } from './memory-broadcast-queue.js';
import { MemoryEventBoards } from './memory-event-boards.js';
import { MemoryLobbyStore } from './memory-lobby-store.js';
import { MemoryMissionVotes } from './memory-mission-votes.js';
import { MemoryOutbox } from './memory-outbox.js';
import type { MissionVoteStore } from './mission-votes.js';

const RECORD_TICK = /^\{"tick":(\d+),/;

interface Entry {
  value: string;
  /** ms since the epoch; Infinity for no expiry */
  expiresAt: number;
}

/**
 * The ephemeral store inside the process, for the embedded mode (one process, no Redis).
 * Every operation completes synchronously inside its promise, which is what makes each one atomic
 * here just as a Lua script is atomic in Redis.
 */
export class MemoryStore implements EphemeralStore {
  readonly kind = 'memory' as const;
  readonly keys: KeyNames;
  protected readonly strings = new Map<string, Entry>();
  protected readonly due = new Map<string, number>();

  constructor(options: { keyPrefix?: string } = {}) {
    this.keys = keyNames(options.keyPrefix ?? '');
    this.outbox = new MemoryOutbox(this.clock);
    this.votes = new MemoryMissionVotes(this.keys, this.clock);
    this.lobbies = new MemoryLobbyStore(this.keys, this.clock);
    this.broadcasts = new MemoryBroadcastQueue();
  }

  readonly votes: MissionVoteStore;
  readonly lobbies: LobbyStore;
  readonly broadcasts: BroadcastQueue;
  private readonly outbox: MemoryOutbox;
  private readonly eventBoards = new MemoryEventBoards();

  protected readonly clock: () => number = Date.now;

  protected read(key: string): string | null {
    const entry = this.strings.get(key);
    if (!entry) return null;
    if (entry.expiresAt <= this.clock()) {
      this.strings.delete(key);
      return null;
    }
    return entry.value;
  }

  protected write(key: string, value: string, ttlMs?: number): void {
    this.strings.set(key, {
      value,
      expiresAt: ttlMs === undefined ? Number.POSITIVE_INFINITY : this.clock() + ttlMs,
    });
  }

  protected timeLeft(key: string): number {
    if (this.read(key) === null) return -2;
    const expiresAt = this.strings.get(key)!.expiresAt;
    return Number.isFinite(expiresAt) ? expiresAt - this.clock() : -1;
  }

  async ping(): Promise<void> {}

  connected(): boolean {
    return true;
  }

  rateLimiter(points: number, durationS: number): RateLimiterAbstract {
    return new RateLimiterMemory({ keyPrefix: this.keys.rateLimitPrefix, points, duration: durationS });
  }

  async getActiveMission(missionId: string): Promise<string | null> {
    return this.read(this.keys.activeMission(missionId));
  }

  async getActiveMissions(missionIds: readonly string[]): Promise<(string | null)[]> {
    return missionIds.map((id) => this.read(this.keys.activeMission(id)));
  }

  async deleteActiveMission(missionId: string): Promise<void> {
    this.strings.delete(this.keys.activeMission(missionId));
  }

  async unscheduleMission(missionId: string): Promise<void> {
    this.due.delete(missionId);
  }

  async claimDueMissions(options: ClaimDueOptions): Promise<ClaimedMission[]> {
    // The embedded mode holds hundreds of missions, not millions: a scan and a sort are enough.
    const dueNow = [...this.due]
      .filter(([, score]) => score <= options.now)
      .sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, options.limit);
    const claimed: ClaimedMission[] = [];
    for (const [missionId, score] of dueNow) {
      const lockKey = this.keys.tickLock(missionId);
      if (this.read(lockKey) === null) {
        this.write(lockKey, options.token, options.lockTtlMs);
        this.due.set(missionId, options.now + options.lockTtlMs);
        claimed.push({ missionId, dueAt: score });
      } else {
        this.due.set(missionId, options.now + Math.max(1, this.timeLeft(lockKey)));
      }
    }
    return claimed;
  }

  async acquireLock(key: string, token: string, ttlMs: number): Promise<boolean> {
    if (this.read(key) !== null) return false;
    this.write(key, token, ttlMs);
    return true;
  }

  async releaseLock(key: string, token: string): Promise<boolean> {
    if (this.read(key) !== token) return false;
    this.strings.delete(key);
    return true;
  }

  async extendLock(key: string, token: string, ttlMs: number): Promise<boolean> {
    if (this.read(key) !== token) return false;
    this.write(key, token, ttlMs);
    return true;
  }

  async incrementCounter(key: string, ttlMs: number): Promise<CounterValue> {
    const current = this.read(key);
    if (current === null) {
      this.write(key, '1', ttlMs);
      return { count: 1, ttlMs };
    }
    const count = Number(current) + 1;
    const entry = this.strings.get(key)!;
    entry.value = String(count);
    // As increment-counter.lua: a counter found without an expiry gets one, so it cannot refuse forever.
    if (!Number.isFinite(entry.expiresAt)) entry.expiresAt = this.clock() + ttlMs;
    return { count, ttlMs: this.timeLeft(key) };
  }

  async setValue(key: string, value: string, ttlMs?: number): Promise<void> {
    this.write(key, value, ttlMs);
  }

  async getValue(key: string): Promise<string | null> {
    return this.read(key);
  }

  async getValues(keys: readonly string[]): Promise<(string | null)[]> {
    return keys.map((key) => this.read(key));
  }

  async deleteKeys(keys: readonly string[]): Promise<void> {
    for (const key of keys) this.strings.delete(key);
  }

  // Mirrors commit-ticks.lua step for step; the contract suite holds the two together.
  private commitTick(commit: TickCommit): CommitOutcome {
    if (this.read(this.keys.tickLock(commit.missionId)) !== commit.token) return 'lost_lock';
    const current = this.read(this.keys.activeMission(commit.missionId));
    if (current === null) return 'missing';
    if (current.match(RECORD_TICK)?.[1] !== String(commit.expectedTick)) return 'stale';
    this.write(this.keys.activeMission(commit.missionId), commit.recordJson);
    if (commit.nextTickAt === null) this.due.delete(commit.missionId);
    else this.due.set(commit.missionId, commit.nextTickAt);
    this.outbox.append(commit.outboxRow);
    this.strings.delete(this.keys.tickLock(commit.missionId));
    if (commit.event) this.eventBoards.add(commit.event);
    return 'committed';
  }

  async commitTicks(commits: readonly TickCommit[]): Promise<CommitOutcome[]> {
    return commits.map((commit) => this.commitTick(commit));
  }

  async restoreActiveMission(missionId: string, recordJson: string, dueAt: number): Promise<boolean> {
    if (this.read(this.keys.activeMission(missionId)) !== null) return false;
    this.write(this.keys.activeMission(missionId), recordJson);
    this.due.set(missionId, dueAt);
    return true;
  }

  async settleActiveMission(missionId: string, recordJson: string, keepMs: number): Promise<void> {
    this.write(this.keys.activeMission(missionId), recordJson, keepMs);
    this.due.delete(missionId);
    this.strings.delete(this.keys.tickLock(missionId));
  }

  async readEventBoard(eventId: string, top: number): Promise<EventBoard | null> {
    return this.eventBoards.read(eventId, top);
  }

  async eventStatuses(eventIds: readonly string[]): Promise<(string | null)[]> {
    return eventIds.map((id) => this.eventBoards.status(id));
  }

  async restoreEventBoard(eventId: string, board: EventBoard): Promise<boolean> {
    return this.eventBoards.restore(eventId, board);
  }

  async setEventStatus(eventId: string, status: string): Promise<boolean> {
    return this.eventBoards.setStatus(eventId, status);
  }

  async deleteEventBoard(eventId: string): Promise<void> {
    this.eventBoards.delete(eventId);
  }

  async activeMissionsExist(missionIds: readonly string[]): Promise<boolean[]> {
    return missionIds.map((id) => this.read(this.keys.activeMission(id)) !== null);
  }

  async scheduledMissionIds(): Promise<string[]> {
    return [...this.due.keys()];
  }

  async readOutbox(consumer: string, count: number): Promise<OutboxEntry[]> {
    return this.outbox.read(consumer, count);
  }

  async reclaimOutbox(consumer: string, minIdleMs: number, count: number): Promise<OutboxEntry[]> {
    return this.outbox.reclaim(consumer, minIdleMs, count);
  }

  async ackOutbox(entryIds: readonly string[]): Promise<void> {
    this.outbox.ack(entryIds);
  }

  async outboxDepth(): Promise<number> {
    return this.outbox.depth();
  }

  async oldestOutboxEntryAt(): Promise<number | null> {
    return this.outbox.oldestEntryAt();
  }

  async close(): Promise<void> {}
}
