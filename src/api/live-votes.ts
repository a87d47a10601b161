import type { ActiveMissionRecord } from '../engine/active-mission-record.js';
import { type ChoiceView, choiceView } from '../engine/mission-choice.js';
import { countRetreatVotes, RETREAT_VOTE_WINDOW_MS, retreatVotesNeeded } from '../engine/retreat-vote.js';
import type { ChoiceVotes, MissionVoteStore } from '../ephemeral/mission-votes.js';
import { type Content, openChoice } from '../game/index.js';

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
  content: Content,
  records: readonly ActiveMissionRecord[],
): Promise<LiveVotes[]> {
  const open = records.map((r) => openChoice(r.state, content.rules));
  const choiceAt = records.flatMap((r, i) =>
    open[i] ? [{ missionId: r.id, decidesAt: open[i].decidesAt }] : [],
  );
  const groups = records.filter((r) => r.kind === 'group' && r.state.status === 'active').map((r) => r.id);
  const [choices, retreats] = await Promise.all([
    votes.readChoiceVotes(choiceAt),
    votes.readRetreatVotes(groups),
  ]);
  let c = 0;
  return records.map((r, i) => ({
    choice: open[i] ? choices[c++]! : null,
    retreat: r.kind === 'group' && r.state.status === 'active' ? retreats[groups.indexOf(r.id)]! : null,
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
  const mine = (votes.retreat[userId] ?? -Infinity) > at - RETREAT_VOTE_WINDOW_MS;
  return {
    choice,
    retreatVote: {
      votes: countRetreatVotes(record, votes.retreat, at),
      needed: retreatVotesNeeded(record.members.length),
      mine,
    },
  };
}
