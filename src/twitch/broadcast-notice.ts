import { type ChangeItem, eventChanged, settingsChanged } from '../ephemeral/broadcast-queue.js';
import { PUBSUB_MESSAGE_MAX_BYTES } from './extension-pubsub.js';

/**
 * What a broadcast tells every panel of a channel: which missions and lobbies changed, or that the
 * channel as a whole did (`channel`: lobby list, event progress, or too many changes to list). A panel
 * whose mission or lobby is named, or any panel when `channel` is set, polls; the others stay quiet.
 * `event`: the channel's event changed, so every view of it reads it again at once. `settings`: the
 * broadcaster changed the channel's rules, every panel reads the catalog again.
 */
export interface BroadcastNotice {
  v: 1;
  missions?: string[];
  lobbies?: string[];
  channel?: true;
  event?: true;
  settings?: true;
}

/** The one message (≤ 5 KB) for a channel's coalesced changes. */
export function encodeNotice(items: readonly ChangeItem[]): string {
  const missions: string[] = [];
  const lobbies: string[] = [];
  let channel = false;
  let event = false;
  let settings = false;
  for (const item of items) {
    if (item.startsWith('m:')) missions.push(item.slice(2));
    else if (item.startsWith('l:')) lobbies.push(item.slice(2));
    else if (item === eventChanged) event = true;
    else if (item === settingsChanged) settings = true;
    else channel = true;
  }
  const notice: BroadcastNotice = { v: 1 };
  if (missions.length > 0) notice.missions = missions.sort();
  if (lobbies.length > 0) notice.lobbies = lobbies.sort();
  if (channel) notice.channel = true;
  if (event) notice.event = true;
  if (settings) notice.settings = true;
  const message = JSON.stringify(notice);
  // Too many to name in one message: every panel polls (with jitter), which is still one message.
  if (Buffer.byteLength(message) > PUBSUB_MESSAGE_MAX_BYTES)
    return JSON.stringify({
      v: 1,
      channel: true,
      ...(event ? { event: true } : {}),
      ...(settings ? { settings: true } : {}),
    });
  return message;
}
