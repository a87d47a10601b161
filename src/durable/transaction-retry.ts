/**
 * Holdout's one lock order, and the backstop for when Postgres still breaks a cycle.
 *
 * Every transaction that locks rows takes them in this order:
 * 1. the user's row (`lockUser`, FOR NO KEY UPDATE: it serializes one user's roster changes, yet
 *    lets an insert that only references the user — a mission's participants, a new survivor — take
 *    its KEY SHARE lock without waiting);
 * 2. survivors, in id order (`lockSurvivors`, `lockOwnSurvivor`, and the multi-row updates of
 *    survivors, which lock through an ordered sub-select first), FOR NO KEY UPDATE for the same reason;
 * 3. missions;
 * 4. stashes, then their items, in user id order (`addMissionsLootToStashes`, `spendSupplies`): always after
 *    the survivors a change concerns, never before.
 * Row locks taken through foreign keys are KEY SHARE, which no FOR NO KEY UPDATE blocks: that is what
 * lets a mission start lock its survivors and then reference their users while a lobby join holds
 * the user's row.
 *
 * Should a cycle still form (a path added later that breaks the order), Postgres aborts one side with
 * deadlock_detected, or serialization_failure under stricter isolation; that transaction is run
 * again from the start instead of becoming an HTTP 500.
 */

/** SQLSTATEs after which the whole transaction may simply run again. */
const RETRYABLE = new Set(['40001', '40P01']);
/** Attempts in all, the first included. */
export const TRANSACTION_ATTEMPTS = 5;
/** The first pause before a retry, in ms; doubled each time, with jitter so two victims part ways. */
const FIRST_BACKOFF_MS = 5;

export function isRetryableConflict(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && RETRYABLE.has(code);
}

/**
 * Runs `work` (a whole transaction, or one statement outside any) and runs it again, up to
 * TRANSACTION_ATTEMPTS times, while Postgres aborts it as a deadlock victim or a serialization
 * failure. `onRetry` hears about each retry (to count it). Any other error is thrown at once.
 */
export async function retryConflicts<T>(
  work: () => Promise<T>,
  onRetry: (error: unknown, attempt: number) => void = () => {},
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!isRetryableConflict(error) || attempt >= TRANSACTION_ATTEMPTS) throw error;
      onRetry(error, attempt);
      const backoff = FIRST_BACKOFF_MS * 2 ** (attempt - 1);
      await new Promise((resolve) => setTimeout(resolve, backoff / 2 + Math.random() * backoff));
    }
  }
}
