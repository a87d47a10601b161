import type { SeasonPeriod } from '../game/season-period.js';
import type { Queryable } from './database.js';

export type MissionLength = 'short' | 'standard' | 'long';

/** A broadcaster's rules for their channel. */
export interface ChannelSettings {
  /** Highest difficulty viewers may pick, 1..5. @default 5 */
  maxDifficulty: number;
  /** Whether lobbies (group missions) are open. @default true */
  groupMissionsEnabled: boolean;
  /** @default 'standard' */
  missionLength: MissionLength;
  /** Whether the extension posts event starts, results and rare highlights in chat. @default true */
  chatMessagesEnabled: boolean;
  /** Whether the channel's moderators may open, start, cancel and moderate events. @default false */
  moderatorsRunEvents: boolean;
  /** How long a season (its boards and channel goal) lasts. @default 'weekly' */
  seasonPeriod: SeasonPeriod;
  /** Missions the channel aims to hold out per season. @default 500 */
  seasonGoal: number;
}

/** What a channel plays by until its broadcaster changes something (the table's defaults). */
export const DEFAULT_CHANNEL_SETTINGS: ChannelSettings = {
  maxDifficulty: 5,
  groupMissionsEnabled: true,
  missionLength: 'standard',
  chatMessagesEnabled: true,
  moderatorsRunEvents: false,
  seasonPeriod: 'weekly',
  seasonGoal: 500,
};

interface RawChannel {
  max_difficulty: number;
  group_missions_enabled: boolean;
  mission_length: MissionLength;
  chat_messages_enabled: boolean;
  moderators_run_events: boolean;
  season_period: SeasonPeriod;
  season_goal: number;
}

const toSettings = (row: RawChannel): ChannelSettings => ({
  maxDifficulty: row.max_difficulty,
  groupMissionsEnabled: row.group_missions_enabled,
  missionLength: row.mission_length,
  chatMessagesEnabled: row.chat_messages_enabled,
  moderatorsRunEvents: row.moderators_run_events,
  seasonPeriod: row.season_period,
  seasonGoal: row.season_goal,
});

const SETTINGS_COLUMNS =
  'max_difficulty, group_missions_enabled, mission_length, chat_messages_enabled, moderators_run_events, ' +
  'season_period, season_goal';

/** The channel's settings; the defaults for a channel whose broadcaster never set any. */
export async function getChannelSettings(db: Queryable, channelId: string): Promise<ChannelSettings> {
  const result = await db.query<RawChannel>(
    `SELECT ${SETTINGS_COLUMNS} FROM channels WHERE channel_id = $1`,
    [channelId],
  );
  return result.rows[0] ? toSettings(result.rows[0]) : { ...DEFAULT_CHANNEL_SETTINGS };
}

const UPSERT_CHANNEL = `
  INSERT INTO channels AS c (channel_id, max_difficulty, group_missions_enabled, mission_length, chat_messages_enabled,
                             moderators_run_events, season_period, season_goal)
  VALUES ($1, COALESCE($2, 5), COALESCE($3, true), COALESCE($4, 'standard'), COALESCE($5, true), COALESCE($6, false),
          COALESCE($7, 'weekly'), COALESCE($8, 500))
  ON CONFLICT (channel_id) DO UPDATE SET
    max_difficulty = COALESCE($2, c.max_difficulty),
    group_missions_enabled = COALESCE($3, c.group_missions_enabled),
    mission_length = COALESCE($4, c.mission_length),
    chat_messages_enabled = COALESCE($5, c.chat_messages_enabled),
    moderators_run_events = COALESCE($6, c.moderators_run_events),
    season_period = COALESCE($7, c.season_period),
    season_goal = COALESCE($8, c.season_goal),
    updated_at = now()
  RETURNING ${SETTINGS_COLUMNS}`;

/** Changes the given settings (the others keep their value) and returns them all. */
export async function updateChannelSettings(
  db: Queryable,
  channelId: string,
  changes: Partial<ChannelSettings>,
): Promise<ChannelSettings> {
  const result = await db.query<RawChannel>(UPSERT_CHANNEL, [
    channelId,
    changes.maxDifficulty ?? null,
    changes.groupMissionsEnabled ?? null,
    changes.missionLength ?? null,
    changes.chatMessagesEnabled ?? null,
    changes.moderatorsRunEvents ?? null,
    changes.seasonPeriod ?? null,
    changes.seasonGoal ?? null,
  ]);
  return toSettings(result.rows[0]!);
}
