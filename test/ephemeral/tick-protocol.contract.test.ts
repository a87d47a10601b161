import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EphemeralStore, TickCommit } from '../../src/ephemeral/ephemeral-store.js';
import { testAccess } from '../support/ephemeral-test-access.js';
import { eventually } from '../support/services.js';
import { ephemeralBackends, type OpenedStore } from './ephemeral-backends.js';

const record = (tick: number, extra = '') => `{"tick":${tick},"id":"m1"${extra}}`;

function commit(overrides: Partial<TickCommit> = {}): TickCommit {
  return {
    missionId: 'm1',
    token: 'w1',
    expectedTick: 0,
    recordJson: record(1),
    nextTickAt: 5_000,
    outboxRow: '{"tick":1}',
    ...overrides,
  };
}

describe.each(ephemeralBackends)('the tick protocol on $name', ({ open }) => {
  let opened: OpenedStore;
  let store: EphemeralStore;
  beforeEach(async () => {
    opened = open();
    store = opened.store;
    await store.restoreActiveMission('m1', record(0), 1);
  });
  afterEach(async () => {
    await opened.dispose();
  });

  async function claim(token: string, lockTtlMs = 10_000) {
    return store.claimDueMissions({ now: Date.now(), limit: 10, lockTtlMs, token });
  }

  it('commits a claimed tick: new record, next due time, one outbox row, lock released', async () => {
    expect(await claim('w1')).toHaveLength(1);
    expect(await store.commitTicks([commit()])).toEqual(['committed']);
    expect(await store.getActiveMission('m1')).toBe(record(1));
    expect(await testAccess(store).dueAt('m1')).toBe(5_000);
    expect(await store.outboxDepth()).toBe(1);
    expect(await store.acquireLock(store.keys.tickLock('m1'), 'other', 1_000)).toBe(true);
  });

  it('refuses a commit whose lock lapsed and was taken by another worker', async () => {
    await claim('w1', 100);
    await eventually(async () => (await claim('w2')).length === 1, 'the lapsed lock to be re-claimed');
    expect(await store.commitTicks([commit({ token: 'w1' })])).toEqual(['lost_lock']);
    expect(await store.getActiveMission('m1')).toBe(record(0));
    expect(await store.outboxDepth()).toBe(0);
  });

  it('refuses a commit fenced by an older tick index, even with the right token', async () => {
    await claim('w1');
    await store.commitTicks([commit()]);
    await testAccess(store).scheduleMission('m1', 1);
    await claim('w1');
    expect(
      await store.commitTicks([commit({ expectedTick: 0, recordJson: record(1, ',"again":true') })]),
    ).toEqual(['stale']);
    expect(await store.getActiveMission('m1')).toBe(record(1));
    expect(await store.outboxDepth()).toBe(1);
  });

  it('refuses a commit for a mission whose state vanished', async () => {
    await claim('w1');
    await store.deleteActiveMission('m1');
    expect(await store.commitTicks([commit()])).toEqual(['missing']);
    expect(await store.outboxDepth()).toBe(0);
  });

  it('unschedules a mission whose last tick is committed', async () => {
    await claim('w1');
    expect(await store.commitTicks([commit({ nextTickAt: null })])).toEqual(['committed']);
    expect(await testAccess(store).dueAt('m1')).toBeNull();
  });

  it('restores a rebuilt mission only where Redis holds none', async () => {
    expect(await store.restoreActiveMission('m1', record(7), 9)).toBe(false);
    expect(await store.getActiveMission('m1')).toBe(record(0));
    expect(await store.restoreActiveMission('m2', record(3), 9)).toBe(true);
    expect(await testAccess(store).dueAt('m2')).toBe(9);
    expect(await store.activeMissionsExist(['m1', 'm2', 'm3'])).toEqual([true, true, false]);
    expect((await store.scheduledMissionIds()).sort()).toEqual(['m1', 'm2']);
  });

  it('settles a completed mission: kept briefly, unscheduled, unlocked', async () => {
    await claim('w1');
    await store.settleActiveMission('m1', record(1, ',"result":{}'), 100);
    expect(await testAccess(store).dueAt('m1')).toBeNull();
    expect(await store.getActiveMission('m1')).toBe(record(1, ',"result":{}'));
    await eventually(
      async () => (await store.getActiveMission('m1')) === null,
      'the settled record to expire',
    );
  });

  describe('mission_log_outbox', () => {
    beforeEach(async () => {
      for (let tick = 1; tick <= 5; tick++) {
        await store.restoreActiveMission(`o${tick}`, `{"tick":0,"id":"o${tick}"}`, 1);
        await store.claimDueMissions({ now: Date.now(), limit: 10, lockTtlMs: 10_000, token: 't' });
        await store.commitTicks([
          commit({
            missionId: `o${tick}`,
            token: 't',
            recordJson: `{"tick":1,"id":"o${tick}"}`,
            outboxRow: `row${tick}`,
          }),
        ]);
      }
    });

    it('hands each entry to one consumer, in order, and forgets it once acknowledged', async () => {
      const first = await store.readOutbox('a', 3);
      const second = await store.readOutbox('b', 10);
      expect(first.map((e) => e.row)).toEqual(['row1', 'row2', 'row3']);
      expect(second.map((e) => e.row)).toEqual(['row4', 'row5']);
      expect(await store.readOutbox('a', 10)).toEqual([]);
      expect(await store.oldestOutboxEntryAt()).toBeGreaterThan(Date.now() - 60_000);
      await store.ackOutbox([...first, ...second].map((e) => e.id));
      expect(await store.outboxDepth()).toBe(0);
      expect(await store.oldestOutboxEntryAt()).toBeNull();
    });

    it('lets another consumer take over entries left unacknowledged past the idle time', async () => {
      const taken = await store.readOutbox('dead', 2);
      expect(await store.reclaimOutbox('alive', 60_000, 10)).toEqual([]);
      const reclaimed = await eventually(async () => {
        const entries = await store.reclaimOutbox('alive', 50, 10);
        return entries.length > 0 ? entries : null;
      }, 'entries to go idle');
      expect(reclaimed.map((e) => e.row)).toEqual(taken.map((e) => e.row));
    });
  });
});
