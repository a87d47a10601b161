import {
  type BroadcastQueue,
  type ChangeItem,
  channelChanged,
  eventChanged,
  lobbyChanged,
  settingsChanged,
} from '../ephemeral/broadcast-queue.js';
import type { Logger } from '../logger.js';

/**
 * Tells a channel's panels (through the Extension PubSub broadcast queue) that something they show
 * changed after a viewer's action. Never delays or fails the action: a notice lost to a Redis hiccup
 * only means the panels see it at their next slow poll.
 */
export class ChannelNotices {
  constructor(
    private readonly queue: BroadcastQueue | null,
    private readonly logger: Logger,
    private readonly clock: () => number,
  ) {}

  /** A lobby's members or ready flags changed; `listChanged` when it opened or closed (every panel lists lobbies). */
  lobby(channelId: string, lobbyId: string, listChanged = false): void {
    this.add(channelId, listChanged ? [lobbyChanged(lobbyId), channelChanged] : [lobbyChanged(lobbyId)]);
  }

  /**
   * The channel's event changed (opened, joined, started, cancelled): every view of it reads it again,
   * and every panel polls (a launch puts viewers' survivors on missions).
   */
  event(channelId: string): void {
    this.add(channelId, [channelChanged, eventChanged]);
  }

  /** The broadcaster changed the channel's rules: panels read the catalog again. */
  settings(channelId: string): void {
    this.add(channelId, [settingsChanged]);
  }

  private add(channelId: string, items: ChangeItem[]): void {
    if (!this.queue) return;
    this.queue.add([{ channelId, items }], this.clock()).catch((error) => {
      this.logger.warn({ err: error, channelId }, 'could not queue a PubSub notice');
    });
  }
}
