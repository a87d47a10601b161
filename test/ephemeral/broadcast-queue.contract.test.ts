import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type BroadcastPacing,
  type BroadcastQueue,
  channelChanged,
  missionChanged,
} from '../../src/ephemeral/broadcast-queue.js';
import { ephemeralBackends, type OpenedStore } from './ephemeral-backends.js';

/** One token a second, a burst of 3: small numbers keep the arithmetic visible. */
const PACING: BroadcastPacing = { refillPerMs: 1 / 1_000, burst: 3, leaseMs: 10_000 };
const T0 = 1_800_000_000_000;

describe.each(ephemeralBackends)('broadcast queue on $name', ({ open }) => {
  let opened: OpenedStore;
  let queue: BroadcastQueue;
  beforeEach(() => {
    opened = open();
    queue = opened.store.broadcasts;
  });
  afterEach(async () => {
    await opened.dispose();
  });

  it('coalesces changes of a channel into one set, taken whole and cleared', async () => {
    await queue.add([{ channelId: '7', items: [missionChanged('1'), missionChanged('2')] }], T0);
    await queue.add([{ channelId: '7', items: [missionChanged('2'), channelChanged] }], T0 + 5);
    expect(await queue.due(T0 + 10, 10)).toEqual(['7']);
    const taken = await queue.take('7', 'sender-a', T0 + 10, PACING);
    expect(taken.kind).toBe('taken');
    expect(taken.kind === 'taken' && [...taken.items].sort()).toEqual(['c', 'm:1', 'm:2']);
    expect(await queue.due(T0 + 10, 10)).toEqual([]);
    expect((await queue.take('7', 'sender-a', T0 + 11, PACING)).kind).toBe('empty');
  });

  it('lets one sender hold a channel at a time, until it releases it', async () => {
    await queue.add([{ channelId: '7', items: [missionChanged('1')] }], T0);
    expect((await queue.take('7', 'sender-a', T0, PACING)).kind).toBe('taken');
    await queue.add([{ channelId: '7', items: [missionChanged('2')] }], T0 + 1);
    expect((await queue.take('7', 'sender-b', T0 + 2, PACING)).kind).toBe('busy');
    await queue.release('7', 'sender-b'); // not the holder: changes nothing
    expect((await queue.take('7', 'sender-b', T0 + 3, PACING)).kind).toBe('busy');
    await queue.release('7', 'sender-a');
    const next = await queue.take('7', 'sender-b', T0 + 4, PACING);
    expect(next).toEqual({ kind: 'taken', items: ['m:2'] });
  });

  it('spends the burst, then makes the channel wait for its next token', async () => {
    for (let i = 0; i < PACING.burst; i++) {
      await queue.add([{ channelId: '7', items: [missionChanged(String(i))] }], T0);
      expect((await queue.take('7', 'sender-a', T0, PACING)).kind).toBe('taken');
      await queue.release('7', 'sender-a');
    }
    await queue.add([{ channelId: '7', items: [missionChanged('x')] }], T0);
    expect(await queue.take('7', 'sender-a', T0 + 100, PACING)).toEqual({
      kind: 'wait',
      readyAt: T0 + 1_000,
    });
    expect(await queue.due(T0 + 999, 10)).toEqual([]);
    expect(await queue.due(T0 + 1_000, 10)).toEqual(['7']);
    expect((await queue.take('7', 'sender-a', T0 + 1_000, PACING)).kind).toBe('taken');
  });

  it('keeps channels apart: one channel waiting does not hold another', async () => {
    await queue.add(
      [
        { channelId: '7', items: [missionChanged('1')] },
        { channelId: '8', items: [missionChanged('2')] },
      ],
      T0,
    );
    expect((await queue.due(T0, 10)).sort()).toEqual(['7', '8']);
    expect((await queue.take('7', 'sender-a', T0, PACING)).kind).toBe('taken');
    expect(await queue.take('8', 'sender-a', T0, PACING)).toEqual({ kind: 'taken', items: ['m:2'] });
  });

  it('puts changes back after a failed send, due at the time given', async () => {
    await queue.add([{ channelId: '7', items: [missionChanged('1')] }], T0);
    const taken = await queue.take('7', 'sender-a', T0, PACING);
    await queue.release('7', 'sender-a');
    await queue.putBack('7', taken.kind === 'taken' ? taken.items : [], T0 + 5_000);
    expect(await queue.due(T0 + 4_999, 10)).toEqual([]);
    expect(await queue.due(T0 + 5_000, 10)).toEqual(['7']);
    expect(await queue.take('7', 'sender-b', T0 + 5_000, PACING)).toEqual({ kind: 'taken', items: ['m:1'] });
  });
});
