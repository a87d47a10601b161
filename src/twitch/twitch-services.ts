import { EngineLoop } from '../engine/engine-loop.js';
import type { Runtime } from '../runtime.js';
import {
  BroadcastSender,
  type BroadcastSenderOptions,
  DEFAULT_BROADCAST_SENDER_OPTIONS,
} from './broadcast-sender.js';
import { broadcastsEnabled } from './broadcasts-enabled.js';
import {
  DEFAULT_DISPLAY_NAME_OPTIONS,
  DisplayNameRefresher,
  type DisplayNameRefresherOptions,
} from './display-name-refresher.js';
import { sendChannelBroadcast } from './extension-pubsub.js';
import { type TwitchApi, twitchApiFor } from './twitch-api.js';
import { createTwitchMetrics } from './twitch-metrics.js';

/** How often a sender looks for channels with changes to broadcast, in ms (±25 % jitter). */
const BROADCAST_POLL_MS = 100;
/** How often the display-name refresher looks for viewers without a name, in ms (±25 % jitter). */
const DISPLAY_NAME_POLL_MS = 5_000;

export interface TwitchServicesOptions {
  api?: TwitchApi;
  broadcast?: Partial<BroadcastSenderOptions>;
  displayNames?: Partial<DisplayNameRefresherOptions>;
  /** How often the display-name refresher looks for work, in ms. @default 5000 */
  displayNamePollMs?: number;
}

export interface RunningTwitchServices {
  api: TwitchApi;
  sender: BroadcastSender | null;
  displayNames: DisplayNameRefresher | null;
  stop(): Promise<void>;
}

/**
 * The background work of one process toward Twitch: its Extension PubSub sender (every API and worker
 * process runs one; the queue's lease makes them one sender per channel), and, with an app token
 * (TWITCH_CLIENT_SECRET), the display-name refresher (a job lock makes it one instance at a time).
 */
export function startTwitchServices(
  runtime: Runtime,
  options: TwitchServicesOptions = {},
): RunningTwitchServices {
  const api = options.api ?? twitchApiFor(runtime.config);
  const logger = runtime.logger.child({ component: 'twitch' });
  const metrics = createTwitchMetrics(runtime.registry);
  const loops: EngineLoop[] = [];
  let sender: BroadcastSender | null = null;
  if (broadcastsEnabled(runtime.config)) {
    sender = new BroadcastSender(
      runtime.store.broadcasts,
      (channelId, message) => sendChannelBroadcast(api, channelId, message),
      { ...DEFAULT_BROADCAST_SENDER_OPTIONS, ...options.broadcast },
      logger,
      metrics.broadcasts,
    );
    const running = sender;
    loops.push(
      new EngineLoop('pubsub-sender', async () => (await running.runPass()) > 0, BROADCAST_POLL_MS, logger),
    );
  }
  let displayNames: DisplayNameRefresher | null = null;
  if (api.appToken.configured) {
    displayNames = new DisplayNameRefresher(
      { db: runtime.db, store: runtime.store, api, logger, metrics: metrics.displayNames },
      { ...DEFAULT_DISPLAY_NAME_OPTIONS, ...options.displayNames },
    );
    const running = displayNames;
    loops.push(
      new EngineLoop(
        'display-names',
        () => running.runPass(),
        options.displayNamePollMs ?? DISPLAY_NAME_POLL_MS,
        logger,
      ),
    );
  }
  for (const loop of loops) loop.start();
  return {
    api,
    sender,
    displayNames,
    async stop() {
      await Promise.all(loops.map((loop) => loop.stop()));
    },
  };
}
