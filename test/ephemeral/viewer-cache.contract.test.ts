import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ViewerCache } from '../../src/ephemeral/viewer-cache.js';
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

  it('drops a rebuild that a change overtook (no stale roster after an invalidation)', async () => {
    const lease = await cache.lease('8');
    await cache.invalidate(['8']);
    expect(await cache.fill('8', lease!, '{"stale":true}', 60_000)).toBe(false);
    expect(await cache.get('8')).toBeNull();
  });

  it('reads a roster and the records of its missions in one call, in the roster order', async () => {
    expect(await cache.getWithMissions('9')).toBeNull();
    await opened.store.setActiveMission('31', '{"tick":4,"id":"31"}');
    const roster = '{"missionIds":["31","32"],"userId":"9","survivors":[],"lobbyId":null}';
    await cache.fill('9', (await cache.lease('9'))!, roster, 60_000);
    expect(await cache.getWithMissions('9')).toEqual({ roster, missions: ['{"tick":4,"id":"31"}', null] });
  });

  it('reads a roster cached in another field order the long way, never as mission-less', async () => {
    await opened.store.setActiveMission('41', '{"tick":1,"id":"41"}');
    const roster = '{"userId":"10","survivors":[],"missionIds":["41"]}';
    await cache.fill('10', (await cache.lease('10'))!, roster, 60_000);
    expect(await cache.getWithMissions('10')).toEqual({ roster, missions: ['{"tick":1,"id":"41"}'] });
  });
});
