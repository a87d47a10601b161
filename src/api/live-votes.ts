import type { ActiveMissionRecord } from '../engine/active-mission-record.js';
import { type ChoiceView, choiceView } from '../engine/mission-choice.js';
import { countRetreatVotes, retreatVoteCounts, retreatVotesNeeded } from '../engine/retreat-vote.js';
import type { ChoiceVotes, MissionVoteStore } from '../ephemeral/mission-votes.js';
import type { Content } from '../game/index.js';
import type { MissionTagFacts } from './mission-tag-facts.js';

/** The votes under way in one mission, as the poll reads them. */
export interface LiveVotes {
  choice: ChoiceVotes | null;
  retreat: Record<string, number> | null;
}

/**
 * The votes under way in these missions, in one round trip each kind: the open choice point's (read
 * only while one is open: 2 ticks in 8) and a group's retreat votes (groups only).
 */
export async function readLiveVotes(
  votes: MissionVoteStore,
  missions: readonly MissionTagFacts[],
): Promise<LiveVotes[]> {
  const choiceAt = missions.flatMap((m) =>
    m.choiceDecidesAt !== null ? [{ missionId: m.id, decidesAt: m.choiceDecidesAt }] : [],
  );
  const groups = missions.filter((m) => m.retreatVoteOpen).map((m) => m.id);
  const [choices, retreats] = await Promise.all([
    votes.readChoiceVotes(choiceAt),
    votes.readRetreatVotes(groups),
  ]);
  let c = 0;
  let g = 0;
  return missions.map((m) => ({
    choice: m.choiceDecidesAt !== null ? choices[c++]! : null,
    retreat: m.retreatVoteOpen ? retreats[g++]! : null,
  }));
}

/** What a viewer sees of a mission's votes: the open choice and the party's retreat vote. */
export function votesView(
  record: ActiveMissionRecord,
  votes: LiveVotes,
  userId: string,
  content: Content,
  at: number,
): { choice: ChoiceView | null; retreatVote: { votes: number; needed: number; mine: boolean } | null } {
  const choice = votes.choice ? choiceView(record, votes.choice, userId, content) : null;
  if (!votes.retreat) return { choice, retreatVote: null };
  const mine = retreatVoteCounts(votes.retreat[userId], at, content.rules);
  return {
    choice,
    retreatVote: {
      votes: countRetreatVotes(record, votes.retreat, at, content.rules),
      needed: retreatVotesNeeded(record.members.length),
      mine,
    },
  };
}
