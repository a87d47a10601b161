import { NO_PLAYER_NAME, type PlayerName } from '../durable/player-names.js';
import type { ActiveMissionRecord } from '../engine/active-mission-record.js';
import type { StoredLobby } from '../ephemeral/lobby-store.js';
import type { votesView } from './live-votes.js';
import type { MissionTagFacts } from './mission-tag-facts.js';
import type { MissionView } from './poll-response.js';

/** The users whose names a poll shows: the members of its lobby and of its group missions. */
export function namedUsers(missions: readonly MissionTagFacts[], lobby: StoredLobby | null): string[] {
  const ids = missions.filter((m) => m.kind === 'group').flatMap((m) => m.userIds);
  if (lobby) ids.push(...lobby.lobby.members.map((m) => m.userId));
  return ids;
}

/** How the owner of survivor `survivorId` in `record` is shown. */
function playerOf(
  record: ActiveMissionRecord,
  survivorId: string,
  names: ReadonlyMap<string, PlayerName>,
): PlayerName {
  const owner = record.members.find((x) => x.survivorId === survivorId)?.userId;
  return (owner !== undefined && names.get(owner)) || NO_PLAYER_NAME;
}

/**
 * A live mission as the user `userId` sees it: lines after tick `after`; whose survivors are theirs;
 * their owners by `names`; the votes under way.
 */
export function toMissionView(
  record: ActiveMissionRecord,
  after: number,
  userId: string,
  names: ReadonlyMap<string, PlayerName>,
  votes: ReturnType<typeof votesView>,
): MissionView {
  const { state } = record;
  const lines = record.recent.filter((line) => line.tick > after);
  return {
    id: record.id,
    kind: record.kind,
    channelId: record.channelId,
    status: state.status,
    location: state.location,
    difficulty: state.difficulty,
    tick: record.tick,
    length: state.length,
    startedAt: record.startedAt,
    intervalMs: record.intervalMs,
    nextTickAt: record.nextTickAt,
    supplies: state.supplies,
    weather: state.modifiers[0] ?? null,
    time: state.modifiers[1] ?? null,
    party: state.party.map((m) => ({
      id: m.id,
      name: m.name,
      mine: record.members.some((x) => x.survivorId === m.id && x.userId === userId),
      ...playerOf(record, m.id, names),
      health: m.health,
      maxHealth: m.maxHealth,
      stamina: m.stamina,
      maxStamina: m.maxStamina,
      downed: m.downed,
      dead: m.dead,
      status: Object.keys(m.status),
    })),
    lines,
    missedLines: lines.length > 0 && lines[0]!.tick > after + 1,
    result: record.result ?? null,
    ...votes,
  };
}
