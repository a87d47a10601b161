import type { ChannelAnnouncer } from '../channel-announcer.js';
import type { Config } from '../config.js';
import type { ChannelEventRecord } from '../durable/channel-events.js';
import type { Database } from '../durable/database.js';
import type { OpenChannelEventInput } from '../engine/channel-event-signup.js';
import type { EngineDeps } from '../engine/engine-deps.js';
import type { UserDirectory } from '../engine/user-directory.js';
import type { EphemeralStore } from '../ephemeral/ephemeral-store.js';
import type { LobbyStore } from '../ephemeral/lobby-store.js';
import type { ViewerCache } from '../ephemeral/viewer-cache.js';
import type { Content } from '../game/index.js';
import type { Logger } from '../logger.js';
import type { NewTokenLimit } from './auth/new-token-limit.js';
import type { TwitchTokenVerifier } from './auth/twitch-jwt.js';
import type { ChannelNotices } from './channel-notices.js';
import type { PlayerNames } from './player-names.js';
import type { RateLimits } from './rate-limits.js';

// The engine's own types: the API starts missions through the engine's functions, with its deps.
export type { StartedMission, StartMissionInput } from '../engine/start-mission.js';

interface EventRef {
  channelId: string;
  eventId: string;
}

/** The engine's channel-event services the API calls (src/engine/channel-event-signup.ts). */
export interface ChannelEventServices {
  open(input: OpenChannelEventInput): Promise<ChannelEventRecord>;
  join(input: EventRef & { userId: string; survivorId: string }): Promise<void>;
  removeParticipant(input: EventRef & { userId: string }): Promise<void>;
  closeSignup(input: EventRef): Promise<void>;
  cancel(input: EventRef): Promise<ChannelEventRecord>;
}

/** Everything the routes use, built once per app from the runtime. */
export interface ApiContext {
  config: Config;
  logger: Logger;
  db: Database;
  store: EphemeralStore;
  content: Content;
  lobbies: LobbyStore;
  viewerCache: ViewerCache;
  tokens: TwitchTokenVerifier;
  /** The per-address budget of tokens to verify, checked before each verification. */
  newTokens: NewTokenLimit;
  users: UserDirectory;
  /** How survivors' owners are shown in lobbies and live group missions (display name, title). */
  playerNames: PlayerNames;
  rateLimits: RateLimits;
  /** The engine's deps on this runtime: missions are started, retreated and decided through the engine's functions. */
  engine: EngineDeps;
  events: ChannelEventServices;
  /** Tells the channel's panels what changed (Extension PubSub), when broadcasts are on. */
  notices: ChannelNotices;
  clock: () => number;
  /** Where channel events announce their lifecycle (the runtime's). */
  announcer: ChannelAnnouncer;
}
