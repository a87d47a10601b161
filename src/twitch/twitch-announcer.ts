import { randomUUID } from 'node:crypto';
import type {
  ChannelAnnouncer,
  EventEndedNotice,
  EventHighlightNotice,
  EventNotice,
  EventProgressNotice,
  EventStartedNotice,
} from '../channel-announcer.js';
import { getChannelSettings } from '../durable/channels.js';
import type { Database } from '../durable/database.js';
import { type BroadcastQueue, channelChanged, eventChanged } from '../ephemeral/broadcast-queue.js';
import type { EphemeralConnection, Locks } from '../ephemeral/ephemeral-store.js';
import type { Logger } from '../logger.js';
import { sendExtensionChat } from './extension-chat.js';
import type { TwitchApi } from './twitch-api.js';

/**
 * At most one highlight in chat per channel per this many ms, across all instances. With an event's
 * start and end that keeps the extension far under Twitch's 12 chat messages a minute per channel.
 */
export const CHAT_HIGHLIGHT_COOLDOWN_MS = 120_000;

const KIND_NAMES: Record<EventNotice['kind'], string> = {
  horde_night: 'Horde night',
  boss_raid: 'Boss raid',
};

/**
 * The ChannelAnnouncer of the Twitch platform: every event notice reaches the channel's panels as an
 * Extension PubSub change (coalesced, one sender per channel), and the start, the result and rare
 * highlights are posted in chat when the broadcaster allows it (channel setting chatMessagesEnabled).
 */
export class TwitchAnnouncer implements ChannelAnnouncer {
  private readonly token = randomUUID();

  constructor(
    private readonly deps: {
      api: TwitchApi;
      db: Database;
      store: Locks & Pick<EphemeralConnection, 'keys'>;
      broadcasts: BroadcastQueue;
      logger: Logger;
      clock?: () => number;
    },
  ) {}

  async eventStarted(notice: EventStartedNotice): Promise<void> {
    await this.changed(notice.channelId);
    const until = new Date(notice.signupEndsAt).toISOString().slice(11, 16);
    await this.chat(
      notice.channelId,
      `${KIND_NAMES[notice.kind]} at ${notice.location} (difficulty ${notice.difficulty})! Send a survivor from the Holdout panel before ${until} UTC.`,
    );
  }

  async eventProgress(notice: EventProgressNotice): Promise<void> {
    await this.changed(notice.channelId);
  }

  async eventHighlight(notice: EventHighlightNotice): Promise<void> {
    await this.changed(notice.channelId);
    const { store } = this.deps;
    // A highlight is rare by design: the first instance to take the cooldown speaks, the others stay quiet.
    const key = store.keys.chatCooldown(notice.channelId);
    if (!(await store.acquireLock(key, this.token, CHAT_HIGHLIGHT_COOLDOWN_MS))) return;
    await this.chat(notice.channelId, notice.text);
  }

  async eventEnded(notice: EventEndedNotice): Promise<void> {
    await this.changed(notice.channelId);
    const top = notice.top[0];
    const outcome =
      notice.outcome === 'succeeded'
        ? 'was held'
        : notice.outcome === 'failed'
          ? 'was lost'
          : 'was called off';
    const best = top ? ` Top survivor: ${top.survivorName}.` : '';
    await this.chat(
      notice.channelId,
      `${KIND_NAMES[notice.kind]} at ${notice.location} ${outcome}: ${notice.progress}/${notice.goal} with ${notice.participants} survivors.${best}`,
    );
  }

  private async changed(channelId: string): Promise<void> {
    await this.deps.broadcasts.add(
      [{ channelId, items: [channelChanged, eventChanged] }],
      (this.deps.clock ?? Date.now)(),
    );
  }

  private async chat(channelId: string, text: string): Promise<void> {
    const settings = await getChannelSettings(this.deps.db, channelId);
    if (!settings.chatMessagesEnabled) return;
    await sendExtensionChat(this.deps.api, channelId, text);
  }
}
