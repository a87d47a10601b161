import { Redis } from 'ioredis';
import { SignJWT } from 'jose';
import { expect } from 'vitest';
import { signTwitchToken } from '../../../src/api/auth/twitch-jwt.js';
import { loadContent } from '../../../src/content/index.js';
import { TEST_REDIS_URL } from '../../support/services.js';
import { type ApiFixture, type Caller, openApiFixture } from '../api-fixture.js';

/** One bad request, and the status and problem code it must be answered with. */
export interface Case {
  name: string;
  who: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
  status: number;
  code: string;
  field?: string;
}

/** The API and the things the cases point at: callers by name, ids by name, raw tokens by name. */
export interface BadInputWorld {
  f: ApiFixture;
  /** A direct client, to read every key under the fixture's prefix. */
  redis: Redis;
  callers: Record<string, Caller>;
  ids: Record<string, string>;
  raw: Record<string, string>;
}

/** Opens the API on real Postgres and Redis, and builds the world; closes what it opened if that fails. */
export async function openBadInputWorld(): Promise<BadInputWorld> {
  const f = await openApiFixture('real');
  const redis = new Redis(TEST_REDIS_URL);
  const world: BadInputWorld = { f, redis, callers: {}, ids: {}, raw: {} };
  try {
    await populate(world);
  } catch (error) {
    await closeBadInputWorld(world);
    throw error;
  }
  return world;
}

export async function closeBadInputWorld({ f, redis }: BadInputWorld): Promise<void> {
  redis.disconnect();
  await f.close();
}

/** Survivors idle, busy and dead; a mission; a full and a started lobby; a strict channel; forged tokens. */
async function populate({ f, callers, ids, raw }: BadInputWorld): Promise<void> {
  const secret = f.runtime.config.TWITCH_EXTENSION_SECRET;
  const key = new Uint8Array(Buffer.from(secret, 'base64'));
  const now = Math.floor(Date.now() / 1000);
  const claims = { opaque_user_id: 'Ubadinput', channel_id: '1000', role: 'viewer' };

  for (const name of ['ada', 'bo', 'cy', 'l1', 'l2', 'l3', 'l4', 's1', 's2'])
    callers[name] = await f.viewer();
  callers.anon = await f.viewer({ opaqueUserId: 'Aanonymous1' });
  callers.mod = await f.viewer({ role: 'moderator' });
  callers.caster = await f.viewer({ role: 'broadcaster' });
  callers.caster3000 = await f.viewer({ role: 'broadcaster', channelId: '3000' });
  callers.ada3000 = await f.viewer({ opaqueUserId: callers.ada!.opaqueUserId, channelId: '3000' });
  callers.l1at3000 = await f.viewer({ opaqueUserId: callers.l1!.opaqueUserId, channelId: '3000' });

  const create = async (who: string, name: string) =>
    (await f.call(callers[who]!, 'POST', '/v1/survivors', { name })).json().id as string;
  ids.adaIdle = await create('ada', 'Ada');
  ids.adaBusy = await create('ada', 'Busy');
  ids.adaDead = await create('ada', 'Gone');
  const adaOffers = (await f.call(callers.ada!, 'GET', '/v1/me')).json().survivors[0].perkOffers as string[];
  ids.adaPerk = adaOffers[0]!;
  await f.call(callers.ada!, 'POST', `/v1/survivors/${ids.adaIdle}/perks`, { perkId: ids.adaPerk });
  const content = loadContent();
  ids.adaNotOffered = Object.keys(content.perks).find(
    (p) => !adaOffers.includes(p) && content.perks[p]!.minLevel === 1,
  )!;
  await f.call(callers.ada!, 'POST', `/v1/survivors/${ids.adaDead}/retire`, { confirm: true });
  await f.call(callers.ada!, 'POST', '/v1/missions', {
    survivorId: ids.adaBusy,
    location: 'flooded-mall',
    difficulty: 1,
  });
  ids.boIdle = await create('bo', 'Bo');
  const boBusy = await create('bo', 'Bo Two');
  ids.boMission = (
    await f.call(callers.bo!, 'POST', '/v1/missions', {
      survivorId: boBusy,
      location: 'flooded-mall',
      difficulty: 1,
    })
  ).json().missionId;
  for (const n of ['C one', 'C two', 'C three']) await create('cy', n);

  // A full lobby (4) and a started one (2).
  const l = ['l1', 'l2', 'l3', 'l4'].map(async (w) => [w, await create(w, `Member ${w}`)] as const);
  const members = await Promise.all(l);
  ids.l1Member = members[0]![1];
  ids.fullLobby = (
    await f.call(callers.l1!, 'POST', '/v1/lobbies', {
      survivorId: members[0]![1],
      location: 'flooded-mall',
      difficulty: 1,
    })
  ).json().id;
  for (const [w, s] of members.slice(1))
    await f.call(callers[w]!, 'POST', `/v1/lobbies/${ids.fullLobby}/join`, { survivorId: s });
  const s1 = await create('s1', 'Starter');
  ids.s1Member = s1;
  const s2 = await create('s2', 'Second');
  ids.startedLobby = (
    await f.call(callers.s1!, 'POST', '/v1/lobbies', {
      survivorId: s1,
      location: 'flooded-mall',
      difficulty: 1,
    })
  ).json().id;
  await f.call(callers.s2!, 'POST', `/v1/lobbies/${ids.startedLobby}/join`, { survivorId: s2 });
  for (const w of ['s1', 's2'])
    await f.call(callers[w]!, 'PUT', `/v1/lobbies/${ids.startedLobby}/ready`, { ready: true });
  expect((await f.call(callers.s1!, 'POST', `/v1/lobbies/${ids.startedLobby}/start`)).statusCode).toBe(201);

  // Channel 3000: an event opened and cancelled; channel 1000: one signing up, that Bo joined.
  const event = { kind: 'horde_night', location: 'flooded-mall', difficulty: 1 };
  ids.cancelledEvent = (await f.call(callers.caster3000!, 'POST', '/v1/events', event)).json().id;
  await f.call(callers.caster3000!, 'POST', `/v1/events/${ids.cancelledEvent}/cancel`);
  ids.event = (await f.call(callers.caster!, 'POST', '/v1/events', event)).json().id;
  expect(
    (await f.call(callers.bo!, 'POST', `/v1/events/${ids.event}/join`, { survivorId: ids.boIdle }))
      .statusCode,
  ).toBe(200);
  await f.call(callers.caster3000!, 'PUT', '/v1/channel/settings', {
    maxDifficulty: 2,
    groupMissionsEnabled: false,
  });
  // Warm every caller's caches (users are created on first sight: that is not what these cases test).
  for (const c of Object.values(callers)) {
    await f.call(c, 'GET', '/v1/me');
    await f.call(c, 'GET', '/v1/poll');
  }

  raw.expired = await signTwitchToken(
    secret,
    { opaqueUserId: 'Uexpired', channelId: '1000', role: 'viewer', ttlSeconds: 10 },
    Date.now() - 3_600_000,
  );
  raw.wrongSecret = await signTwitchToken(Buffer.from('another-secret-of-enough-length').toString('base64'), {
    opaqueUserId: 'Uwrong',
    channelId: '1000',
    role: 'viewer',
  });
  raw.hs512 = await new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS512' })
    .setExpirationTime(now + 600)
    .sign(key);
  raw.future = await new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setNotBefore(now + 3600)
    .setExpirationTime(now + 7200)
    .sign(key);
  raw.futureIat = await new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt(now + 3600)
    .setExpirationTime(now + 7200)
    .sign(key);
  raw.longLived = await new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setExpirationTime(now + 48 * 3600)
    .sign(key);
  raw.noExp = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(key);
  raw.noOpaque = await new SignJWT({ channel_id: '1000', role: 'viewer' })
    .setProtectedHeader({ alg: 'HS256' })
    .setExpirationTime(now + 600)
    .sign(key);
  raw.badRole = await new SignJWT({ ...claims, role: 'admin' })
    .setProtectedHeader({ alg: 'HS256' })
    .setExpirationTime(now + 600)
    .sign(key);
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  raw.none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, exp: now + 600 })}.`;
  const [h, , sig] = callers.ada!.token.split('.');
  raw.tampered = `${h}.${b64({ ...claims, opaque_user_id: callers.bo!.opaqueUserId, exp: now + 600 })}.${sig}`;
}

/** Everything in Postgres that a request could change, as JSON. */
export async function durableSnapshot(f: ApiFixture): Promise<string> {
  const tables = [
    'users',
    'channels',
    'survivors',
    'missions',
    'mission_participants',
    'channel_events',
    'event_participants',
    'stashes',
    'stash_items',
  ];
  const parts: unknown[] = [];
  for (const table of tables) {
    const { rows } = await f.db.query(
      `SELECT coalesce(json_agg(t ORDER BY t::text), '[]') AS j FROM ${table} t`,
    );
    parts.push(rows[0]);
  }
  return JSON.stringify(parts);
}

/** Every key under the fixture's prefix but the rate-limit counters, with its value. */
export async function ephemeralSnapshot(redis: Redis, prefix: string): Promise<string> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    keys.push(...batch.filter((k) => !k.startsWith(`${prefix}rate_limit`)));
  } while (cursor !== '0');
  keys.sort();
  const values: unknown[] = [];
  for (const key of keys) {
    const type = await redis.type(key);
    if (type === 'string') values.push([key, await redis.get(key)]);
    else if (type === 'hash') values.push([key, await redis.hgetall(key)]);
    else if (type === 'set') values.push([key, (await redis.smembers(key)).sort()]);
    else if (type === 'zset') values.push([key, await redis.zrange(key, '0', '-1', 'WITHSCORES')]);
    else values.push([key, type]);
  }
  return JSON.stringify(values);
}
