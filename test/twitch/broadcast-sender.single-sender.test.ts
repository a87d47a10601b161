import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { missionChanged } from '../../src/ephemeral/broadcast-queue.js';
import { RedisStore } from '../../src/ephemeral/redis-store.js';
import type { BroadcastNotice } from '../../src/twitch/broadcast-notice.js';
import {
  BroadcastSender,
  type BroadcastSenderOptions,
  DEFAULT_BROADCAST_SENDER_OPTIONS,
} from '../../src/twitch/broadcast-sender.js';
import { sendChannelBroadcast } from '../../src/twitch/extension-pubsub.js';
import { twitchApiFor } from '../../src/twitch/twitch-api.js';
import { deleteKeysWithPrefix, eventually, TEST_REDIS_URL, uniqueName } from '../support/services.js';
import { STAND_IN_DEFAULTS, standInEnv, TwitchStandIn } from '../support/twitch-stand-in.js';

/** Faster than production (10 a second, burst 3) so that the test sees many rounds in a few seconds. */
const PACING: BroadcastSenderOptions = {
  ...DEFAULT_BROADCAST_SENDER_OPTIONS,
  refillPerMs: 10 / 1_000,
  burst: 3,
  retryAfterMs: 50,
};
const CHANNELS = ['3001', '3002', '3003'];

describe('Extension PubSub senders on two independent Redis connections', () => {
  let standIn: TwitchStandIn;
  let prefix: string;
  let stores: RedisStore[];

  beforeEach(async () => {
    // A slow Twitch widens the window in which a second sender could slip in.
    standIn = await new TwitchStandIn({
      ...STAND_IN_DEFAULTS,
      pubsubLatencyMs: 40,
      pubsubPerMinute: 10_000,
    }).start();
    prefix = `${uniqueName('pubsub')}:`;
    stores = [0, 1].map(() => new RedisStore({ url: TEST_REDIS_URL, keyPrefix: prefix }));
  });
  afterEach(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await deleteKeysWithPrefix(prefix);
    await standIn.stop();
  });

  function senders(): BroadcastSender[] {
    const api = twitchApiFor(loadConfig({ NODE_ENV: 'test', ...standInEnv(standIn) }));
    return stores.map(
      (store) =>
        new BroadcastSender(
          store.broadcasts,
          (channelId, message) => sendChannelBroadcast(api, channelId, message),
          PACING,
        ),
    );
  }

  it('never sends one channel twice at once, stays within its pace, and loses no change', async () => {
    const [a, b] = senders();
    const enqueued = new Map<string, Set<string>>(CHANNELS.map((c) => [c, new Set()]));
    const started = Date.now();
    const runUntil = started + 2_000;
    let missionId = 0;
    // Both "instances" produce changes and run their senders flat out, as busy API and worker processes would.
    const loop = async (sender: BroadcastSender, store: RedisStore) => {
      while (Date.now() < runUntil) {
        const changes = CHANNELS.map((channelId) => {
          const id = String(++missionId);
          enqueued.get(channelId)!.add(id);
          return { channelId, items: [missionChanged(id)] };
        });
        await store.broadcasts.add(changes, Date.now());
        await sender.runPass();
        await new Promise((r) => setTimeout(r, 5));
      }
    };
    await Promise.all([loop(a!, stores[0]!), loop(b!, stores[1]!)]);
    // Drain what is left: the changes made last are still delivered.
    await eventually(async () => {
      await Promise.all([a!.runPass(), b!.runPass()]);
      const delivered = new Set(
        standIn.pubsub.flatMap((r) => (JSON.parse(r.message) as BroadcastNotice).missions ?? []),
      );
      return [...enqueued.values()].every((ids) => [...ids].every((id) => delivered.has(id)));
    }, 'every change to reach Twitch');

    expect(standIn.maxConcurrentPubSub).toBe(1);
    const elapsedMs = Date.now() - started;
    for (const channelId of CHANNELS) {
      const sent = standIn.pubsub.filter((r) => r.channelId === channelId);
      expect(sent.length).toBeGreaterThan(3);
      // The shared bucket: the burst, plus one per refill interval, whichever instance sent.
      expect(sent.length).toBeLessThanOrEqual(PACING.burst + Math.ceil(elapsedMs * PACING.refillPerMs) + 1);
      for (const record of sent) expect(Buffer.byteLength(record.message)).toBeLessThanOrEqual(5 * 1024);
    }
  });

  it('puts the changes back on a 429 and delivers them once Twitch takes messages again', async () => {
    const [a] = senders();
    standIn.failNext('/helix/extensions/pubsub', 429);
    await stores[0]!.broadcasts.add([{ channelId: '3001', items: [missionChanged('77')] }], Date.now());
    expect(await a!.runPass()).toBe(0);
    expect(standIn.pubsub).toEqual([]);
    await eventually(async () => (await a!.runPass()) === 1, 'the broadcast after the 429', 5_000, 50);
    expect(JSON.parse(standIn.pubsub[0]!.message)).toEqual({ v: 1, missions: ['77'] });
    expect(standIn.calls.get('POST /helix/extensions/pubsub')).toBe(2);
  });
});
