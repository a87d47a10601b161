import { reviveEffect, supplyDropEffect, titleEffect } from '../durable/bits-effects.js';
import {
  type BitsTarget,
  type FulfilHooks,
  type FulfilOutcome,
  fulfilBitsOnce,
  type ProductEffect,
} from '../durable/bits-transactions.js';
import type { Database } from '../durable/database.js';
import { type BitsProduct, bitsCatalog } from './bits-catalog.js';
import { verifyBitsReceipt } from './bits-receipt.js';

/** The receipt names a SKU the catalog does not sell, or a cost other than the catalog's. */
export class ProductMismatchError extends Error {
  override readonly name = 'ProductMismatchError';
}

/** The receipt was bought by another Twitch user than the one calling. */
export class ReceiptOwnerError extends Error {
  override readonly name = 'ReceiptOwnerError';
}

export function effectFor(product: BitsProduct): ProductEffect {
  switch (product.effect) {
    case 'revive':
      return reviveEffect();
    case 'supply_drop':
      return supplyDropEffect();
    case 'title':
      return titleEffect(product.title);
  }
}

/** The catalog's product for a SKU and cost, or a ProductMismatchError. */
export function productFor(sku: string, bits: number): BitsProduct {
  const product = bitsCatalog().get(sku);
  if (!product) throw new ProductMismatchError(`no product "${sku}" is sold`);
  if (product.bits !== bits) {
    throw new ProductMismatchError(`"${sku}" costs ${product.bits} Bits, the receipt says ${bits}`);
  }
  return product;
}

export interface ReceiptSubmission {
  receipt: string;
  target: BitsTarget;
  /** The caller: internal user id, Twitch user id when shared, channel of the token. */
  userId: string;
  twitchUserId: string | null;
  channelId: string;
}

export interface BitsDeps {
  db: Database;
  extensionSecret: string;
  clientId: string;
  clock?: () => number;
}

/**
 * A panel's transaction receipt: verified with the extension secret, its product and cost checked
 * against the catalog, then fulfilled exactly once by its transaction id.
 */
export async function fulfilReceipt(
  deps: BitsDeps,
  submission: ReceiptSubmission,
  hooks: FulfilHooks = {},
): Promise<FulfilOutcome & { transactionId: string; sku: string }> {
  const receipt = await verifyBitsReceipt(
    submission.receipt,
    deps.extensionSecret,
    deps.clientId,
    (deps.clock ?? Date.now)(),
  );
  if (submission.twitchUserId !== null && submission.twitchUserId !== receipt.userId) {
    throw new ReceiptOwnerError('this receipt belongs to another viewer');
  }
  const product = productFor(receipt.product.sku, receipt.product.cost.amount);
  const outcome = await fulfilBitsOnce(
    deps.db,
    {
      transactionId: receipt.transactionId,
      twitchUserId: receipt.userId,
      userId: submission.userId,
      channelId: submission.channelId,
      sku: product.sku,
      bits: product.bits,
      target: submission.target,
      source: 'receipt',
      purchasedAt: new Date(receipt.time),
    },
    effectFor(product),
    hooks,
  );
  return { ...outcome, transactionId: receipt.transactionId, sku: product.sku };
}
