import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/index.js';
import { durableEventProgress, getChannelEvent } from '../../src/durable/channel-events.js';
import type { Database } from '../../src/durable/database.js';
import { migrate } from '../../src/durable/migrator.js';
import { ensureMonthlyPartitions } from '../../src/durable/partitions.js';
import { joinChannelEvent, openChannelEvent } from '../../src/engine/channel-event-signup.js';
import { DEFAULT_ENGINE_OPTIONS, type RunningEngine, startEngine } from '../../src/engine/engine.js';
import type { EngineDeps } from '../../src/engine/engine-deps.js';
import { RedisStore } from '../../src/ephemeral/redis-store.js';
import { auditMissionLogs, auditSurvivorStates } from '../support/mission-log-invariants.js';
import {
  deleteClusterKeysWithPrefix,
  type RedisClusterServer,
  startRedisCluster,
} from '../support/redis-cluster.js';
import { eventually, openTestPgDatabase, uniqueName } from '../support/services.js';
import { createUsersWithSurvivors } from '../support/survivor-fixtures.js';

/** Schedule shards of the run: one per master, so an event's missions commit on every master. */
const SHARDS = 3;
const PARTICIPANTS = 30;
const FAST = {
  ...DEFAULT_ENGINE_OPTIONS,
  worker: { ...DEFAULT_ENGINE_OPTIONS.worker, pollIntervalMs: 10, lockTtlMs: 1_000 },
  redisLossCheckMs: 50,
  eventKeeperIntervalMs: 20,
};

describe('a channel event on a Redis Cluster of 3 masters, its missions over several schedule shards', () => {
  let cluster: RedisClusterServer;
  let db: Database;
  let store: RedisStore;
  let engine: RunningEngine | undefined;
  const prefix = `${uniqueName('event')}:`;
  beforeAll(async () => {
    cluster = await startRedisCluster();
    db = await openTestPgDatabase();
    await migrate(db);
    await ensureMonthlyPartitions(db);
    store = new RedisStore({ url: cluster.url, keyPrefix: prefix, scheduleShards: SHARDS });
  }, 120_000);
  afterAll(async () => {
    await engine?.stop();
    await store?.close();
    if (cluster) await deleteClusterKeysWithPrefix(cluster.url, prefix).catch(() => {});
    await db?.close();
    await cluster?.stop();
  }, 120_000);

  it('counts every participant tick once toward the goal: live meter = logged goal effects = rewards', async () => {
    const deps: EngineDeps = { db, store, content: loadContent(), tickIntervalMs: 40 };
    const members = await createUsersWithSurvivors(db, PARTICIPANTS);
    const event = await openChannelEvent(deps, {
      channelId: uniqueName('c'),
      kind: 'boss_raid',
      location: 'flooded-mall',
      difficulty: 3,
      openedBy: 'broadcaster-1',
    });
    for (const m of members)
      await joinChannelEvent(deps, { channelId: event.channelId, eventId: event.id, ...m });
    await db.query('UPDATE channel_events SET signup_ends_at = now() WHERE id = $1', [event.id]);
    engine = await startEngine(deps, FAST);
    const status = async () => (await getChannelEvent(db, event.id))!.status;
    await eventually(
      async () => !['signup', 'running'].includes(await status()),
      'the event to end',
      180_000,
      100,
    );
    await engine.stop();
    engine = undefined;

    const { rows: missions } = await db.query<{ id: string }>(
      'SELECT mission_id::text AS id FROM event_participants WHERE event_id = $1 AND mission_id IS NOT NULL',
      [event.id],
    );
    expect(missions.length).toBe(PARTICIPANTS);
    // The event's missions committed on more than one shard, each shard a slot of its own master.
    const shards = new Set(missions.map((m) => store.keys.scheduleShardOf(m.id)));
    expect(shards.size).toBeGreaterThan(1);
    const masters = new Set<number>();
    for (const shard of shards) masters.add((await cluster.masterOf(store.keys.missionsDue(shard))).port);
    expect(masters.size).toBeGreaterThan(1);

    const ended = (await getChannelEvent(db, event.id))!;
    const result = ended.result!;
    const durable = await durableEventProgress(db, event.id);
    expect(durable.total).toBeGreaterThan(0);
    expect(result.progress).toBe(durable.total);
    expect(result.live).toBe(durable.total);
    const { rows } = await db.query<{ reward: { contribution: number } }>(
      'SELECT reward FROM event_participants WHERE event_id = $1 AND mission_id IS NOT NULL',
      [event.id],
    );
    expect(rows.reduce((sum, r) => sum + r.reward.contribution, 0)).toBe(durable.total);
    // Every event mission: ticks 1..n once, equal to its replay from the event's seed (goal included).
    const audit = await auditMissionLogs(db, deps.content, false);
    expect(audit.problems).toEqual([]);
    expect(await auditSurvivorStates(db)).toEqual([]);
    console.info(
      `channel event on a cluster: ${missions.length} missions over ${shards.size} shards on ${masters.size} masters, progress ${durable.total}`,
    );
  }, 240_000);
});
