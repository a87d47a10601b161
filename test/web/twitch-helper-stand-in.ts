import type { BrowserContext, Page } from 'playwright-core';
import { DEVELOPMENT_EXTENSION_SECRET } from '../../src/config.js';
import { TwitchStandIn } from '../support/twitch-stand-in.js';

/*
 * A stand-in for Twitch's extension helper (window.Twitch.ext) inside Chromium, for the panel as it
 * runs on Twitch: onAuthorized hands over a token, `listen` keeps the panel's callbacks so that a test
 * can deliver a broadcast, and `bits.useBits(sku)` plays Twitch's purchase — the Node side records it
 * with the Helix stand-in (which signs the receipt) and the page calls onTransactionComplete with it,
 * as Twitch does after the viewer confirms.
 */

/**
 * Twitch for `holdout serve` in development: it signs tokens and receipts with the development
 * extension secret, and takes the backend's PubSub messages (TWITCH_API_URL) as extension `ownerId`.
 */
export const developmentTwitch = (ownerId: string) =>
  new TwitchStandIn({
    clientId: 'holdoutdev',
    clientSecret: 'unused',
    extensionSecret: DEVELOPMENT_EXTENSION_SECRET,
    ownerId,
  });

export interface HelperViewer {
  token: string;
  /** The opaque id (U…). */
  opaqueUserId: string;
  /** The Twitch user id the viewer shared (the receipt's userId). */
  twitchUserId: string;
  channelId: string;
}

/** What Twitch hands onTransactionComplete (twitch-ext.ts BitsTransaction). */
interface HelperTransaction {
  transactionID: string;
  product: { sku: string; displayName: string; cost: { amount: string; type: 'bits' } };
  userId: string;
  displayName: string;
  initiator: string;
  transactionReceipt: string;
}

/** The page side, installed before any of the page's scripts; self-contained (it is serialized). */
function installHelper(viewer: { token: string; opaqueUserId: string; channelId: string }): void {
  type Callback = (...args: unknown[]) => void;
  const completed: Callback[] = [];
  const cancelled: Callback[] = [];
  const listeners: Record<string, Callback[]> = {};
  const state = {
    used: [] as string[],
    transactions: [] as unknown[],
    listeners,
    /** Twitch calls onTransactionComplete again with a transaction it already delivered. */
    deliverAgain(index: number) {
      for (const callback of completed) callback(state.transactions[index]);
    },
    broadcast(message: string) {
      for (const callback of listeners.broadcast ?? []) callback('broadcast', 'application/json', message);
    },
  };
  const buy = (window as unknown as { __twitchBuy: (sku: string) => Promise<unknown> }).__twitchBuy;
  (window as unknown as { __twitchStandIn: typeof state }).__twitchStandIn = state;
  (window as unknown as { Twitch: unknown }).Twitch = {
    ext: {
      onAuthorized(callback: Callback) {
        callback({
          channelId: viewer.channelId,
          clientId: 'holdoutdev',
          token: viewer.token,
          userId: viewer.opaqueUserId,
        });
      },
      onContext(callback: Callback) {
        callback({ theme: 'dark' }, ['theme']);
      },
      onVisibilityChanged() {},
      onError() {},
      actions: { requestIdShare() {} },
      listen(target: string, callback: Callback) {
        listeners[target] ??= [];
        listeners[target].push(callback);
      },
      bits: {
        getProducts: async () => [],
        useBits(sku: string) {
          state.used.push(sku);
          void buy(sku).then((transaction) => {
            if (transaction === null) {
              for (const callback of cancelled) callback();
              return;
            }
            state.transactions.push(transaction);
            for (const callback of completed) callback(transaction);
          });
        },
        onTransactionComplete(callback: Callback) {
          completed.push(callback);
        },
        onTransactionCancelled(callback: Callback) {
          cancelled.push(callback);
        },
      },
    },
  };
}

/**
 * Installs the helper stand-in in `context` for `viewer`; `bitsCost(sku)` is what Twitch charges (the
 * developer console's price). Open the panel with `panelOnTwitchUrl` so that it takes the helper.
 */
export async function installTwitchHelper(
  context: BrowserContext,
  twitch: TwitchStandIn,
  viewer: HelperViewer,
  bitsCost: (sku: string) => number,
): Promise<void> {
  await context.exposeFunction('__twitchBuy', async (sku: string): Promise<HelperTransaction | null> => {
    const bits = bitsCost(sku);
    const { transactionId, receipt } = await twitch.purchase({
      userId: viewer.twitchUserId,
      channelId: viewer.channelId,
      sku,
      bits,
    });
    return {
      transactionID: transactionId,
      product: { sku, displayName: sku, cost: { amount: String(bits), type: 'bits' } },
      userId: viewer.twitchUserId,
      displayName: `Viewer${viewer.twitchUserId}`,
      initiator: 'current_user',
      transactionReceipt: receipt,
    };
  });
  await context.addInitScript(installHelper, {
    token: viewer.token,
    opaqueUserId: viewer.opaqueUserId,
    channelId: viewer.channelId,
  });
}

/** The panel as Twitch frames it (the query Twitch appends), so that it uses window.Twitch.ext. */
export const panelOnTwitchUrl = (base: string) => `${base}/panel.html?platform=web&anchor=panel&mode=viewer`;

/** What the helper stand-in saw in the page: the SKUs passed to useBits. */
export const usedSkus = (page: Page) =>
  page.evaluate(() => (window as unknown as { __twitchStandIn: { used: string[] } }).__twitchStandIn.used);

/**
 * Twitch.ext.listen for `twitch`'s PubSub: every message `holdout serve` broadcasts is handed to each
 * page in `listening` at that moment (a page left out hears nothing), after `heard` sees it.
 */
export function relayBroadcasts(
  twitch: TwitchStandIn,
  listening: readonly Page[],
  heard: (message: string) => void = () => undefined,
): void {
  twitch.onPubSub((record) => {
    heard(record.message);
    for (const page of listening) {
      void page
        .evaluate(
          (message) =>
            (
              window as unknown as { __twitchStandIn: { broadcast(m: string): void } }
            ).__twitchStandIn.broadcast(message),
          record.message,
        )
        .catch(() => undefined);
    }
  });
}
