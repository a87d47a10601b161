import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CountedCall, ViewerCache } from '../../src/ephemeral/viewer-cache.js';
import { testAccess } from '../support/ephemeral-test-access.js';
import { ephemeralBackends, type OpenedStore } from './ephemeral-backends.js';

describe.each(ephemeralBackends)('viewer roster cache on $name', ({ open }) => {
  let opened: OpenedStore;
  let cache: ViewerCache;
  beforeEach(() => {
    opened = open();
    cache = new ViewerCache(opened.store);
  });
  afterEach(async () => {
    await opened.dispose();
  });

  it('fills under a lease and serves the roster until it is invalidated', async () => {
    expect(await cache.get('7')).toBeNull();
    const lease = await cache.lease('7');
    expect(lease).not.toBeNull();
    // A pending lease is a miss, and a second rebuild gets no lease of its own.
    expect(await cache.get('7')).toBeNull();
    expect(await cache.lease('7')).toBeNull();
    expect(await cache.fill('7', lease!, '{"v":1}', 60_000)).toBe(true);
    expect(await cache.get('7')).toBe('{"v":1}');
    await cache.invalidate(['7']);
    expect(await cache.get('7')).toBeNull();
  });

  it('keeps the last filled roster as the last known one, which an invalidation leaves in place', async () => {
    expect(await cache.lastKnown('11')).toBeNull();
    await cache.fill('11', (await cache.lease('11'))!, '{"v":1}', 60_000);
    await cache.invalidate(['11']);
    expect(await cache.get('11')).toBeNull();
    expect(await cache.lastKnown('11')).toBe('{"v":1}');
    await cache.fill('11', (await cache.lease('11'))!, '{"v":2}', 60_000);
    expect(await cache.lastKnown('11')).toBe('{"v":2}');
    // A fill that a change overtook does not become the last known roster either.
    await cache.invalidate(['11']);
    const lease = await cache.lease('11');
    expect(lease).not.toBeNull();
    await cache.invalidate(['11']);
    expect(await cache.fill('11', lease!, '{"v":3}', 60_000)).toBe(false);
    expect(await cache.lastKnown('11')).toBe('{"v":2}');
  });

  it('drops a rebuild that a change overtook (no stale roster after an invalidation)', async () => {
    const lease = await cache.lease('8');
    await cache.invalidate(['8']);
    expect(await cache.fill('8', lease!, '{"stale":true}', 60_000)).toBe(false);
    expect(await cache.get('8')).toBeNull();
  });

  const counted = (key: string, budget = 100): CountedCall => ({
    key: opened.store.keys.rateLimit(key, 'poll'),
    windowMs: 60_000,
    budget,
  });

  it('reads a roster and the records of its missions, in the roster order', async () => {
    expect((await cache.readForPoll('9', counted('U9'))).state).toBeNull();
    await testAccess(opened.store).setActiveMission('31', '{"tick":4,"id":"31"}');
    const roster = '{"missionIds":["31","32"],"userId":"9","survivors":[],"lobbyId":null}';
    await cache.fill('9', (await cache.lease('9'))!, roster, 60_000);
    expect((await cache.readForPoll('9', counted('U9'))).state).toEqual({
      roster,
      missions: ['{"tick":4,"id":"31"}', null],
    });
  });

  it('reads the current records on every poll, and the new missions once the roster names others', async () => {
    const access = testAccess(opened.store);
    await access.setActiveMission('51', '{"tick":1,"id":"51"}');
    await access.setActiveMission('52', '{"tick":7,"id":"52"}');
    const first = '{"missionIds":["51"],"userId":"14","survivors":[],"lobbyId":null}';
    await cache.fill('14', (await cache.lease('14'))!, first, 60_000);
    expect((await cache.readForPoll('14', counted('U14'))).state?.missions).toEqual(['{"tick":1,"id":"51"}']);
    await access.setActiveMission('51', '{"tick":2,"id":"51"}');
    expect((await cache.readForPoll('14', counted('U14'))).state?.missions).toEqual(['{"tick":2,"id":"51"}']);
    await cache.invalidate(['14']);
    const second = '{"missionIds":["52","51"],"userId":"14","survivors":[],"lobbyId":null}';
    await cache.fill('14', (await cache.lease('14'))!, second, 60_000);
    expect((await cache.readForPoll('14', counted('U14'))).state?.missions).toEqual([
      '{"tick":7,"id":"52"}',
      '{"tick":2,"id":"51"}',
    ]);
  });

  it('reads a roster cached in another field order the long way, never as mission-less', async () => {
    await testAccess(opened.store).setActiveMission('41', '{"tick":1,"id":"41"}');
    const roster = '{"userId":"10","survivors":[],"missionIds":["41"]}';
    await cache.fill('10', (await cache.lease('10'))!, roster, 60_000);
    expect((await cache.readForPoll('10', counted('U10'))).state).toEqual({
      roster,
      missions: ['{"tick":1,"id":"41"}'],
    });
  });

  it('counts every poll in the window, misses included, and reads nothing once over budget', async () => {
    const call = counted('U11', 2);
    expect(await cache.readForPoll('11', call)).toEqual({ calls: 1, refusedForMs: null, state: null });
    await cache.fill('11', (await cache.lease('11'))!, '{"missionIds":[]}', 60_000);
    expect(await cache.readForPoll('11', call)).toEqual({
      calls: 2,
      refusedForMs: null,
      state: { roster: '{"missionIds":[]}', missions: [] },
    });
    // Over budget: counted, refused until the window that began with the first call ends, not read.
    const third = await cache.readForPoll('11', call);
    expect(third).toMatchObject({ calls: 3, state: null });
    expect(third.refusedForMs).toBeGreaterThan(55_000);
    expect(third.refusedForMs).toBeLessThanOrEqual(60_000);
    // The counter is the store's own, in the key it was given.
    expect(await opened.store.incrementCounter(call.key, call.windowMs)).toMatchObject({ count: 4 });
    // Another caller's window is their own.
    expect((await cache.readForPoll('11', counted('U12', 2))).calls).toBe(1);
  });

  it('gives a counter found without an expiry one, so that it refuses for one window, not forever', async () => {
    const call = counted('U13', 2);
    await opened.store.setValue(call.key, '7');
    const refused = await cache.readForPoll('13', call);
    expect(refused).toMatchObject({ calls: 8, state: null });
    expect(refused.refusedForMs).toBeGreaterThan(55_000);
    expect(refused.refusedForMs).toBeLessThanOrEqual(60_000);
    expect((await cache.readForPoll('13', call)).refusedForMs).toBeLessThanOrEqual(refused.refusedForMs!);
  });
});
