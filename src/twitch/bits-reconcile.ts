import { fulfilBitsOnce, recordedBitsTransactions } from '../durable/bits-transactions.js';
import type { Database } from '../durable/database.js';
import { userIdOfTwitchUser } from '../durable/users.js';
import { bitsCatalog } from './bits-catalog.js';
import { effectFor } from './bits-fulfilment.js';
import type { BitsGrantShown } from './bits-grant-shown.js';
import { forEachExtensionTransaction } from './extension-transactions.js';
import type { TwitchApi } from './twitch-api.js';

export interface BitsReconcileReport {
  /** Transactions Helix reports for the extension. */
  seen: number;
  /** Of those, already recorded by Holdout. */
  recorded: number;
  /** Missing ones Holdout fulfilled now (products that need no target: titles). */
  fulfilledNow: string[];
  /** Missing ones that need the viewer's choice (which survivor, which lobby): their receipt must come. */
  awaitingReceipt: { transactionId: string; sku: string; twitchUserId: string }[];
  /** Transactions whose SKU or cost the catalog does not know. */
  mismatched: { transactionId: string; reason: string }[];
}

/**
 * Compares Holdout's durable record with Helix Get Extension Transactions, and finishes what it can:
 * a purchase whose receipt never reached the backend (the panel closed, the network dropped it) and
 * whose product needs no choice is fulfilled now, exactly once, through the same keyed insert. Each
 * grant then drops what the caches show of its buyer and tells the channel's panels (`shown`), so that
 * the title shows at once instead of after the cached name's hour.
 */
export async function reconcileBits(
  api: TwitchApi,
  db: Database,
  shown: BitsGrantShown,
): Promise<BitsReconcileReport> {
  const report: BitsReconcileReport = {
    seen: 0,
    recorded: 0,
    fulfilledNow: [],
    awaitingReceipt: [],
    mismatched: [],
  };
  const catalog = bitsCatalog();
  await forEachExtensionTransaction(api, async (page) => {
    report.seen += page.length;
    const known = await recordedBitsTransactions(
      db,
      page.map((t) => t.id),
    );
    report.recorded += known.size;
    for (const t of page) {
      if (known.has(t.id)) continue;
      const product = catalog.get(t.product_data.sku);
      if (!product || product.bits !== t.product_data.cost.amount) {
        report.mismatched.push({ transactionId: t.id, reason: `unknown SKU or cost: ${t.product_data.sku}` });
        continue;
      }
      if (product.effect !== 'title') {
        report.awaitingReceipt.push({ transactionId: t.id, sku: product.sku, twitchUserId: t.user_id });
        continue;
      }
      const userId = await userIdOfTwitchUser(db, t.user_id);
      const outcome = await fulfilBitsOnce(
        db,
        {
          transactionId: t.id,
          twitchUserId: t.user_id,
          userId,
          channelId: t.broadcaster_id,
          sku: product.sku,
          bits: product.bits,
          target: {},
          source: 'reconcile',
          purchasedAt: new Date(t.timestamp),
        },
        effectFor(product),
      );
      if (!outcome.duplicate && outcome.status === 'fulfilled') {
        report.fulfilledNow.push(t.id);
        await shown.forget(outcome.touchedUserIds);
        await shown.announce(t.broadcaster_id);
      } else if (!outcome.duplicate)
        report.mismatched.push({ transactionId: t.id, reason: outcome.reason ?? 'failed' });
    }
  });
  return report;
}
