import type { Database, Queryable } from './database.js';

export interface BitsTarget {
  survivorId?: string;
  lobbyId?: string;
}

/** One Bits purchase, as verified from its receipt (or read from Helix by the reconciliation). */
export interface BitsPurchase {
  transactionId: string;
  twitchUserId: string;
  /** The buyer's internal user id, when Holdout knows them. */
  userId: string | null;
  channelId: string;
  sku: string;
  bits: number;
  target: BitsTarget;
  source: 'receipt' | 'reconcile';
  purchasedAt: Date;
}

/** What a product's effect did: the users whose state it changed, or why it could not apply. */
export type EffectResult = { ok: true; touchedUserIds: string[] } | { ok: false; reason: string };

export type ProductEffect = (tx: Queryable, purchase: BitsPurchase) => Promise<EffectResult>;

export interface FulfilOutcome {
  status: 'fulfilled' | 'failed';
  reason: string | null;
  /** The transaction was recorded before: nothing was done this time. */
  duplicate: boolean;
  touchedUserIds: string[];
}

export interface FulfilHooks {
  /** Tests only: runs after the row is inserted and before the effect (a crash there must roll back both). */
  afterRecord?: () => Promise<void>;
}

const INSERT = `
  INSERT INTO bits_transactions
    (transaction_id, twitch_user_id, user_id, channel_id, sku, bits, target, status, source, purchased_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, 'fulfilled', $8, $9)
  ON CONFLICT (transaction_id) DO NOTHING
  RETURNING transaction_id`;

/**
 * Records a Bits transaction and applies its product's effect in one Postgres transaction, keyed by
 * Twitch's transaction id: exactly once however often, from however many instances, and after
 * whatever crash the receipt comes again. A concurrent second insert of the same id waits on the
 * primary key until the first commits (then finds the row) or rolls back (then inserts it itself).
 */
export async function fulfilBitsOnce(
  db: Database,
  purchase: BitsPurchase,
  effect: ProductEffect,
  hooks: FulfilHooks = {},
): Promise<FulfilOutcome> {
  return db.transaction(async (tx) => {
    const inserted = await tx.query(INSERT, [
      purchase.transactionId,
      purchase.twitchUserId,
      purchase.userId,
      purchase.channelId,
      purchase.sku,
      purchase.bits,
      JSON.stringify(purchase.target),
      purchase.source,
      purchase.purchasedAt.toISOString(),
    ]);
    if (inserted.rowCount === 0) {
      const { rows } = await tx.query<{ status: 'fulfilled' | 'failed'; reason: string | null }>(
        'SELECT status, reason FROM bits_transactions WHERE transaction_id = $1',
        [purchase.transactionId],
      );
      return { status: rows[0]!.status, reason: rows[0]!.reason, duplicate: true, touchedUserIds: [] };
    }
    await hooks.afterRecord?.();
    const result = await effect(tx, purchase);
    if (result.ok)
      return { status: 'fulfilled', reason: null, duplicate: false, touchedUserIds: result.touchedUserIds };
    // The Bits are spent: the failure is recorded (for support and refunds), never retried into a double.
    await tx.query(`UPDATE bits_transactions SET status = 'failed', reason = $2 WHERE transaction_id = $1`, [
      purchase.transactionId,
      result.reason,
    ]);
    return { status: 'failed', reason: result.reason, duplicate: false, touchedUserIds: [] };
  });
}

/** The transaction ids among `ids` that Holdout has recorded. */
export async function recordedBitsTransactions(db: Queryable, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const { rows } = await db.query<{ transaction_id: string }>(
    'SELECT transaction_id FROM bits_transactions WHERE transaction_id = ANY($1::text[])',
    [ids],
  );
  return new Set(rows.map((r) => r.transaction_id));
}
