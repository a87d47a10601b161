/**
 * Something that changed in a channel: `m:<missionId>`, `l:<lobbyId>`, `c` (the whole channel), `e`
 * (the channel's event: its sign-ups, progress or result), or `s` (the channel's settings: panels read
 * the catalog again).
 */
export type ChangeItem = string;

export const missionChanged = (missionId: string): ChangeItem => `m:${missionId}`;
export const lobbyChanged = (lobbyId: string): ChangeItem => `l:${lobbyId}`;
export const channelChanged: ChangeItem = 'c';
export const eventChanged: ChangeItem = 'e';
export const settingsChanged: ChangeItem = 's';

export interface ChannelChanges {
  channelId: string;
  items: readonly ChangeItem[];
}

export interface BroadcastPacing {
  /** Tokens added to a channel's bucket per ms (1 per second: 0.001). */
  refillPerMs: number;
  /** The bucket's size: broadcasts a quiet channel may send back to back. */
  burst: number;
  /** How long a sender holds a channel, in ms: longer than one call to Twitch can take. */
  leaseMs: number;
}

export type TakeOutcome =
  | { kind: 'taken'; items: ChangeItem[] }
  /** Another sender holds the channel. */
  | { kind: 'busy' }
  /** The bucket is empty; the channel is rescheduled for `readyAt` (ms). */
  | { kind: 'wait'; readyAt: number }
  /** Nothing is pending (another sender took it). */
  | { kind: 'empty' };

/**
 * What changed in each channel since its last Extension PubSub broadcast, and who may send the next
 * one. Changes coalesce (a set per channel); a channel is sent by one sender at a time (a lease),
 * within a token bucket shared by every instance. Redis, or in-process for the embedded mode; one
 * contract suite (test/ephemeral/broadcast-queue.contract.test.ts) runs against both.
 */
export interface BroadcastQueue {
  /** Records changes; a channel with nothing pending becomes due now. */
  add(changes: readonly ChannelChanges[], now: number): Promise<void>;
  /** Channels due at `now`, at most `limit`. */
  due(now: number, limit: number): Promise<string[]>;
  /** Takes a channel's pending changes for `senderToken`, if its lease and bucket allow (atomic). */
  take(channelId: string, senderToken: string, now: number, pacing: BroadcastPacing): Promise<TakeOutcome>;
  /** Puts changes back after a failed send, due again at `readyAt`. */
  putBack(channelId: string, items: readonly ChangeItem[], readyAt: number): Promise<void>;
  /** Releases the channel's lease if `senderToken` still holds it. */
  release(channelId: string, senderToken: string): Promise<void>;
}

/** Pending changes outlive an absent sender this long, in ms, so that they never pile up. */
export const PENDING_TTL_MS = 60_000;
