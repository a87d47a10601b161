import type { z } from 'zod';
import type { currentEventResponse, eventView } from '../../api/event-schemas.js';
import type { pollResponse } from '../../api/poll-response.js';
import type { seasonResponse } from '../../api/routes/season-route.js';
import type { stashView } from '../../api/routes/stash-routes.js';
import type { channelSettings, lobbyView, missionSummary, survivorView } from '../../api/schemas.js';
import type {
  LeaderboardEntry as DurableLeaderboardEntry,
  MissionLogLine,
} from '../../durable/mission-history.js';

export type { MissionResult, Purchase, SurvivorOutcome } from '../../game/index.js';

// The API's own schemas are the contract: these are type-only imports, erased from the bundle.

export type Poll = z.infer<typeof pollResponse>;
export type Survivor = z.infer<typeof survivorView>;
export type Lobby = z.infer<typeof lobbyView>;
export type LiveMission = Poll['missions'][number];
export type PartyMember = LiveMission['party'][number];
export type LogLine = LiveMission['lines'][number];
export type OpenChoice = NonNullable<LiveMission['choice']>;
export type RetreatVote = NonNullable<LiveMission['retreatVote']>;
export type MissionSummary = z.infer<typeof missionSummary>;
export type LifecycleState = Survivor['state'];
export type Stash = z.infer<typeof stashView>;

export type ChannelSettings = z.infer<typeof channelSettings>;
export type ChannelEvent = z.infer<typeof eventView>;
export type CurrentEvent = z.infer<typeof currentEventResponse>;
export type ChannelEventKind = ChannelEvent['kind'];
export type Season = z.infer<typeof seasonResponse>;
export type MissionLength = ChannelSettings['missionLength'];

export interface Catalog {
  locations: {
    id: string;
    name: string;
    description: string;
    traits: string[];
    /** Simulated solo odds per difficulty (0–1); absent from older servers. */
    odds?: { difficulty: number; success: number; death: number }[];
  }[];
  difficulties: {
    level: number;
    name: string;
    lengthTicks: number;
    danger: number;
    deathChance: number;
    allowed: boolean;
  }[];
  perks: { id: string; name: string; description: string; minLevel: number }[];
  modifiers: { id: string; kind: 'weather' | 'time'; name: string }[];
  statuses: { id: string; name: string }[];
  /** What a party may choose at a choice point. Optional: a panel may meet an API from before stances. */
  stances?: { id: string; name: string; description: string }[];
  /** A group retreats once more than half of it voted within this many ms. Optional: older APIs lack it. */
  retreatVoteWindowMs?: number;
  settings: ChannelSettings;
  tickIntervalMs: number;
  contentVersion: string;
  /** The backend announces changes by Extension PubSub: poll when told, slowly otherwise. */
  broadcasts: boolean;
}

/** A Bits product as GET /v1/bits/products lists it (the SKUs of the Twitch developer console). */
export interface BitsProductView {
  sku: string;
  displayName: string;
  bits: number;
  description: string;
  /** What the viewer chooses before buying: one of their fallen survivors, their lobby, or nothing. */
  target: 'survivor' | 'lobby' | 'none';
}

export interface BitsTarget {
  survivorId?: string;
  lobbyId?: string;
}

/** POST /v1/bits/transactions: what became of a receipt. */
export interface BitsOutcome {
  transactionId: string;
  sku: string;
  status: 'fulfilled' | 'failed';
  reason: string | null;
  /** The receipt was seen before: nothing was done again. */
  duplicate: boolean;
}

/** The channel leaderboard's rows: the durable ranking, numbered by the API. */
export type LeaderboardEntry = DurableLeaderboardEntry & { rank: number };

export type FullLogLine = MissionLogLine;

// A value import, but of a module with no imports of its own: the rule itself, not a copy of it.
export { scaledMissionLength as missionTicks } from '../../game/mission-length.js';
