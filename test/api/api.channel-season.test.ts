import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seasonWindow } from '../../src/game/season-period.js';
import { type ApiFixture, type Backend, type Caller, openApiFixture } from './api-fixture.js';

const MINUTE_MS = 60_000;

describe('seasonWindow', () => {
  it('starts a weekly season on Monday 00:00 UTC and a monthly one on the 1st', () => {
    const sunday = Date.UTC(2026, 10, 29, 23, 59);
    expect(seasonWindow('weekly', sunday)).toEqual({
      startsAt: Date.UTC(2026, 10, 23),
      endsAt: Date.UTC(2026, 10, 30),
    });
    expect(seasonWindow('weekly', Date.UTC(2026, 10, 30))).toEqual({
      startsAt: Date.UTC(2026, 10, 30),
      endsAt: Date.UTC(2026, 11, 7),
    });
    expect(seasonWindow('monthly', Date.UTC(2026, 11, 31, 12))).toEqual({
      startsAt: Date.UTC(2026, 11, 1),
      endsAt: Date.UTC(2027, 0, 1),
    });
  });
});

describe.each<Backend>(['real', 'embedded'])('the channel season on the %s stores', (backend) => {
  let f: ApiFixture;
  beforeAll(async () => {
    f = await openApiFixture(backend);
  });
  afterAll(async () => {
    await f?.close();
  });

  /** A survivor of `who`, and a way to record ended missions of it straight into Postgres. */
  async function survivorOf(who: Caller, name: string) {
    const id = (await f.call(who, 'POST', '/v1/survivors', { name })).json().id as string;
    const { rows } = await f.db.query<{ user_id: string }>(
      'SELECT user_id::text FROM survivors WHERE id = $1',
      [id],
    );
    return { id, userId: rows[0]!.user_id };
  }

  async function ended(
    channelId: string,
    survivor: { id: string; userId: string },
    m: { status: string; difficulty: number; loot: number; endedAt: number },
  ) {
    const { rows } = await f.db.query<{ id: string }>(
      `INSERT INTO missions (channel_id, kind, location, difficulty, seed, content_version, status, length_ticks,
                             tick_interval_ms, start_snapshot, result, started_at, ended_at)
       VALUES ($1, 'solo', 'flooded-mall', $2, '1', 'test', $3, 10, 5000, '{}', $4,
               to_timestamp($5::float8 / 1000) - interval '1 minute', to_timestamp($5::float8 / 1000))
       RETURNING id::text`,
      [channelId, m.difficulty, m.status, JSON.stringify({ supplies: m.loot, lootValue: m.loot }), m.endedAt],
    );
    await f.db.query(
      'INSERT INTO mission_participants (mission_id, survivor_id, user_id, slot) VALUES ($1, $2, $3, 0)',
      [rows[0]!.id, survivor.id, survivor.userId],
    );
  }

  it('ranks viewers by missions survived, deepest difficulty held and loot this season, and meters the channel goal', async () => {
    const channelId = '7100';
    const [ada, bo, caster] = [
      await f.viewer({ channelId }),
      await f.viewer({ channelId }),
      await f.viewer({ channelId, role: 'broadcaster' }),
    ];
    const [adaS, boS] = [await survivorOf(ada, 'Ada'), await survivorOf(bo, 'Bo')];
    const now = Date.now();
    const week = seasonWindow('weekly', now);
    const month = seasonWindow('monthly', now);
    const inWeek = Math.max(week.startsAt + MINUTE_MS, now - MINUTE_MS);
    await ended(channelId, adaS, { status: 'succeeded', difficulty: 2, loot: 5, endedAt: inWeek });
    await ended(channelId, adaS, { status: 'succeeded', difficulty: 4, loot: 7, endedAt: inWeek });
    await ended(channelId, adaS, { status: 'failed', difficulty: 5, loot: 3, endedAt: inWeek });
    await ended(channelId, boS, { status: 'succeeded', difficulty: 1, loot: 20, endedAt: inWeek });
    // Not this week: the week before, and another channel.
    const lastWeek = week.startsAt - MINUTE_MS;
    await ended(channelId, boS, { status: 'succeeded', difficulty: 5, loot: 100, endedAt: lastWeek });
    await ended('7101', boS, { status: 'succeeded', difficulty: 5, loot: 100, endedAt: inWeek });

    const season = (await f.call(ada, 'GET', '/v1/channel/season')).json();
    expect(season).toMatchObject({ period: 'weekly', ...week, goal: { target: 500, held: 3 } });
    const lines = (board: { names: string; value: number; mine: boolean }[]) =>
      board.map((e) => [e.names, e.value, e.mine]);
    expect(lines(season.boards.survived)).toEqual([
      ['Ada', 2, true],
      ['Bo', 1, false],
    ]);
    expect(lines(season.boards.deepest)).toEqual([
      ['Ada', 4, true],
      ['Bo', 1, false],
    ]);
    expect(lines(season.boards.loot)).toEqual([
      ['Bo', 20, false],
      ['Ada', 15, true],
    ]);
    expect(JSON.stringify(season)).not.toMatch(/userId/);

    const changed = await f.call(caster, 'PUT', '/v1/channel/settings', {
      seasonPeriod: 'monthly',
      seasonGoal: 50,
    });
    expect(changed.json()).toMatchObject({ seasonPeriod: 'monthly', seasonGoal: 50 });
    const monthly = (await f.call(bo, 'GET', '/v1/channel/season')).json();
    const lastWeekCounts = lastWeek >= month.startsAt;
    expect(monthly).toMatchObject({
      period: 'monthly',
      ...month,
      goal: { target: 50, held: lastWeekCounts ? 4 : 3 },
    });
    expect(monthly.boards.loot[0]).toEqual({
      rank: 1,
      names: 'Bo',
      player: null,
      playerTitle: null,
      value: lastWeekCounts ? 120 : 20,
      mine: true,
    });
  });

  it('refuses a season period or goal it does not know', async () => {
    const caster = await f.viewer({ channelId: '7102', role: 'broadcaster' });
    const bad = await f.call(caster, 'PUT', '/v1/channel/settings', { seasonPeriod: 'daily' });
    expect(bad.json()).toMatchObject({ code: 'invalid_request' });
    expect(bad.json().errors[0].field).toBe('body.seasonPeriod');
    expect((await f.call(caster, 'PUT', '/v1/channel/settings', { seasonGoal: 0 })).statusCode).toBe(400);
    expect((await f.call(caster, 'GET', '/v1/channel/settings')).json()).toMatchObject({
      seasonPeriod: 'weekly',
      seasonGoal: 500,
    });
  });
});
