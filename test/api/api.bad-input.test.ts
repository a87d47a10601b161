import { Redis } from 'ioredis';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signTwitchToken } from '../../src/api/auth/twitch-jwt.js';
import { TEST_REDIS_URL } from '../support/services.js';
import { type ApiFixture, type Caller, openApiFixture } from './api-fixture.js';

/** Everything in Postgres that a request could change, as JSON. */
async function durableSnapshot(f: ApiFixture): Promise<string> {
  const tables = ['users', 'channels', 'survivors', 'missions', 'mission_participants'];
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
async function ephemeralSnapshot(redis: Redis, prefix: string): Promise<string> {
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

interface Case {
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

describe('bad input changes nothing and says what was wrong', () => {
  let f: ApiFixture;
  let redis: Redis;
  const callers: Record<string, Caller> = {};
  const ids: Record<string, string> = {};
  const raw: Record<string, string> = {};

  beforeAll(async () => {
    f = await openApiFixture('real', { RATE_LIMIT_WRITE: '100000', RATE_LIMIT_READ: '100000' });
    redis = new Redis(TEST_REDIS_URL);
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

    const create = async (who: string, name: string) =>
      (await f.call(callers[who]!, 'POST', '/v1/survivors', { name })).json().id as string;
    ids.adaIdle = await create('ada', 'Ada');
    ids.adaBusy = await create('ada', 'Busy');
    ids.adaDead = await create('ada', 'Gone');
    await f.call(callers.ada!, 'POST', `/v1/survivors/${ids.adaIdle}/perks`, { perkId: 'scavenger' });
    await f.call(callers.ada!, 'POST', `/v1/survivors/${ids.adaDead}/retire`);
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
    raw.wrongSecret = await signTwitchToken(
      Buffer.from('another-secret-of-enough-length').toString('base64'),
      { opaqueUserId: 'Uwrong', channelId: '1000', role: 'viewer' },
    );
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
  }, 60_000);

  afterAll(async () => {
    redis?.disconnect();
    await f?.close();
  });

  const token = (name: string) => ({ authorization: `Bearer ${raw[name]}` });
  const longName = 'x'.repeat(300);
  const cases = (): Case[] => [
    // tokens
    { name: 'no token', who: 'none', method: 'GET', url: '/v1/me', status: 401, code: 'missing_token' },
    {
      name: 'not a bearer token',
      who: 'none',
      method: 'GET',
      url: '/v1/me',
      headers: { authorization: 'Basic YWRhOmFkYQ==' },
      status: 401,
      code: 'missing_token',
    },
    {
      name: 'garbled token',
      who: 'none',
      method: 'GET',
      url: '/v1/me',
      headers: { authorization: 'Bearer not.a.jwt' },
      status: 401,
      code: 'invalid_token',
    },
    {
      name: 'expired token',
      who: 'none',
      method: 'GET',
      url: '/v1/me',
      headers: token('expired'),
      status: 401,
      code: 'token_expired',
    },
    {
      name: 'token not valid yet',
      who: 'none',
      method: 'GET',
      url: '/v1/me',
      headers: token('future'),
      status: 401,
      code: 'invalid_token',
    },
    {
      name: 'token issued in the future',
      who: 'none',
      method: 'GET',
      url: '/v1/me',
      headers: token('futureIat'),
      status: 401,
      code: 'invalid_token',
    },
    {
      name: 'wrong algorithm (HS512)',
      who: 'none',
      method: 'GET',
      url: '/v1/me',
      headers: token('hs512'),
      status: 401,
      code: 'invalid_token',
    },
    {
      name: 'alg: none',
      who: 'none',
      method: 'GET',
      url: '/v1/me',
      headers: token('none'),
      status: 401,
      code: 'invalid_token',
    },
    {
      name: 'wrong secret',
      who: 'none',
      method: 'POST',
      url: '/v1/survivors',
      body: { name: 'Eve' },
      headers: token('wrongSecret'),
      status: 401,
      code: 'invalid_token',
    },
    {
      name: 'tampered payload',
      who: 'none',
      method: 'POST',
      url: '/v1/survivors',
      body: { name: 'Eve' },
      headers: token('tampered'),
      status: 401,
      code: 'invalid_token',
    },
    {
      name: 'token without exp',
      who: 'none',
      method: 'GET',
      url: '/v1/me',
      headers: token('noExp'),
      status: 401,
      code: 'invalid_token',
    },
    {
      name: 'token without opaque_user_id',
      who: 'none',
      method: 'GET',
      url: '/v1/me',
      headers: token('noOpaque'),
      status: 401,
      code: 'invalid_token',
    },
    {
      name: 'token with an unknown role',
      who: 'none',
      method: 'GET',
      url: '/v1/me',
      headers: token('badRole'),
      status: 401,
      code: 'invalid_token',
    },
    // who may do what
    {
      name: 'anonymous creates a survivor',
      who: 'anon',
      method: 'POST',
      url: '/v1/survivors',
      body: { name: 'Eve' },
      status: 403,
      code: 'login_required',
    },
    {
      name: 'anonymous starts a mission',
      who: 'anon',
      method: 'POST',
      url: '/v1/missions',
      body: { survivorId: ids.adaIdle, location: 'flooded-mall', difficulty: 1 },
      status: 403,
      code: 'login_required',
    },
    {
      name: 'anonymous opens a lobby',
      who: 'anon',
      method: 'POST',
      url: '/v1/lobbies',
      body: { survivorId: ids.adaIdle, location: 'flooded-mall', difficulty: 1 },
      status: 403,
      code: 'login_required',
    },
    {
      name: 'viewer changes channel settings',
      who: 'ada',
      method: 'PUT',
      url: '/v1/channel/settings',
      body: { maxDifficulty: 1 },
      status: 403,
      code: 'broadcaster_only',
    },
    {
      name: 'moderator changes channel settings',
      who: 'mod',
      method: 'PUT',
      url: '/v1/channel/settings',
      body: { maxDifficulty: 1 },
      status: 403,
      code: 'broadcaster_only',
    },
    // shapes
    {
      name: 'missing name',
      who: 'ada',
      method: 'POST',
      url: '/v1/survivors',
      body: {},
      status: 400,
      code: 'invalid_request',
      field: 'body.name',
    },
    {
      name: 'name of the wrong type',
      who: 'ada',
      method: 'POST',
      url: '/v1/survivors',
      body: { name: 42 },
      status: 400,
      code: 'invalid_request',
      field: 'body.name',
    },
    {
      name: 'unknown field',
      who: 'ada',
      method: 'POST',
      url: '/v1/survivors',
      body: { name: 'Eve', admin: true },
      status: 400,
      code: 'invalid_request',
      field: 'body.admin',
    },
    {
      name: 'array body',
      who: 'ada',
      method: 'POST',
      url: '/v1/survivors',
      body: [],
      status: 400,
      code: 'invalid_request',
      field: 'body',
    },
    {
      name: 'null body',
      who: 'ada',
      method: 'POST',
      url: '/v1/survivors',
      body: 'null',
      status: 400,
      code: 'invalid_request',
      field: 'body',
    },
    {
      name: 'malformed JSON',
      who: 'ada',
      method: 'POST',
      url: '/v1/survivors',
      body: '{"name": "Eve"',
      status: 400,
      code: 'malformed_json',
    },
    {
      name: 'prototype pollution',
      who: 'ada',
      method: 'POST',
      url: '/v1/survivors',
      body: '{"name":"Eve","__proto__":{"admin":true}}',
      status: 400,
      code: 'malformed_json',
    },
    {
      name: 'text/plain body',
      who: 'ada',
      method: 'POST',
      url: '/v1/survivors',
      body: 'Eve',
      headers: { 'content-type': 'text/plain' },
      status: 415,
      code: 'unsupported_media_type',
    },
    {
      name: 'oversized body',
      who: 'ada',
      method: 'POST',
      url: '/v1/survivors',
      body: { name: 'y'.repeat(20_000) },
      status: 413,
      code: 'body_too_large',
    },
    {
      name: 'oversized name',
      who: 'ada',
      method: 'POST',
      url: '/v1/survivors',
      body: { name: longName },
      status: 400,
      code: 'invalid_request',
      field: 'body.name',
    },
    {
      name: 'name just too long',
      who: 'ada',
      method: 'POST',
      url: '/v1/survivors',
      body: { name: 'Abcdefghijklmnopqrstuvwxyz' },
      status: 400,
      code: 'invalid_name',
      field: 'body.name',
    },
    {
      name: 'one-letter name',
      who: 'ada',
      method: 'POST',
      url: '/v1/survivors',
      body: { name: 'A' },
      status: 400,
      code: 'invalid_name',
    },
    {
      name: 'blank name',
      who: 'ada',
      method: 'POST',
      url: '/v1/survivors',
      body: { name: '    ' },
      status: 400,
      code: 'invalid_name',
    },
    {
      name: 'control characters in a name',
      who: 'ada',
      method: 'POST',
      url: '/v1/survivors',
      body: { name: 'Eve\u0000\u0007' },
      status: 400,
      code: 'invalid_name',
    },
    {
      name: 'emoji in a name',
      who: 'ada',
      method: 'POST',
      url: '/v1/survivors',
      body: { name: 'Eve 💀' },
      status: 400,
      code: 'invalid_name',
    },
    {
      name: 'right-to-left override in a name',
      who: 'ada',
      method: 'POST',
      url: '/v1/survivors',
      body: { name: '\u202EEve' },
      status: 400,
      code: 'invalid_name',
    },
    {
      name: 'SQL in a name',
      who: 'ada',
      method: 'PATCH',
      url: `/v1/survivors/${ids.adaIdle}`,
      body: { name: "Bob'); DROP TABLE survivors;--" },
      status: 400,
      code: 'invalid_name',
    },
    {
      name: 'Lua in a name',
      who: 'ada',
      method: 'PATCH',
      url: `/v1/survivors/${ids.adaIdle}`,
      body: { name: "{redis.call('FLUSHALL')}" },
      status: 400,
      code: 'invalid_name',
    },
    {
      name: 'markup in a name',
      who: 'ada',
      method: 'PATCH',
      url: `/v1/survivors/${ids.adaIdle}`,
      body: { name: '<script>x</script>' },
      status: 400,
      code: 'invalid_name',
    },
    {
      name: 'difficulty above 5',
      who: 'caster',
      method: 'PUT',
      url: '/v1/channel/settings',
      body: { maxDifficulty: 9 },
      status: 400,
      code: 'invalid_request',
      field: 'body.maxDifficulty',
    },
    {
      name: 'difficulty as a string',
      who: 'caster',
      method: 'PUT',
      url: '/v1/channel/settings',
      body: { maxDifficulty: '3' },
      status: 400,
      code: 'invalid_request',
      field: 'body.maxDifficulty',
    },
    {
      name: 'unknown mission length',
      who: 'caster',
      method: 'PUT',
      url: '/v1/channel/settings',
      body: { missionLength: 'epic' },
      status: 400,
      code: 'invalid_request',
      field: 'body.missionLength',
    },
    {
      name: 'unknown location',
      who: 'ada',
      method: 'POST',
      url: '/v1/missions',
      body: { survivorId: ids.adaIdle, location: 'narnia', difficulty: 1 },
      status: 400,
      code: 'unknown_location',
    },
    {
      name: 'difficulty 0',
      who: 'ada',
      method: 'POST',
      url: '/v1/missions',
      body: { survivorId: ids.adaIdle, location: 'flooded-mall', difficulty: 0 },
      status: 400,
      code: 'invalid_request',
      field: 'body.difficulty',
    },
    {
      name: 'fractional difficulty',
      who: 'ada',
      method: 'POST',
      url: '/v1/missions',
      body: { survivorId: ids.adaIdle, location: 'flooded-mall', difficulty: 2.5 },
      status: 400,
      code: 'invalid_request',
      field: 'body.difficulty',
    },
    {
      name: 'SQL in an id',
      who: 'ada',
      method: 'POST',
      url: '/v1/missions',
      body: { survivorId: '1 OR 1=1', location: 'flooded-mall', difficulty: 1 },
      status: 400,
      code: 'invalid_request',
      field: 'body.survivorId',
    },
    {
      name: 'negative id',
      who: 'ada',
      method: 'POST',
      url: '/v1/missions',
      body: { survivorId: '-1', location: 'flooded-mall', difficulty: 1 },
      status: 400,
      code: 'invalid_request',
      field: 'body.survivorId',
    },
    {
      name: 'id past bigint',
      who: 'ada',
      method: 'POST',
      url: '/v1/missions',
      body: { survivorId: '99999999999999999999', location: 'flooded-mall', difficulty: 1 },
      status: 400,
      code: 'invalid_request',
      field: 'body.survivorId',
    },
    {
      name: 'id as a number',
      who: 'ada',
      method: 'POST',
      url: '/v1/missions',
      body: { survivorId: 1, location: 'flooded-mall', difficulty: 1 },
      status: 400,
      code: 'invalid_request',
      field: 'body.survivorId',
    },
    {
      name: 'non-numeric path id',
      who: 'ada',
      method: 'GET',
      url: '/v1/survivors/abc/history',
      status: 400,
      code: 'invalid_request',
      field: 'params.survivorId',
    },
    {
      name: 'page size 0',
      who: 'ada',
      method: 'GET',
      url: `/v1/survivors/${ids.adaIdle}/history?limit=0`,
      status: 400,
      code: 'invalid_request',
      field: 'query.limit',
    },
    {
      name: 'page size 1000',
      who: 'ada',
      method: 'GET',
      url: `/v1/survivors/${ids.adaIdle}/history?limit=1000`,
      status: 400,
      code: 'invalid_request',
      field: 'query.limit',
    },
    {
      name: 'unknown query parameter',
      who: 'ada',
      method: 'GET',
      url: '/v1/poll?admin=1',
      status: 400,
      code: 'invalid_request',
      field: 'query.admin',
    },
    {
      name: 'forged poll cursor',
      who: 'ada',
      method: 'GET',
      url: '/v1/poll?cursor=1;DROP',
      status: 400,
      code: 'invalid_request',
      field: 'query.cursor',
    },
    {
      name: 'malformed lobby id',
      who: 'ada',
      method: 'POST',
      url: '/v1/lobbies/..%2F..%2Fx/join',
      body: { survivorId: ids.adaIdle },
      status: 400,
      code: 'invalid_request',
      field: 'params.lobbyId',
    },
    { name: 'unknown route', who: 'ada', method: 'GET', url: '/v1/admin', status: 404, code: 'not_found' },
    // other viewers' things, unknown things
    {
      name: "rename another viewer's survivor",
      who: 'bo',
      method: 'PATCH',
      url: `/v1/survivors/${ids.adaIdle}`,
      body: { name: 'Mine' },
      status: 404,
      code: 'survivor_not_found',
    },
    {
      name: "equip another viewer's survivor",
      who: 'bo',
      method: 'POST',
      url: `/v1/survivors/${ids.adaIdle}/perks`,
      body: { perkId: 'sprinter' },
      status: 404,
      code: 'survivor_not_found',
    },
    {
      name: "retire another viewer's survivor",
      who: 'bo',
      method: 'POST',
      url: `/v1/survivors/${ids.adaIdle}/retire`,
      status: 404,
      code: 'survivor_not_found',
    },
    {
      name: "read another viewer's survivor history",
      who: 'bo',
      method: 'GET',
      url: `/v1/survivors/${ids.adaIdle}/history`,
      status: 404,
      code: 'survivor_not_found',
    },
    {
      name: "send another viewer's survivor on a mission",
      who: 'bo',
      method: 'POST',
      url: '/v1/missions',
      body: { survivorId: ids.adaIdle, location: 'flooded-mall', difficulty: 1 },
      status: 404,
      code: 'survivor_not_found',
    },
    {
      name: "take another viewer's survivor to a lobby",
      who: 'bo',
      method: 'POST',
      url: '/v1/lobbies',
      body: { survivorId: ids.adaIdle, location: 'flooded-mall', difficulty: 1 },
      status: 404,
      code: 'survivor_not_found',
    },
    {
      name: 'unknown survivor',
      who: 'ada',
      method: 'POST',
      url: '/v1/missions',
      body: { survivorId: '987654321', location: 'flooded-mall', difficulty: 1 },
      status: 404,
      code: 'survivor_not_found',
    },
    {
      name: "retreat another viewer's mission",
      who: 'ada',
      method: 'POST',
      url: `/v1/missions/${ids.boMission}/retreat`,
      status: 403,
      code: 'not_your_mission',
    },
    {
      name: 'retreat an unknown mission',
      who: 'ada',
      method: 'POST',
      url: '/v1/missions/987654321/retreat',
      status: 404,
      code: 'mission_not_found',
    },
    {
      name: 'log of an unknown mission',
      who: 'ada',
      method: 'GET',
      url: '/v1/missions/987654321/log',
      status: 404,
      code: 'mission_not_found',
    },
    // illegal moves
    {
      name: 'a fourth living survivor',
      who: 'cy',
      method: 'POST',
      url: '/v1/survivors',
      body: { name: 'Fourth' },
      status: 409,
      code: 'survivor_limit',
    },
    {
      name: 'start a mission with a busy survivor',
      who: 'ada',
      method: 'POST',
      url: '/v1/missions',
      body: { survivorId: ids.adaBusy, location: 'flooded-mall', difficulty: 1 },
      status: 409,
      code: 'survivor_busy',
    },
    {
      name: 'start a mission with a dead survivor',
      who: 'ada',
      method: 'POST',
      url: '/v1/missions',
      body: { survivorId: ids.adaDead, location: 'flooded-mall', difficulty: 1 },
      status: 409,
      code: 'survivor_dead',
    },
    {
      name: 'rename a dead survivor',
      who: 'ada',
      method: 'PATCH',
      url: `/v1/survivors/${ids.adaDead}`,
      body: { name: 'Lazarus' },
      status: 409,
      code: 'survivor_dead',
    },
    {
      name: 'retire a survivor on a mission',
      who: 'ada',
      method: 'POST',
      url: `/v1/survivors/${ids.adaBusy}/retire`,
      status: 409,
      code: 'survivor_busy',
    },
    {
      name: 'retire a dead survivor',
      who: 'ada',
      method: 'POST',
      url: `/v1/survivors/${ids.adaDead}/retire`,
      status: 409,
      code: 'survivor_dead',
    },
    {
      name: 'equip an unknown perk',
      who: 'ada',
      method: 'POST',
      url: `/v1/survivors/${ids.adaIdle}/perks`,
      body: { perkId: 'laser-eyes' },
      status: 400,
      code: 'unknown_perk',
    },
    {
      name: 'equip a perk twice',
      who: 'ada',
      method: 'POST',
      url: `/v1/survivors/${ids.adaIdle}/perks`,
      body: { perkId: 'scavenger' },
      status: 409,
      code: 'perk_already_equipped',
    },
    {
      name: 'equip on a survivor out on a mission',
      who: 'ada',
      method: 'POST',
      url: `/v1/survivors/${ids.adaBusy}/perks`,
      body: { perkId: 'sprinter' },
      status: 409,
      code: 'survivor_busy',
    },
    {
      name: 'unequip a perk not equipped',
      who: 'ada',
      method: 'DELETE',
      url: `/v1/survivors/${ids.adaIdle}/perks/sprinter`,
      status: 409,
      code: 'perk_not_equipped',
    },
    {
      name: 'difficulty above the channel maximum',
      who: 'ada3000',
      method: 'POST',
      url: '/v1/missions',
      body: { survivorId: ids.adaIdle, location: 'flooded-mall', difficulty: 3 },
      status: 403,
      code: 'difficulty_not_allowed',
    },
    {
      name: 'a lobby where group missions are off',
      who: 'ada3000',
      method: 'POST',
      url: '/v1/lobbies',
      body: { survivorId: ids.adaIdle, location: 'flooded-mall', difficulty: 1 },
      status: 403,
      code: 'group_missions_disabled',
    },
    {
      name: 'join a full lobby',
      who: 'ada',
      method: 'POST',
      url: `/v1/lobbies/${ids.fullLobby}/join`,
      body: { survivorId: ids.adaIdle },
      status: 409,
      code: 'lobby_full',
    },
    {
      name: 'join a started lobby',
      who: 'ada',
      method: 'POST',
      url: `/v1/lobbies/${ids.startedLobby}/join`,
      body: { survivorId: ids.adaIdle },
      status: 409,
      code: 'lobby_not_open',
    },
    {
      name: 'join a vanished lobby',
      who: 'ada',
      method: 'POST',
      url: '/v1/lobbies/AAAAAAAAAAAA/join',
      body: { survivorId: ids.adaIdle },
      status: 410,
      code: 'lobby_expired',
    },
    {
      name: 'join a lobby with a busy survivor',
      who: 'ada',
      method: 'POST',
      url: '/v1/lobbies',
      body: { survivorId: ids.adaBusy, location: 'flooded-mall', difficulty: 1 },
      status: 409,
      code: 'survivor_busy',
    },
    {
      name: 'ready in a lobby one is not in',
      who: 'ada',
      method: 'PUT',
      url: `/v1/lobbies/${ids.fullLobby}/ready`,
      body: { ready: true },
      status: 403,
      code: 'not_in_lobby',
    },
    {
      name: 'start a lobby one is not in',
      who: 'ada',
      method: 'POST',
      url: `/v1/lobbies/${ids.fullLobby}/start`,
      status: 403,
      code: 'not_in_lobby',
    },
    {
      name: 'leave a lobby one is not in',
      who: 'ada',
      method: 'POST',
      url: `/v1/lobbies/${ids.fullLobby}/leave`,
      status: 403,
      code: 'not_in_lobby',
    },
    {
      name: 'start a lobby that is not ready',
      who: 'l2',
      method: 'POST',
      url: `/v1/lobbies/${ids.fullLobby}/start`,
      status: 409,
      code: 'lobby_not_ready',
    },
    {
      name: 'start a lobby twice',
      who: 's1',
      method: 'POST',
      url: `/v1/lobbies/${ids.startedLobby}/start`,
      status: 409,
      code: 'lobby_not_open',
    },
  ];

  it('has at least 50 cases', () => {
    expect(cases().length).toBeGreaterThanOrEqual(50);
  });

  it('answers each with its status and problem code, and changes nothing in Postgres or Redis', async () => {
    const failures: string[] = [];
    for (const c of cases()) {
      const before = [await durableSnapshot(f), await ephemeralSnapshot(redis, f.prefix)];
      const caller = c.who === 'none' ? null : callers[c.who]!;
      const response = await f.call(caller, c.method, c.url, c.body, c.headers);
      const after = [await durableSnapshot(f), await ephemeralSnapshot(redis, f.prefix)];
      const problem = String(response.headers['content-type']).startsWith('application/problem+json')
        ? response.json()
        : null;
      const got = `${response.statusCode} ${problem?.code}`;
      if (got !== `${c.status} ${c.code}`)
        failures.push(`${c.name}: expected ${c.status} ${c.code}, got ${got} ${response.body.slice(0, 200)}`);
      else if (c.field && !JSON.stringify(problem).includes(c.field))
        failures.push(`${c.name}: the problem does not name ${c.field}: ${response.body}`);
      if (before[0] !== after[0]) failures.push(`${c.name}: Postgres changed`);
      if (before[1] !== after[1]) failures.push(`${c.name}: Redis changed`);
    }
    expect(failures).toEqual([]);
  });
});
