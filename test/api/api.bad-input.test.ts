import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authCases } from './bad-input/auth.cases.js';
import {
  type BadInputWorld,
  type Case,
  closeBadInputWorld,
  durableSnapshot,
  ephemeralSnapshot,
  openBadInputWorld,
} from './bad-input/bad-input-world.js';
import { channelCases } from './bad-input/channel.cases.js';
import { eventCases } from './bad-input/events.cases.js';
import { lobbyCases } from './bad-input/lobbies.cases.js';
import { missionCases } from './bad-input/missions.cases.js';
import { requestCases } from './bad-input/requests.cases.js';
import { stashCases } from './bad-input/stash.cases.js';
import { survivorCases } from './bad-input/survivors.cases.js';

describe('bad input changes nothing and says what was wrong', () => {
  let world: BadInputWorld | undefined;

  beforeAll(async () => {
    world = await openBadInputWorld();
  }, 60_000);

  afterAll(async () => {
    if (world) await closeBadInputWorld(world);
  });

  // Built after beforeAll: the cases point at ids and tokens that only exist once the world is set up.
  const cases = (): Case[] => {
    const w = world!;
    return [
      ...authCases(w),
      ...requestCases(),
      ...survivorCases(w),
      ...missionCases(w),
      ...lobbyCases(w),
      ...channelCases(w),
      ...eventCases(w),
      ...stashCases(w),
    ];
  };

  it('has at least 50 cases', () => {
    expect(cases().length).toBeGreaterThanOrEqual(50);
  });

  it('answers each with its status and problem code, and changes nothing in Postgres or Redis', async () => {
    const { f, redis, callers } = world!;
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
    // Two snapshots of both stores around each of ~100 cases: 10.5 s alone at load 14, past 30 s beside
    // the browser tests at load 20 on the 2-core machine.
  }, 120_000);
});
