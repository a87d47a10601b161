import { randomUUID } from 'node:crypto';
import type { BroadcastPacing, BroadcastQueue } from '../ephemeral/broadcast-queue.js';
import type { Logger } from '../logger.js';
import { encodeNotice } from './broadcast-notice.js';
import { HelixError, HelixRateLimitedError } from './twitch-errors.js';

export interface BroadcastSenderOptions extends BroadcastPacing {
  /** Channels looked at per pass. @default 100 */
  channelsPerPass: number;
  /** After a failed send (network, 5xx), the changes are retried this much later, in ms. @default 2000 */
  retryAfterMs: number;
}

/**
 * Twitch allows 100 Extension PubSub messages a minute per channel; Holdout sends at most one a second
 * with a burst of 5 (at most 65 in any minute), so that a channel never meets the limit.
 */
export const DEFAULT_BROADCAST_SENDER_OPTIONS: BroadcastSenderOptions = {
  refillPerMs: 1 / 1_000,
  burst: 5,
  leaseMs: 15_000,
  channelsPerPass: 100,
  retryAfterMs: 2_000,
};

export type SendBroadcast = (channelId: string, message: string) => Promise<void>;

export interface BroadcastSenderMetrics {
  sent(): void;
  failed(reason: 'rate_limited' | 'unavailable' | 'refused'): void;
}

/**
 * One of any number of senders (one per API or worker process) that turn each channel's coalesced
 * changes into Extension PubSub broadcasts. The queue's lease makes it one sender per channel at a
 * time across all instances; its shared bucket keeps the channel within Twitch's rate.
 */
export class BroadcastSender {
  readonly token = randomUUID();

  constructor(
    private readonly queue: BroadcastQueue,
    private readonly send: SendBroadcast,
    private readonly options: BroadcastSenderOptions = DEFAULT_BROADCAST_SENDER_OPTIONS,
    private readonly logger?: Logger,
    private readonly metrics?: BroadcastSenderMetrics,
    private readonly clock: () => number = Date.now,
  ) {}

  /** One pass over the due channels; resolves with how many broadcasts it sent. */
  async runPass(): Promise<number> {
    const channels = await this.queue.due(this.clock(), this.options.channelsPerPass);
    const sent = await Promise.all(channels.map((channelId) => this.sendChannel(channelId)));
    return sent.filter(Boolean).length;
  }

  private async sendChannel(channelId: string): Promise<boolean> {
    const taken = await this.queue.take(channelId, this.token, this.clock(), this.options);
    if (taken.kind !== 'taken') return false;
    try {
      await this.send(channelId, encodeNotice(taken.items));
      this.metrics?.sent();
      return true;
    } catch (error) {
      if (error instanceof HelixRateLimitedError) {
        this.metrics?.failed('rate_limited');
        await this.queue.putBack(channelId, taken.items, error.retryAt);
      } else if (error instanceof HelixError) {
        // Twitch refused the message itself (a 4xx other than 429): sending it again cannot help.
        this.metrics?.failed('refused');
        this.logger?.error({ err: error, channelId }, 'Twitch refused a PubSub broadcast; dropped');
      } else {
        this.metrics?.failed('unavailable');
        this.logger?.warn({ err: error, channelId }, 'PubSub broadcast failed; retrying');
        await this.queue.putBack(channelId, taken.items, this.clock() + this.options.retryAfterMs);
      }
      return false;
    } finally {
      await this.queue.release(channelId, this.token);
    }
  }
}
