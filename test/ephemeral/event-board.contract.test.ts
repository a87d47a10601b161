import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EphemeralStore, TickCommit } from '../../src/ephemeral/ephemeral-store.js';
import { testAccess } from '../support/ephemeral-test-access.js';
import { ephemeralBackends, type OpenedStore } from './ephemeral-backends.js';

const record = (id: string, tick: number) => `{"tick":${tick},"id":"${id}"}`;

function eventCommit(
  id: string,
  userId: string,
  contribution: number,
  highlight: string | null = null,
): TickCommit {
  return {
    missionId: id,
    token: 'w1',
    expectedTick: 0,
    recordJson: record(id, 1),
    nextTickAt: 5_000,
    outboxRow: `{"tick":1,"missionId":"${id}"}`,
    event: { eventId: 'e1', userId, contribution, highlight },
  };
}

const EMPTY = { progress: 0, goal: 100, status: 'running', top: [], highlights: [] };

describe.each(ephemeralBackends)("a channel event's live meter on $name", ({ open }) => {
  let opened: OpenedStore;
  let store: EphemeralStore;
  beforeEach(async () => {
    opened = open();
    store = opened.store;
    for (const id of ['m1', 'm2', 'm3']) await store.restoreActiveMission(id, record(id, 0), 1);
    await store.claimDueMissions({ now: Date.now(), limit: 10, lockTtlMs: 10_000, token: 'w1' });
  });
  afterEach(async () => {
    await opened.dispose();
  });

  it('advances the meter in the same commit as the tick, beside ordinary ticks, in order', async () => {
    expect(await store.restoreEventBoard('e1', EMPTY)).toBe(true);
    const plain: TickCommit = { ...eventCommit('m2', 'u2', 0), event: undefined };
    delete plain.event;
    const outcomes = await store.commitTicks([
      eventCommit('m1', 'u1', 3, '{"text":"down"}'),
      plain,
      eventCommit('m3', 'u3', 5),
    ]);
    expect(outcomes).toEqual(['committed', 'committed', 'committed']);
    expect(await store.outboxDepth()).toBe(3);
    const board = await store.readEventBoard('e1', 10);
    expect(board).toEqual({
      progress: 8,
      goal: 100,
      status: 'running',
      top: [
        { userId: 'u3', contribution: 5 },
        { userId: 'u1', contribution: 3 },
      ],
      highlights: ['{"text":"down"}'],
    });
  });

  it('never counts a refused commit: a stale or lock-lost tick leaves the meter alone', async () => {
    await store.restoreEventBoard('e1', EMPTY);
    expect(await store.commitTicks([eventCommit('m1', 'u1', 3)])).toEqual(['committed']);
    // The same tick again (a retry of a tick already committed): fenced by the tick index.
    await testAccess(store).scheduleMission('m1', 1);
    await store.claimDueMissions({ now: Date.now(), limit: 10, lockTtlMs: 10_000, token: 'w1' });
    expect(await store.commitTicks([eventCommit('m1', 'u1', 3)])).toEqual(['stale']);
    expect(await store.commitTicks([{ ...eventCommit('m2', 'u2', 4), token: 'w-old' }])).toEqual([
      'lost_lock',
    ]);
    expect((await store.readEventBoard('e1', 10))?.progress).toBe(3);
  });

  it('restores a meter only where none exists, and changes the status of an existing one only', async () => {
    expect(await store.setEventStatus('e1', 'ending')).toBe(false);
    expect(await store.readEventBoard('e1', 10)).toBeNull();
    expect(await store.eventStatuses(['e1'])).toEqual([null]);
    const rebuilt = {
      ...EMPTY,
      progress: 7,
      top: [{ userId: 'u1', contribution: 7 }],
      highlights: ['b', 'a'],
    };
    expect(await store.restoreEventBoard('e1', rebuilt)).toBe(true);
    expect(await store.restoreEventBoard('e1', EMPTY)).toBe(false);
    expect(await store.setEventStatus('e1', 'ending')).toBe(true);
    expect(await store.eventStatuses(['e1', 'e2'])).toEqual(['ending', null]);
    expect(await store.readEventBoard('e1', 10)).toEqual({ ...rebuilt, status: 'ending' });
    await store.deleteEventBoard('e1');
    expect(await store.readEventBoard('e1', 10)).toBeNull();
  });
});
