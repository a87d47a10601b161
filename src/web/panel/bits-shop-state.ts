import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { BitsOutcome, BitsProductView, BitsTarget } from '../api/api-types.js';
import { describeError } from '../api/holdout-api.js';
import type { BitsTransaction, TwitchExt } from '../twitch/twitch-ext.js';
import type { PanelStore } from './panel-store.js';

/** What the shop says after a purchase, in words. */
export interface BitsMessage {
  text: string;
  tone: 'ok' | 'warn';
}

export interface BitsShopState {
  /** Twitch offers Bits here (the helper has `bits`) and the viewer is logged in. */
  available: boolean;
  products: BitsProductView[] | null;
  /** The SKU waiting for Twitch's purchase dialog or for the receipt's answer. */
  pending: string | null;
  message: BitsMessage | null;
  /** Asks Twitch to buy `product` for `target` (Twitch shows its own confirmation). */
  buy(product: BitsProductView, target: BitsTarget): void;
}

/** Twitch names the panel of the viewer who bought `current_user`; every other panel hears `other`. */
const boughtHere = (transaction: BitsTransaction) => transaction.initiator.toLowerCase() === 'current_user';

function messageFor(outcome: BitsOutcome, product: string): BitsMessage {
  if (outcome.duplicate) return { text: `${product}: already done for this purchase.`, tone: 'ok' };
  if (outcome.status === 'fulfilled') return { text: `${product}: done. Thank you!`, tone: 'ok' };
  return { text: `${product}: could not be applied (${outcome.reason ?? 'unknown reason'}).`, tone: 'warn' };
}

/**
 * Bits in the panel: the products from the API's catalog, `Twitch.ext.bits.useBits(sku)` to buy, and
 * the transaction receipt from `onTransactionComplete` sent to POST /v1/bits/transactions with what the
 * viewer chose (the backend fulfils it exactly once, so a receipt Twitch hands over twice is harmless).
 */
export function useBitsShop(ext: TwitchExt, store: PanelStore): BitsShopState {
  const bits = ext.bits;
  const [products, setProducts] = useState<BitsProductView[] | null>(null);
  const [pending, setPending] = useState<string | null>(null);
  const [message, setMessage] = useState<BitsMessage | null>(null);
  /** What the viewer chose for each SKU they asked Twitch to buy. */
  const targets = useRef(new Map<string, BitsTarget>());
  const storeRef = useRef(store);
  storeRef.current = store;
  const productsRef = useRef(products);
  productsRef.current = products;
  const available = bits !== undefined && store.loggedIn;

  useEffect(() => {
    if (!available || products !== null) return;
    store.api
      .bitsProducts()
      .then((list) => setProducts(list.products))
      .catch((e) => setMessage({ text: describeError(e), tone: 'warn' }));
  }, [available, products, store.api]);

  useEffect(() => {
    if (!bits) return;
    bits.onTransactionComplete((transaction) => {
      if (!boughtHere(transaction)) return;
      const sku = transaction.product.sku;
      const target = targets.current.get(sku) ?? {};
      const current = storeRef.current;
      void current
        .act(() => current.api.sendBitsReceipt(transaction.transactionReceipt, target))
        .then((outcome) => {
          setPending(null);
          // The catalog's name: the same product as the Twitch console's, in the panel's words.
          const name =
            productsRef.current?.find((p) => p.sku === sku)?.displayName ?? transaction.product.displayName;
          if (outcome) setMessage(messageFor(outcome, name || sku));
        });
    });
    bits.onTransactionCancelled(() => {
      setPending(null);
      setMessage(null);
    });
  }, [bits]);

  const buy = useCallback(
    (product: BitsProductView, target: BitsTarget) => {
      if (!bits) return;
      targets.current.set(product.sku, target);
      setPending(product.sku);
      setMessage(null);
      bits.useBits(product.sku);
    },
    [bits],
  );

  return { available, products, pending, message, buy };
}
