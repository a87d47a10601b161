import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, DEVELOPMENT_EXTENSION_SECRET, loadConfig } from '../../src/config.js';
import { keyNames } from '../../src/ephemeral/keys.js';
import { RedisStore } from '../../src/ephemeral/redis-store.js';
import { ViewerCache } from '../../src/ephemeral/viewer-cache.js';
import { assertProductionSafe } from '../../src/production-guard.js';
import { runHoldout } from '../support/holdout-process.js';
import { type RedisServer, startRedisServer } from '../support/redis-server.js';

const ACL_FILE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'deploy', 'redis', 'users.acl');
const PASSWORD = randomBytes(18).toString('base64url');
const REAL_SECRET = randomBytes(32).toString('base64');

/** Everything production needs except Redis, which each test points at its own server. */
function productionEnv(redisUrl: string): NodeJS.ProcessEnv {
  return {
    NODE_ENV: 'production',
    DATABASE_URL: 'postgres://holdout_app@127.0.0.1:5432/holdout',
    REDIS_URL: redisUrl,
    TWITCH_EXTENSION_SECRET: REAL_SECRET,
  };
}

/** The shipped ACL file with its placeholder replaced, as an operator would deploy it. */
function aclFileWithPassword(dir: string): string {
  const hash = createHash('sha256').update(PASSWORD).digest('hex');
  const shipped = readFileSync(ACL_FILE, 'utf8');
  expect(shipped).toContain('#PASSWORD_SHA256');
  const path = join(dir, 'users.acl');
  writeFileSync(path, shipped.replace('#PASSWORD_SHA256', `#${hash}`));
  return path;
}

describe('the production guard', () => {
  let dir: string;
  let openRedis: RedisServer;
  let aclRedis: RedisServer;
  let noPingRedis: RedisServer;
  let holdoutUrl: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'holdout-guard-'));
    // One after the other: if the second fails to start, afterAll still stops the first.
    openRedis = await startRedisServer();
    aclRedis = await startRedisServer(['--aclfile', aclFileWithPassword(mkdtempSync(join(dir, 'acl-')))]);
    holdoutUrl = `redis://holdout:${PASSWORD}@127.0.0.1:${aclRedis.port}`;
    // A careless lock-down: the default user keeps no password and loses only PING.
    const noPingAcl = join(mkdtempSync(join(dir, 'noping-')), 'users.acl');
    writeFileSync(noPingAcl, 'user default on nopass ~* &* +@all -ping\n');
    noPingRedis = await startRedisServer(['--aclfile', noPingAcl]);
  });
  afterAll(async () => {
    await Promise.all([openRedis?.stop(), aclRedis?.stop(), noPingRedis?.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('lets development and test run on the embedded defaults', async () => {
    await expect(assertProductionSafe(loadConfig({}))).resolves.toBe('checked');
    await expect(assertProductionSafe(loadConfig({ NODE_ENV: 'test' }))).resolves.toBe('checked');
  });

  it('refuses production on development defaults, naming every problem at once', async () => {
    const refusal = assertProductionSafe(loadConfig({ NODE_ENV: 'production', HOLDOUT_DEV_TOKENS: 'true' }));
    await expect(refusal).rejects.toThrow(ConfigError);
    const message = await refusal.catch((error: Error) => error.message);
    expect(message).toMatch(/DATABASE_URL is not set/);
    expect(message).toMatch(/REDIS_URL is not set/);
    expect(message).toMatch(/TWITCH_EXTENSION_SECRET is not set or is the development secret/);
    expect(message).toMatch(/HOLDOUT_DEV_TOKENS is on/);
  });

  it('refuses a Redis that answers clients without a password', async () => {
    const config = loadConfig(productionEnv(`redis://holdout:${PASSWORD}@127.0.0.1:${openRedis.port}`));
    await expect(assertProductionSafe(config)).rejects.toThrow(/accepts clients without a password/);
  });

  it('refuses a Redis whose password-less default user may not PING but may read keys and CONFIG', async () => {
    const anonymous = new Redis(noPingRedis.url, { maxRetriesPerRequest: 0 });
    try {
      await expect(anonymous.ping()).rejects.toThrow(/NOPERM/);
      expect(await anonymous.config('GET', 'maxmemory')).toEqual(['maxmemory', '0']);
    } finally {
      anonymous.disconnect();
    }
    const config = loadConfig(productionEnv(`redis://holdout:${PASSWORD}@127.0.0.1:${noPingRedis.port}`));
    await expect(assertProductionSafe(config)).rejects.toThrow(/accepts clients without a password/);
  });

  it('refuses the development secret however it is spelled, compared as decoded bytes', async () => {
    const development = Buffer.from(DEVELOPMENT_EXTENSION_SECRET, 'base64');
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    const unpadded = DEVELOPMENT_EXTENSION_SECRET.replace(/=+$/, '');
    // The last character carries bits that decoding drops: other letters there decode the same.
    const lastLetterChanged = [...alphabet]
      .map((letter) => `${unpadded.slice(0, -1)}${letter}`)
      .find((text) => text !== unpadded && Buffer.from(text, 'base64').equals(development))!;
    const spellings = [unpadded, lastLetterChanged, `${lastLetterChanged}=`];
    for (const spelling of spellings) {
      expect(spelling).not.toBe(DEVELOPMENT_EXTENSION_SECRET);
      const config = loadConfig({ ...productionEnv(holdoutUrl), TWITCH_EXTENSION_SECRET: spelling });
      await expect(assertProductionSafe(config), spelling).rejects.toThrow(
        /TWITCH_EXTENSION_SECRET is not set or is the development secret/,
      );
    }
  });

  it('refuses an extension secret shorter than 32 bytes', async () => {
    const short = randomBytes(24).toString('base64');
    const config = loadConfig({ ...productionEnv(holdoutUrl), TWITCH_EXTENSION_SECRET: short });
    await expect(assertProductionSafe(config)).rejects.toThrow(/decodes to 24 bytes: .* at least 32/);
  });

  it('refuses a Redis it cannot reach, rather than start unchecked', async () => {
    const config = loadConfig(productionEnv('redis://holdout:x@127.0.0.1:1'));
    await expect(assertProductionSafe(config, { redisProbeTimeoutMs: 200 })).rejects.toThrow(
      /could not be reached to check that it requires a password/,
    );
  });

  it('defers the check of an unreachable Redis for a long-running process, never the other problems', async () => {
    const unreachable = productionEnv('redis://holdout:x@127.0.0.1:1');
    const deferred = { redisProbeTimeoutMs: 200, unreachableRedis: 'defer' } as const;
    await expect(assertProductionSafe(loadConfig(unreachable), deferred)).resolves.toBe('redis-unchecked');
    const refusal = assertProductionSafe(
      loadConfig({ ...unreachable, HOLDOUT_DEV_TOKENS: 'true' }),
      deferred,
    );
    await expect(refusal).rejects.toThrow(/HOLDOUT_DEV_TOKENS is on/);
    await expect(refusal).rejects.not.toThrow(/could not be reached/);
  });

  it('accepts a Redis running the shipped ACL file', async () => {
    await expect(assertProductionSafe(loadConfig(productionEnv(holdoutUrl)))).resolves.toBe('checked');
  });

  it('stops `holdout serve` with exit code 2 and one clear message', async () => {
    const { code, output } = await runHoldout(['serve'], {
      ...productionEnv(openRedis.url),
      HOLDOUT_DEV_TOKENS: 'true',
      PORT: '0',
    });
    expect(code).toBe(2);
    expect(output).toMatch(/Refusing to start with NODE_ENV=production/);
    expect(output).toMatch(/accepts clients without a password/);
    expect(output).toMatch(/HOLDOUT_DEV_TOKENS is on/);
    expect(output).not.toMatch(/\n\s+at /);
  });

  describe('the ACL user holdout', () => {
    let redis: Redis;
    beforeAll(() => {
      redis = new Redis(holdoutUrl, { maxRetriesPerRequest: 0 });
    });
    afterAll(() => redis.disconnect());

    it('is denied FLUSHALL, FLUSHDB, CONFIG, KEYS, DEBUG, SHUTDOWN, ACL and SCRIPT FLUSH', async () => {
      await expect(redis.flushall()).rejects.toThrow(/NOPERM/);
      await expect(redis.flushdb()).rejects.toThrow(/NOPERM/);
      await expect(redis.config('GET', 'maxmemory')).rejects.toThrow(/NOPERM/);
      await expect(redis.keys('*')).rejects.toThrow(/NOPERM/);
      // DEBUG is also off server-wide by default since Redis 7; either refusal will do.
      await expect(redis.call('DEBUG', 'SLEEP', '0')).rejects.toThrow(/NOPERM|not allowed/);
      await expect(redis.call('SHUTDOWN', 'NOSAVE')).rejects.toThrow(/NOPERM/);
      await expect(redis.call('ACL', 'LIST')).rejects.toThrow(/NOPERM/);
      await expect(redis.call('SCRIPT', 'FLUSH')).rejects.toThrow(/NOPERM/);
    });

    it("is denied keys outside Holdout's families, even from a Lua script", async () => {
      await expect(redis.set('someone_else:1', 'x')).rejects.toThrow(/NOPERM/);
      await expect(redis.eval("return redis.call('GET', 'someone_else:1')", 0)).rejects.toThrow(
        /can't access/,
      );
    });

    it("runs GET, SET, EVALSHA and XADD on Holdout's keys", async () => {
      const mission = keyNames('').activeMission('1');
      const outbox = keyNames('').missionLogOutbox(0);
      await redis.set(mission, '{"tick":0}');
      expect(await redis.get(mission)).toBe('{"tick":0}');
      const sha = (await redis.script('LOAD', "return redis.call('GET', KEYS[1])")) as string;
      expect(await redis.evalsha(sha, 1, mission)).toBe('{"tick":0}');
      expect(await redis.xadd(outbox, '*', 'row', '{}')).toMatch(/^\d+-\d+$/);
      await redis.xgroup('CREATE', outbox, 'flusher', '0', 'MKSTREAM');
      const read = (await redis.xreadgroup(
        'GROUP',
        'flusher',
        'w1',
        'COUNT',
        10,
        'STREAMS',
        outbox,
        '>',
      )) as [string, [string, string[]][]][];
      const ids = read[0]![1].map(([id]) => id);
      expect(await redis.xack(outbox, 'flusher', ...ids)).toBe(1);
      expect(await redis.xautoclaim(outbox, 'flusher', 'w2', 0, '0-0')).toBeDefined();
      expect(await redis.xlen(outbox)).toBe(1);
      await redis.hset('mission_lobby:l1', 'leader', 'u1');
      await redis.pexpire('mission_lobby:l1', 60_000);
      await redis.sadd('channel_lobbies:c1', 'l1');
      await redis.set('viewer:u1', '{}', 'PX', 1000);
      await redis.set('job_lock:reconciler', 'w1', 'PX', 1000, 'NX');
      await redis.set('reconcile_marker', '1');
    });

    it("lets the ephemeral store's scripts and the rate limiter do their work", async () => {
      const store = new RedisStore({ url: holdoutUrl });
      try {
        await store.ping();
        expect(await store.restoreActiveMission('7', '{"tick":1}', 1_000)).toBe(true);
        expect(
          await store.claimDueMissions({ now: 2_000, limit: 10, lockTtlMs: 5_000, token: 't1' }),
        ).toEqual([{ missionId: '7', dueAt: 1_000 }]);
        expect(await store.extendLock(store.keys.tickLock('7'), 't1', 5_000)).toBe(true);
        expect(await store.releaseLock(store.keys.tickLock('7'), 't1')).toBe(true);
        expect(await store.incrementCounter(store.keys.rateLimit('u1', 'poll'), 1_000)).toMatchObject({
          count: 1,
        });
        expect(await store.getActiveMissions(['7', '8'])).toEqual(['{"tick":1}', null]);
        // The poll's one round trip: its rate count, the roster and the roster's missions.
        const viewers = new ViewerCache(store);
        await viewers.fill('9', (await viewers.lease('9'))!, '{"missionIds":["7"],"survivors":[]}', 60_000);
        const counted = { key: store.keys.rateLimit('U9', 'poll'), windowMs: 60_000, budget: 1 };
        expect(await viewers.readForPoll('9', counted)).toEqual({
          calls: 1,
          refusedForMs: null,
          state: { roster: '{"missionIds":["7"],"survivors":[]}', missions: ['{"tick":1}'] },
        });
        expect(await viewers.readForPoll('9', counted)).toMatchObject({ calls: 2, state: null });
        // Votes inside a mission: a choice point's, closed by the tick, and a group's retreat.
        const choice = { missionId: '7', decidesAt: 10 };
        expect(await store.votes.castChoiceVote(choice, '9', 'sneak')).toBe(true);
        expect(await store.votes.readChoiceVotes([choice])).toEqual([
          { votes: { 9: 'sneak' }, closed: false },
        ]);
        expect(await store.votes.closeChoiceVotes([choice])).toEqual([{ 9: 'sneak' }]);
        expect(await store.votes.castChoiceVote(choice, '9', 'rest')).toBe(false);
        expect(await store.votes.castRetreatVote('7', '9', 1_000)).toEqual({ 9: 1_000 });
        expect(await store.votes.readRetreatVotes(['7'])).toEqual([{ 9: 1_000 }]);
      } finally {
        await store.close();
      }
      const limiter = new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: 'rate_limit',
        points: 2,
        duration: 10,
      });
      await limiter.consume('u1:start_mission');
      await limiter.consume('u1:start_mission');
      await expect(limiter.consume('u1:start_mission')).rejects.toMatchObject({ remainingPoints: 0 });
    });
  });
});
