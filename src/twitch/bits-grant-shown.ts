import { type BroadcastQueue, channelChanged } from '../ephemeral/broadcast-queue.js';
import type { EphemeralStore } from '../ephemeral/ephemeral-store.js';
import { PlayerNameCache } from '../ephemeral/player-name-cache.js';
import { ViewerCache } from '../ephemeral/viewer-cache.js';

/**
 * What a grant made outside a viewer's request (`holdout bits reconcile`) must touch besides Postgres so
 * that panels show it at once: the buyers' cached rosters and names, and the channel's panels.
 */
export interface BitsGrantShown {
  /** Drops the cached rosters (`viewer:{userId}`) and names (`display_name:{userId}`) of these users. */
  forget(userIds: readonly string[]): Promise<void>;
  /** Tells the channel's panels to poll (an Extension PubSub change), when broadcasts are on. */
  announce(channelId: string): Promise<void>;
}

/**
 * The stores' side of BitsGrantShown. `broadcasts` is null when the backend does not broadcast: panels
 * then poll every few seconds anyway.
 */
export function bitsGrantShownIn(
  store: EphemeralStore,
  broadcasts: BroadcastQueue | null,
  clock: () => number = Date.now,
): BitsGrantShown {
  const rosters = new ViewerCache(store);
  const names = new PlayerNameCache(store);
  return {
    async forget(userIds) {
      if (userIds.length === 0) return;
      await Promise.all([rosters.invalidate(userIds), names.forget(userIds)]);
    },
    async announce(channelId) {
      await broadcasts?.add([{ channelId, items: [channelChanged] }], clock());
    },
  };
}
