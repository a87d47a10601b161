import type { z } from 'zod';
import type { pollResponse } from '../../api/routes/poll-route.js';
import type { lobbyView, missionSummary, survivorView } from '../../api/schemas.js';

// The API's own schemas are the contract: these are type-only imports, erased from the bundle.

export type Poll = z.infer<typeof pollResponse>;
export type Survivor = z.infer<typeof survivorView>;
export type Lobby = z.infer<typeof lobbyView>;
export type LiveMission = Poll['missions'][number];
export type PartyMember = LiveMission['party'][number];
export type LogLine = LiveMission['lines'][number];
export type MissionSummary = z.infer<typeof missionSummary>;
export type LifecycleState = Survivor['state'];
export type MissionLength = 'short' | 'standard' | 'long';

export interface ChannelSettings {
  maxDifficulty: number;
  groupMissionsEnabled: boolean;
  missionLength: MissionLength;
}

export interface Catalog {
  locations: { id: string; name: string; description: string; traits: string[] }[];
  difficulties: {
    level: number;
    name: string;
    lengthTicks: number;
    danger: number;
    deathChance: number;
    allowed: boolean;
  }[];
  perks: { id: string; name: string; description: string; minLevel: number }[];
  settings: ChannelSettings;
  tickIntervalMs: number;
  contentVersion: string;
}

/** One survivor's outcome in a mission result (game finishMission). */
export interface SurvivorOutcome {
  survivorId: string;
  xpGained: number;
  xp: number;
  level: number;
  levelsGained: number;
  perkOffers: string[];
  health: number;
  dead: boolean;
  recoveryMs: number;
}

export interface MissionResult {
  status: 'succeeded' | 'failed' | 'retreated';
  ticks: number;
  supplies: number;
  survivors: SurvivorOutcome[];
  summary: string;
}

export interface LeaderboardEntry {
  rank: number;
  survivorId: string;
  name: string;
  level: number;
  dead: boolean;
  missions: number;
  succeeded: number;
  xp: number;
  supplies: number;
}

export interface FullLogLine {
  tick: number;
  encounterId: string;
  text: string;
  scheduledAt: number;
}

/** The broadcaster's mission length setting scales every difficulty's length (engine MISSION_LENGTH_SCALE). */
export const MISSION_LENGTH_SCALE: Record<MissionLength, number> = { short: 0.5, standard: 1, long: 1.5 };

export function missionTicks(lengthTicks: number, length: MissionLength): number {
  return Math.max(1, Math.round(lengthTicks * MISSION_LENGTH_SCALE[length]));
}
