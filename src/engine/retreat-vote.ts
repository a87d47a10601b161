import { isDurableId } from '../durable/durable-id.js';
import type { Rules } from '../game/index.js';
import { type ActiveMissionRecord, parseActiveMissionRecord } from './active-mission-record.js';
import { type EngineDeps, now } from './engine-deps.js';
import { MissionEndedError, MissionNotFoundError, NotYourMissionError } from './engine-errors.js';
import { explainMissing, retreatMission } from './retreat-mission.js';

/*
 * A retreat in a group is a party vote: the party goes home once more than half of its members have
 * asked within the rules' retreatVoteWindowMs (a duo needs both, a trio two, a four three). One
 * click by any member no longer ends everyone's mission; a survivor's auto-retreat threshold still
 * protects a viewer who is away. Solo, the viewer's call is the retreat.
 */

/** True while a vote to retreat cast at `votedAt` (ms) still counts at `at`: within the rules' window. */
export function retreatVoteCounts(
  votedAt: number | undefined,
  at: number,
  rules: Pick<Rules, 'retreatVoteWindowMs'>,
): boolean {
  return votedAt !== undefined && votedAt > at - rules.retreatVoteWindowMs;
}

/** Votes a party of `members` needs to retreat: more than half. */
export function retreatVotesNeeded(members: number): number {
  return Math.floor(members / 2) + 1;
}

/** The members' votes to retreat still counting at `at`. */
export function countRetreatVotes(
  record: Pick<ActiveMissionRecord, 'members'>,
  votes: Readonly<Record<string, number>>,
  at: number,
  rules: Pick<Rules, 'retreatVoteWindowMs'>,
): number {
  return record.members.filter((m) => retreatVoteCounts(votes[m.userId], at, rules)).length;
}

export interface RetreatCall {
  /** The party falls back: the retreat tick is committed. */
  retreating: boolean;
  /** Votes counting now (the caller's included), and how many the retreat needs. */
  votes: number;
  needed: number;
}

/** A participant calls the party home: a retreat solo, a vote in a group (see above). */
export async function callRetreat(
  deps: EngineDeps,
  input: { missionId: string; userId: string },
): Promise<RetreatCall> {
  const { missionId, userId } = input;
  if (!isDurableId(missionId)) throw new MissionNotFoundError(missionId);
  const json = await deps.store.getActiveMission(missionId);
  if (json === null) return await explainMissing(deps, missionId);
  const record = parseActiveMissionRecord(json);
  if (!record.members.some((member) => member.userId === userId)) throw new NotYourMissionError(missionId);
  if (record.state.status !== 'active') throw new MissionEndedError(missionId);
  const needed = retreatVotesNeeded(record.members.length);
  let votes = 1;
  if (needed > 1) {
    const at = now(deps);
    const cast = await deps.store.votes.castRetreatVote(missionId, userId, at);
    votes = countRetreatVotes(record, cast, at, deps.content.rules);
    if (votes < needed) return { retreating: false, votes, needed };
  }
  try {
    await retreatMission(deps, input);
  } catch (error) {
    // Two members cast the deciding votes at once: the other's retreat got there first.
    if (!(error instanceof MissionEndedError) || !(await retreated(deps, missionId))) throw error;
  }
  return { retreating: true, votes, needed };
}

async function retreated(deps: EngineDeps, missionId: string): Promise<boolean> {
  const json = await deps.store.getActiveMission(missionId);
  return json !== null && parseActiveMissionRecord(json).state.status === 'retreated';
}
