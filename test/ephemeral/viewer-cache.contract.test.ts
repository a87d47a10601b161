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
});
