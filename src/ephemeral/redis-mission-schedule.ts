import {
  type ClaimDueOptions,
  type ClaimedMission,
  type CommitOutcome,
  EVENT_HIGHLIGHTS_KEPT,
  type TickCommit,
} from './ephemeral-store.js';
import type { KeyNames } from './keys.js';
import { type LuaScript, luaScript, runScript } from './lua-scripts.js';
import type { RedisConnection } from './redis-connection.js';
import { stampHighlight } from './redis-event-boards.js';

export const missionScheduleScripts = {
  // Keys vary with the call: each passes their count first, as EVALSHA takes it.
  claimDueMissions: luaScript('claim-due-missions', null),
  commitTicks: luaScript('commit-ticks', null, ['fenced-commit']),
  // The tick commit of channel events' missions: keys vary with the batch, as commitTicks'.
  commitEventTicks: luaScript('commit-event-ticks', null, ['fenced-commit']),
  restoreActiveMission: luaScript('restore-active-mission', 2),
  settleActiveMission: luaScript('settle-active-mission', 3),
} as const satisfies Record<string, LuaScript>;

/** Most read-then-claim rounds of one claim, when other claimers keep taking its candidates first. */
const MAX_CLAIM_ROUNDS = 8;

/** Fewest candidates read from each shard: small claims see every shard's earliest missions exactly. */
const MIN_SHARD_SHARE = 64;

/** Most ticks committed by one script call: bounds how long one call keeps Redis from other clients. */
const COMMITS_PER_CALL = 1_000;

/**
 * missions_due and the fenced tick commit over the schedule shards (keys.ts): every script runs on one
 * shard's keys, so on a cluster each is one slot's, and the shards' calls go out together.
 */
export class RedisMissionSchedule {
  /** Where the next claim starts reading, so that no shard is always read last. */
  private nextShard = 0;

  constructor(
    private readonly redis: RedisConnection,
    private readonly keys: KeyNames,
  ) {}

  private dueKeyOf(missionId: string): string {
    return this.keys.missionsDue(this.keys.scheduleShardOf(missionId));
  }

  private shards(): number[] {
    return Array.from({ length: this.keys.scheduleShards }, (_, i) => i);
  }

  async unschedule(missionId: string): Promise<void> {
    await this.redis.zrem(this.dueKeyOf(missionId), missionId);
  }

  async scheduledIds(): Promise<string[]> {
    const perShard = await Promise.all(
      this.shards().map((s) => this.redis.zrange(this.keys.missionsDue(s), '0', '-1')),
    );
    return perShard.flat();
  }

  /**
   * Reads each shard's earliest due missions, keeps the `limit` earliest of all (so a busy shard cannot
   * starve the others), then claims them shard by shard: two round trips whatever the shard count.
   * Each shard is read for twice its even share of the limit (at least MIN_SHARD_SHARE): a backlog in one shard is claimed over a
   * few batches, interleaved with the other shards' due missions. Claimers reading at the same moment
   * see the same candidates and one takes them: a claimer that lost candidates reads again (those
   * claimed by others are no longer due), up to MAX_CLAIM_ROUNDS.
   */
  async claimDue(options: ClaimDueOptions): Promise<ClaimedMission[]> {
    const missions: ClaimedMission[] = [];
    for (let round = 0; round < MAX_CLAIM_ROUNDS && missions.length < options.limit; round++) {
      const { candidates, claimed } = await this.claimRound({
        ...options,
        limit: options.limit - missions.length,
      });
      missions.push(...claimed);
      // Nothing due, or every candidate taken: done. Candidates lost to other claimers: look again.
      if (candidates === 0 || claimed.length === candidates) break;
    }
    return missions.sort((a, b) => a.dueAt - b.dueAt);
  }

  private async claimRound(
    options: ClaimDueOptions,
  ): Promise<{ candidates: number; claimed: ClaimedMission[] }> {
    const shardCount = this.keys.scheduleShards;
    const share = Math.min(
      options.limit,
      Math.max(MIN_SHARD_SHARE, Math.ceil((2 * options.limit) / shardCount)),
    );
    const start = this.nextShard;
    this.nextShard = (this.nextShard + 1) % shardCount;
    const order = this.shards().map((i) => (start + i) % shardCount);
    const read = await Promise.all(
      order.map((shard) =>
        this.redis.zrangebyscore(
          this.keys.missionsDue(shard),
          '-inf',
          options.now,
          'WITHSCORES',
          'LIMIT',
          0,
          share,
        ),
      ),
    );
    const candidates: { shard: number; id: string; dueAt: number }[] = [];
    read.forEach((flat, i) => {
      for (let j = 0; j < flat.length; j += 2) {
        candidates.push({ shard: order[i]!, id: flat[j]!, dueAt: Number(flat[j + 1]) });
      }
    });
    // Stable: equal scores keep the rotating shard order.
    candidates.sort((a, b) => a.dueAt - b.dueAt);
    const chosen = candidates.slice(0, options.limit);
    const byShard = new Map<number, string[]>();
    for (const c of chosen) {
      const ids = byShard.get(c.shard);
      if (ids) ids.push(c.id);
      else byShard.set(c.shard, [c.id]);
    }
    const replies = await Promise.all(
      [...byShard].map(async ([shard, ids]) => {
        const keys = [this.keys.missionsDue(shard), ...ids.map((id) => this.keys.tickLock(id))];
        const args = [options.now, options.lockTtlMs, options.token, ...ids];
        return (await runScript(
          this.redis,
          missionScheduleScripts.claimDueMissions,
          [String(keys.length), ...keys],
          args,
        )) as string[];
      }),
    );
    const claimed: ClaimedMission[] = [];
    for (const flat of replies) {
      for (let i = 0; i < flat.length; i += 2)
        claimed.push({ missionId: flat[i]!, dueAt: Number(flat[i + 1]) });
    }
    return { candidates: chosen.length, claimed };
  }

  /** One script call per shard (and per COMMITS_PER_CALL), all sent at once; outcomes in `commits` order. */
  async commit(commits: readonly TickCommit[]): Promise<CommitOutcome[]> {
    const outcomes: CommitOutcome[] = new Array(commits.length);
    const batches = new Map<string, number[]>();
    commits.forEach((commit, i) => {
      // Channel events' ticks go through their own script; ordinary ticks keep the lean one.
      const batch = `${this.keys.scheduleShardOf(commit.missionId)}:${commit.event ? 'event' : 'plain'}`;
      const positions = batches.get(batch);
      if (positions) positions.push(i);
      else batches.set(batch, [i]);
    });
    const calls: Promise<void>[] = [];
    for (const [batch, positions] of batches) {
      const shard = Number(batch.split(':')[0]);
      const withEvent = batch.endsWith('event');
      for (let first = 0; first < positions.length; first += COMMITS_PER_CALL) {
        const part = positions.slice(first, first + COMMITS_PER_CALL);
        const run = withEvent
          ? this.commitEventBatch(
              shard,
              part.map((i) => commits[i]!),
            )
          : this.commitPlainBatch(
              shard,
              part.map((i) => commits[i]!),
            );
        calls.push(
          run.then((replies) => {
            part.forEach((at, j) => {
              outcomes[at] = replies[j]!;
            });
          }),
        );
      }
    }
    await Promise.all(calls);
    return outcomes;
  }

  private async commitPlainBatch(shard: number, batch: readonly TickCommit[]): Promise<CommitOutcome[]> {
    const keys = [this.keys.missionsDue(shard), this.keys.missionLogOutbox(shard)];
    const args: (string | number)[] = [];
    for (const commit of batch) {
      keys.push(this.keys.activeMission(commit.missionId), this.keys.tickLock(commit.missionId));
      args.push(...commitArgs(commit));
    }
    return (await runScript(
      this.redis,
      missionScheduleScripts.commitTicks,
      [String(keys.length), ...keys],
      args,
    )) as CommitOutcome[];
  }

  private async commitEventBatch(shard: number, batch: readonly TickCommit[]): Promise<CommitOutcome[]> {
    const keys = [this.keys.missionsDue(shard), this.keys.missionLogOutbox(shard)];
    const args: (string | number)[] = [EVENT_HIGHLIGHTS_KEPT];
    const highlights: string[] = [];
    for (const commit of batch) {
      const event = commit.event!;
      keys.push(
        this.keys.activeMission(commit.missionId),
        this.keys.tickLock(commit.missionId),
        this.keys.eventProgressPart(event.eventId, shard),
        this.keys.eventContributionsPart(event.eventId, shard),
        this.keys.eventHighlightsPart(event.eventId, shard),
      );
      args.push(...commitArgs(commit), event.contribution, event.userId);
      highlights.push(event.highlight === null ? '' : stampHighlight(event.highlight));
    }
    return (await runScript(
      this.redis,
      missionScheduleScripts.commitEventTicks,
      [String(keys.length), ...keys],
      [...args, ...highlights],
    )) as CommitOutcome[];
  }

  async restore(missionId: string, recordJson: string, dueAt: number): Promise<boolean> {
    const keys = [this.keys.activeMission(missionId), this.dueKeyOf(missionId)];
    return (
      (await runScript(this.redis, missionScheduleScripts.restoreActiveMission, keys, [
        recordJson,
        dueAt,
        missionId,
      ])) === 1
    );
  }

  async settle(missionId: string, recordJson: string, keepMs: number): Promise<void> {
    const keys = [
      this.keys.activeMission(missionId),
      this.dueKeyOf(missionId),
      this.keys.tickLock(missionId),
    ];
    await runScript(this.redis, missionScheduleScripts.settleActiveMission, keys, [
      recordJson,
      keepMs,
      missionId,
    ]);
  }
}

/** A tick commit's ARGV, in the order both commit-ticks.lua and commit-event-ticks.lua read them. */
function commitArgs(commit: TickCommit): (string | number)[] {
  return [
    commit.token,
    commit.expectedTick,
    commit.recordJson,
    commit.nextTickAt === null ? '' : commit.nextTickAt,
    commit.missionId,
    commit.outboxRow,
  ];
}
