import type { KeyNames } from './keys.js';
import {
  type ChoiceRef,
  type ChoiceVotes,
  MISSION_VOTES_TTL_MS,
  type MissionVoteStore,
  type Votes,
} from './mission-votes.js';

interface VoteHash {
  fields: Map<string, string>;
  closed: boolean;
  expiresAt: number;
}

/** Votes inside missions in the process, step for step as the Lua scripts do (the contract suite holds them together). */
export class MemoryMissionVotes implements MissionVoteStore {
  private readonly hashes = new Map<string, VoteHash>();

  constructor(
    private readonly keys: KeyNames,
    private readonly clock: () => number,
  ) {}

  /** The live hash under `key`; with `create`, a new empty one when there is none. */
  private hash(key: string, create: boolean): VoteHash | undefined {
    const found = this.hashes.get(key);
    if (found && found.expiresAt > this.clock()) return found;
    if (found) this.hashes.delete(key);
    if (!create) return undefined;
    const made: VoteHash = { fields: new Map(), closed: false, expiresAt: 0 };
    this.hashes.set(key, made);
    return made;
  }

  private touch(hash: VoteHash): void {
    hash.expiresAt = this.clock() + MISSION_VOTES_TTL_MS;
  }

  async castChoiceVote(choice: ChoiceRef, userId: string, option: string): Promise<boolean> {
    const key = this.keys.choiceVotes(choice.missionId, choice.decidesAt);
    if (this.hash(key, false)?.closed) return false;
    const hash = this.hash(key, true)!;
    hash.fields.set(userId, option);
    this.touch(hash);
    return true;
  }

  async readChoiceVotes(choices: readonly ChoiceRef[]): Promise<ChoiceVotes[]> {
    return choices.map((choice) => {
      const hash = this.hash(this.keys.choiceVotes(choice.missionId, choice.decidesAt), false);
      return { votes: Object.fromEntries(hash?.fields ?? []), closed: hash?.closed ?? false };
    });
  }

  async closeChoiceVotes(choices: readonly ChoiceRef[]): Promise<Votes[]> {
    return choices.map((choice) => {
      const hash = this.hash(this.keys.choiceVotes(choice.missionId, choice.decidesAt), true)!;
      hash.closed = true;
      this.touch(hash);
      return Object.fromEntries(hash.fields);
    });
  }

  async castRetreatVote(missionId: string, userId: string, at: number): Promise<Record<string, number>> {
    const hash = this.hash(this.keys.retreatVotes(missionId), true)!;
    hash.fields.set(userId, String(at));
    this.touch(hash);
    return Object.fromEntries([...hash.fields].map(([user, ms]) => [user, Number(ms)]));
  }

  async readRetreatVotes(missionIds: readonly string[]): Promise<Record<string, number>[]> {
    return missionIds.map((id) => {
      const hash = this.hash(this.keys.retreatVotes(id), false);
      return Object.fromEntries([...(hash?.fields ?? [])].map(([user, ms]) => [user, Number(ms)]));
    });
  }
}
