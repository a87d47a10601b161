import { RateLimitedError } from '../problem-errors.js';

/** Addresses remembered per window; past this the window starts over early (a flood of addresses). */
const MAX_ADDRESSES = 100_000;
const MS_PER_SECOND = 1_000;

/**
 * A per-address budget for tokens this process has not verified yet, checked before the
 * verification: an HMAC check is cheap, but a flood of fresh (or forged) tokens from one address
 * must not cost one each, nor push real viewers' tokens out of the verified cache. A token verified
 * before costs nothing and is not counted, so polling viewers behind one address are never refused.
 *
 * In-process and synchronous on purpose: a Redis round trip would cost more than what it protects.
 * Each API instance counts on its own; the budget is per instance.
 */
export class NewTokenLimit {
  private readonly counts = new Map<string, number>();
  private windowStart: number;

  constructor(
    /** Tokens to verify per address and window. */
    private readonly budget: number,
    /** ms */
    private readonly windowMs: number,
    private readonly clock: () => number = Date.now,
  ) {
    this.windowStart = clock();
  }

  /** Counts one verification for `address`; throws RateLimitedError (429) once its budget is spent. */
  take(address: string): void {
    const now = this.clock();
    if (now - this.windowStart >= this.windowMs || this.counts.size >= MAX_ADDRESSES) {
      this.counts.clear();
      this.windowStart = now;
    }
    const used = (this.counts.get(address) ?? 0) + 1;
    this.counts.set(address, used);
    if (used > this.budget) {
      const waitMs = this.windowStart + this.windowMs - now;
      throw new RateLimitedError(Math.max(1, Math.ceil(waitMs / MS_PER_SECOND)));
    }
  }
}
