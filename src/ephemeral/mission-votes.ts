/*
 * Viewers' votes inside a mission (ephemeral, ADR-0006): the votes of an open choice point, and a
 * group's votes to retreat. Losing them loses only votes not yet used: the tick that applies a choice
 * logs the stance it used in its effects, and that log, not these keys, is what replay and a rebuild read.
 */

/** How long votes are kept, in ms: far longer than a tick can wait to be run again after a crash. */
export const MISSION_VOTES_TTL_MS = 3_600_000;

/** The hash field that marks a choice point's vote closed (never a user id: those are digits). */
export const CLOSED_MARK = '!closed';

/** A choice point: the mission, and the tick its choice applies at. */
export interface ChoiceRef {
  missionId: string;
  decidesAt: number;
}

/** user id → the option voted for. */
export type Votes = Record<string, string>;

export interface ChoiceVotes {
  votes: Votes;
  /** The tick that applies the choice has read the votes: no vote is taken any more. */
  closed: boolean;
}

/** A vote hash as HGETALL returns it (flat or as an object), split into the votes and the closed mark. */
export function choiceVotesOf(hash: readonly string[] | Record<string, string>): ChoiceVotes {
  const entries: [string, string][] = [];
  if (Array.isArray(hash))
    for (let i = 0; i + 1 < hash.length; i += 2) entries.push([hash[i]!, hash[i + 1]!]);
  else entries.push(...Object.entries(hash));
  const votes: Votes = {};
  let closed = false;
  for (const [field, value] of entries) {
    if (field === CLOSED_MARK) closed = true;
    else votes[field] = value;
  }
  return { votes, closed };
}

/** Mission votes, a role of the ephemeral store (`store.votes`); the contract suite checks both stores. */
export interface MissionVoteStore {
  /** Records `userId`'s vote (replacing theirs) unless the choice was closed: false then, nothing written. */
  castChoiceVote(choice: ChoiceRef, userId: string, option: string): Promise<boolean>;
  /** The votes of each choice, one round trip. */
  readChoiceVotes(choices: readonly ChoiceRef[]): Promise<ChoiceVotes[]>;
  /** Closes each choice and returns its votes, one round trip; closing again returns the same votes. */
  closeChoiceVotes(choices: readonly ChoiceRef[]): Promise<Votes[]>;
  /** Records `userId`'s vote to retreat, cast at `at` (ms), and returns every vote (user id → ms). */
  castRetreatVote(missionId: string, userId: string, at: number): Promise<Record<string, number>>;
  /** Each mission's retreat votes (user id → ms), one round trip. */
  readRetreatVotes(missionIds: readonly string[]): Promise<Record<string, number>[]>;
}

/** A retreat vote hash as HGETALL returns it, as numbers. */
export function retreatVotesOf(hash: Record<string, string>): Record<string, number> {
  const votes: Record<string, number> = {};
  for (const [user, ms] of Object.entries(hash)) votes[user] = Number(ms);
  return votes;
}
