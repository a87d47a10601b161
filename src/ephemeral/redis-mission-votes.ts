import type { Redis } from 'ioredis';
import type { KeyNames } from './keys.js';
import { luaScript, runScript } from './lua-scripts.js';
import {
  type ChoiceRef,
  type ChoiceVotes,
  choiceVotesOf,
  MISSION_VOTES_TTL_MS,
  type MissionVoteStore,
  retreatVotesOf,
  type Votes,
} from './mission-votes.js';

export const missionVoteScripts = {
  castChoiceVote: luaScript('cast-choice-vote', 1),
  closeChoiceVotes: luaScript('close-choice-votes', 1),
  castRetreatVote: luaScript('cast-retreat-vote', 1),
} as const;

/** Votes inside missions on Redis: one hash per choice point, one per mission's retreat vote. */
export class RedisMissionVotes implements MissionVoteStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: KeyNames,
  ) {}

  private key(choice: ChoiceRef): string {
    return this.keys.choiceVotes(choice.missionId, choice.decidesAt);
  }

  async castChoiceVote(choice: ChoiceRef, userId: string, option: string): Promise<boolean> {
    const args = [userId, option, MISSION_VOTES_TTL_MS];
    return (await runScript(this.redis, missionVoteScripts.castChoiceVote, [this.key(choice)], args)) === 1;
  }

  async readChoiceVotes(choices: readonly ChoiceRef[]): Promise<ChoiceVotes[]> {
    if (choices.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const choice of choices) pipeline.hgetall(this.key(choice));
    const replies = (await pipeline.exec()) ?? [];
    return replies.map(([error, hash]) => {
      if (error) throw error;
      return choiceVotesOf(hash as Record<string, string>);
    });
  }

  async closeChoiceVotes(choices: readonly ChoiceRef[]): Promise<Votes[]> {
    if (choices.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const choice of choices) {
      void runScript(
        pipeline,
        missionVoteScripts.closeChoiceVotes,
        [this.key(choice)],
        [MISSION_VOTES_TTL_MS],
      );
    }
    const replies = (await pipeline.exec()) ?? [];
    return replies.map(([error, flat]) => {
      if (error) throw error;
      return choiceVotesOf(flat as string[]).votes;
    });
  }

  async castRetreatVote(missionId: string, userId: string, at: number): Promise<Record<string, number>> {
    const key = this.keys.retreatVotes(missionId);
    const args = [userId, at, MISSION_VOTES_TTL_MS];
    const flat = (await runScript(this.redis, missionVoteScripts.castRetreatVote, [key], args)) as string[];
    const votes: Record<string, number> = {};
    for (let i = 0; i + 1 < flat.length; i += 2) votes[flat[i]!] = Number(flat[i + 1]);
    return votes;
  }

  async readRetreatVotes(missionIds: readonly string[]): Promise<Record<string, number>[]> {
    if (missionIds.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of missionIds) pipeline.hgetall(this.keys.retreatVotes(id));
    const replies = (await pipeline.exec()) ?? [];
    return replies.map(([error, hash]) => {
      if (error) throw error;
      return retreatVotesOf(hash as Record<string, string>);
    });
  }
}
