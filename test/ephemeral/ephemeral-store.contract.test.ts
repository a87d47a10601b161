import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EphemeralStore } from '../../src/ephemeral/ephemeral-store.js';
import { testAccess } from '../support/ephemeral-test-access.js';
import { eventually } from '../support/services.js';
import { ephemeralBackends, type OpenedStore } from './ephemeral-backends.js';

describe.each(ephemeralBackends)('ephemeral store on $name', ({ open }) => {
  let opened: OpenedStore;
  let store: EphemeralStore;
  beforeEach(() => {
    opened = open();
    store = opened.store;
  });
  afterEach(async () => {
    await opened.dispose();
  });

  describe('active mission state', () => {
    it('reads back what was written, and null for a mission it never held', async () => {
      await testAccess(store).setActiveMission('1', '{"tick":3}');
      expect(await store.getActiveMission('1')).toBe('{"tick":3}');
      expect(await store.getActiveMission('2')).toBeNull();
      expect(await store.getActiveMissions(['2', '1'])).toEqual([null, '{"tick":3}']);
      await store.deleteActiveMission('1');
      expect(await store.getActiveMission('1')).toBeNull();
    });
  });

  describe('missions_due', () => {
    it('claims only missions due by now, earliest first, up to the limit', async () => {
      await testAccess(store).scheduleMission('late', 300);
      await testAccess(store).scheduleMission('early', 100);
      await testAccess(store).scheduleMission('middle', 200);
      await testAccess(store).scheduleMission('future', 10_000);
      const claimed = await store.claimDueMissions({ now: 1_000, limit: 2, lockTtlMs: 5_000, token: 'w1' });
      expect(claimed).toEqual([
        { missionId: 'early', dueAt: 100 },
        { missionId: 'middle', dueAt: 200 },
      ]);
      expect(await testAccess(store).dueAt('early')).toBe(6_000);
      expect(await testAccess(store).dueAt('future')).toBe(10_000);
    });

    it('never hands one mission to two claimers, however many claim at once', async () => {
      const missions = Array.from({ length: 200 }, (_, i) => `m${i}`);
      for (const id of missions) await testAccess(store).scheduleMission(id, 1);
      const claims = await Promise.all(
        Array.from({ length: 8 }, (_, w) =>
          store.claimDueMissions({ now: 100, limit: 40, lockTtlMs: 60_000, token: `w${w}` }),
        ),
      );
      const all = claims.flat().map((c) => c.missionId);
      expect(new Set(all).size).toBe(all.length);
      expect(all.length).toBe(missions.length);
    });

    it('skips a mission whose lock another worker holds, and looks again when that lock can expire', async () => {
      await testAccess(store).scheduleMission('m', 1);
      expect(await store.acquireLock(store.keys.tickLock('m'), 'other', 10_000)).toBe(true);
      expect(await store.claimDueMissions({ now: 100, limit: 10, lockTtlMs: 5_000, token: 'w1' })).toEqual(
        [],
      );
      const rescheduled = await testAccess(store).dueAt('m');
      expect(rescheduled).toBeGreaterThan(100 + 9_000);
      expect(rescheduled).toBeLessThanOrEqual(100 + 10_000);
    });

    it('makes a claimed mission due again once its lease runs out', async () => {
      await testAccess(store).scheduleMission('m', 1);
      const [first] = await store.claimDueMissions({ now: 100, limit: 10, lockTtlMs: 500, token: 'w1' });
      expect(first?.missionId).toBe('m');
      expect(await store.claimDueMissions({ now: 200, limit: 10, lockTtlMs: 500, token: 'w2' })).toEqual([]);
      const again = await eventually(
        async () =>
          (await store.claimDueMissions({ now: Date.now(), limit: 10, lockTtlMs: 500, token: 'w2' }))[0],
        'the lapsed claim to be claimable',
      );
      expect(again.missionId).toBe('m');
    });

    it('forgets an unscheduled mission', async () => {
      await testAccess(store).scheduleMission('m', 1);
      await store.unscheduleMission('m');
      expect(await testAccess(store).dueAt('m')).toBeNull();
      expect(await store.claimDueMissions({ now: 100, limit: 10, lockTtlMs: 500, token: 'w' })).toEqual([]);
    });
  });

  describe('locks', () => {
    it('are exclusive while held', async () => {
      const key = store.keys.tickLock('7');
      expect(await store.acquireLock(key, 'a', 10_000)).toBe(true);
      expect(await store.acquireLock(key, 'b', 10_000)).toBe(false);
    });

    it('expire after their TTL', async () => {
      const key = store.keys.jobLock('reconciler');
      expect(await store.acquireLock(key, 'a', 100)).toBe(true);
      await eventually(() => store.acquireLock(key, 'b', 10_000), 'the lock to expire');
      expect(await store.releaseLock(key, 'a')).toBe(false);
    });

    it('cannot be released with a stale token', async () => {
      const key = store.keys.tickLock('7');
      await store.acquireLock(key, 'holder', 10_000);
      expect(await store.releaseLock(key, 'stale')).toBe(false);
      expect(await store.acquireLock(key, 'someone', 10_000)).toBe(false);
      expect(await store.releaseLock(key, 'holder')).toBe(true);
      expect(await store.acquireLock(key, 'someone', 10_000)).toBe(true);
    });

    it('are extended only by their holder', async () => {
      const key = store.keys.jobLock('maintenance');
      await store.acquireLock(key, 'holder', 200);
      expect(await store.extendLock(key, 'stale', 60_000)).toBe(false);
      expect(await store.extendLock(key, 'holder', 60_000)).toBe(true);
    });
  });

  describe('counters', () => {
    it('count up within their window', async () => {
      const key = store.keys.rateLimit('u1', 'poll');
      expect((await store.incrementCounter(key, 10_000)).count).toBe(1);
      expect((await store.incrementCounter(key, 10_000)).count).toBe(2);
      const third = await store.incrementCounter(key, 10_000);
      expect(third.count).toBe(3);
      expect(third.ttlMs).toBeGreaterThan(0);
      expect(third.ttlMs).toBeLessThanOrEqual(10_000);
    });

    it('expire and start again from one', async () => {
      const key = store.keys.rateLimit('u1', 'write');
      await store.incrementCounter(key, 100);
      await store.incrementCounter(key, 100);
      await eventually(
        async () => (await store.incrementCounter(key, 100)).count === 1,
        'the counter to expire',
      );
    });
  });

  it('answers a ping', async () => {
    await expect(store.ping()).resolves.toBeUndefined();
  });
});
