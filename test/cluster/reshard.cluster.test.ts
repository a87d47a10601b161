import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { hashSlot } from '../../src/ephemeral/hash-slot.js';
import {
  CHAOS_TEST_TIMEOUT_MS,
  CONDITION_MS,
  chaosRunPerDescribe,
  expectCleanEnd,
  startStandardMissions,
} from '../chaos/engine-chaos-harness.js';
import { eventually } from '../support/services.js';

const run = promisify(execFile);
const SHARDS = 6;
const MISSIONS = 60;
const MISSION_TICK_MS = 500;

async function nodeId(port: number): Promise<string> {
  const redis = new Redis({ port, host: '127.0.0.1' });
  try {
    return (await redis.cluster('MYID')) as string;
  } finally {
    redis.disconnect();
  }
}

/** The first slot of the contiguous range of `port`'s slots that holds `slot`. */
async function rangeStartOf(port: number, slot: number): Promise<number> {
  const redis = new Redis({ port, host: '127.0.0.1' });
  try {
    const slots = (await redis.cluster('SLOTS')) as unknown as [number, number, [string, number]][];
    const range = slots.find(([from, to, [, owner]]) => owner === port && slot >= from && slot <= to);
    if (!range) throw new Error(`node ${port} does not serve slot ${slot}`);
    return range[0];
  } finally {
    redis.disconnect();
  }
}

describe('a schedule shard moved to another master under load (redis-cli --cluster reshard)', () => {
  const opened = chaosRunPerDescribe({ workers: 2, redisCluster: { scheduleShards: SHARDS } });

  it(
    'keeps ticking through the migration: ticks 1..n exactly once per mission',
    async () => {
      const chaos = opened.run;
      await startStandardMissions(chaos, MISSIONS, MISSION_TICK_MS);
      await eventually(
        async () => (await chaos.durableTicks()) >= MISSIONS * 2,
        'two ticks a mission',
        CONDITION_MS,
      );
      const key = chaos.store.keys.missionsDue(0);
      const slot = hashSlot(key);
      const from = await chaos.redisCluster!.masterOf(key);
      const masters = new Set<number>();
      for (let shard = 0; shard < SHARDS; shard++) {
        masters.add((await chaos.redisCluster!.masterOf(chaos.store.keys.missionsDue(shard))).port);
      }
      const to = [...masters].find((port) => port !== from.port)!;
      // redis-cli moves the source's lowest slots first: enough of them to take the shard's slot along.
      const count = slot - (await rangeStartOf(from.port, slot)) + 1;
      const ticksBefore = await chaos.durableTicks();
      const started = Date.now();
      await run(
        'redis-cli',
        [
          '--cluster',
          'reshard',
          `127.0.0.1:${from.port}`,
          '--cluster-from',
          await nodeId(from.port),
          '--cluster-to',
          await nodeId(to),
          '--cluster-slots',
          String(count),
          '--cluster-yes',
        ],
        { timeout: CONDITION_MS },
      );
      const movedInMs = Date.now() - started;
      expect((await chaos.redisCluster!.masterOf(key)).port).toBe(to);
      const ticksDuring = (await chaos.durableTicks()) - ticksBefore;

      await chaos.waitUntilAllEnded();
      const audit = await expectCleanEnd(chaos, MISSIONS);
      console.info(
        `cluster reshard: ${count} slots (shard 0's among them) moved from ${from.port} to ${to} in ${movedInMs} ms while ${ticksDuring} ticks landed; ${audit.ticks} ticks of ${audit.missions} missions, each once`,
      );
    },
    CHAOS_TEST_TIMEOUT_MS,
  );
});
