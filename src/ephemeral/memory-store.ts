import type { ClaimDueOptions, ClaimedMission, CounterValue, EphemeralStore } from './ephemeral-store.js';
import { type KeyNames, keyNames } from './keys.js';

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

  constructor(options: { keyPrefix?: string; clock?: () => number } = {}) {
    this.keys = keyNames(options.keyPrefix ?? '');
    this.clock = options.clock ?? Date.now;
  }

  protected readonly clock: () => number;

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

  async getActiveMission(missionId: string): Promise<string | null> {
    return this.read(this.keys.activeMission(missionId));
  }

  async getActiveMissions(missionIds: readonly string[]): Promise<(string | null)[]> {
    return missionIds.map((id) => this.read(this.keys.activeMission(id)));
  }

  async setActiveMission(missionId: string, stateJson: string): Promise<void> {
    this.write(this.keys.activeMission(missionId), stateJson);
  }

  async deleteActiveMission(missionId: string): Promise<void> {
    this.strings.delete(this.keys.activeMission(missionId));
  }

  async scheduleMission(missionId: string, dueAt: number): Promise<void> {
    this.due.set(missionId, dueAt);
  }

  async unscheduleMission(missionId: string): Promise<void> {
    this.due.delete(missionId);
  }

  async dueAt(missionId: string): Promise<number | null> {
    return this.due.get(missionId) ?? null;
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
    this.strings.get(key)!.value = String(count);
    return { count, ttlMs: this.timeLeft(key) };
  }

  async close(): Promise<void> {}
}
