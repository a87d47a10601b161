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
import type { RedisConnection } from './redis-connection.js';

export const missionVoteScripts = {
  castChoiceVote: luaScript('cast-choice-vote', 1),
  closeChoiceVotes: luaScript('close-choice-votes', 1),
  castRetreatVote: luaScript('cast-retreat-vote', 1),
} as const;

/**
 * Votes inside missions on Redis: one hash per choice point, one per mission's retreat vote. Reads of
 * many send one command per key together (a cluster refuses a pipeline across slots).
 */
export class RedisMissionVotes implements MissionVoteStore {
  constructor(
    private readonly redis: RedisConnection,
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
    const hashes = await Promise.all(choices.map((choice) => this.redis.hgetall(this.key(choice))));
    return hashes.map((hash) => choiceVotesOf(hash));
  }

  async closeChoiceVotes(choices: readonly ChoiceRef[]): Promise<Votes[]> {
    const replies = await Promise.all(
      choices.map((choice) =>
        runScript(
          this.redis,
          missionVoteScripts.closeChoiceVotes,
          [this.key(choice)],
          [MISSION_VOTES_TTL_MS],
        ),
      ),
    );
    return replies.map((flat) => choiceVotesOf(flat as string[]).votes);
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
    const hashes = await Promise.all(missionIds.map((id) => this.redis.hgetall(this.keys.retreatVotes(id))));
    return hashes.map((hash) => retreatVotesOf(hash));
  }
}
