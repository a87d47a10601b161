import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EphemeralStore } from '../../src/ephemeral/ephemeral-store.js';
import { ephemeralBackends, type OpenedStore } from './ephemeral-backends.js';

const at10 = { missionId: 'm1', decidesAt: 10 };

describe.each(ephemeralBackends)('votes inside a mission on $name', ({ open }) => {
  let opened: OpenedStore;
  let store: EphemeralStore;
  beforeEach(() => {
    opened = open();
    store = opened.store;
  });
  afterEach(async () => {
    await opened.dispose();
  });

  it('keeps one vote per viewer until the choice closes, then refuses late votes and returns the same votes again', async () => {
    expect(await store.votes.castChoiceVote(at10, '1', 'push')).toBe(true);
    expect(await store.votes.castChoiceVote(at10, '2', 'sneak')).toBe(true);
    // A viewer who changes their mind replaces their vote.
    expect(await store.votes.castChoiceVote(at10, '1', 'rest')).toBe(true);
    expect(await store.votes.readChoiceVotes([at10])).toEqual([
      { votes: { 1: 'rest', 2: 'sneak' }, closed: false },
    ]);

    const other = { missionId: 'm1', decidesAt: 18 };
    expect(await store.votes.closeChoiceVotes([at10, other])).toEqual([{ 1: 'rest', 2: 'sneak' }, {}]);
    expect(await store.votes.castChoiceVote(at10, '3', 'search')).toBe(false);
    expect(await store.votes.castChoiceVote(at10, '1', 'push')).toBe(false);
    // A tick run again after a crash closes again and reads exactly what the first run read.
    expect(await store.votes.closeChoiceVotes([at10])).toEqual([{ 1: 'rest', 2: 'sneak' }]);
    expect(await store.votes.readChoiceVotes([at10, other])).toEqual([
      { votes: { 1: 'rest', 2: 'sneak' }, closed: true },
      { votes: {}, closed: true },
    ]);
    // Another mission's, or another choice point's, votes are their own.
    expect(await store.votes.castChoiceVote({ missionId: 'm2', decidesAt: 10 }, '1', 'push')).toBe(true);
    expect(await store.votes.readChoiceVotes([{ missionId: 'm1', decidesAt: 26 }])).toEqual([
      { votes: {}, closed: false },
    ]);
  });

  it("collects a group's retreat votes, each viewer once, with when they were cast", async () => {
    expect(await store.votes.castRetreatVote('m1', '1', 1_000)).toEqual({ 1: 1_000 });
    expect(await store.votes.castRetreatVote('m1', '2', 2_000)).toEqual({ 1: 1_000, 2: 2_000 });
    expect(await store.votes.castRetreatVote('m1', '1', 3_000)).toEqual({ 1: 3_000, 2: 2_000 });
    expect(await store.votes.castRetreatVote('m2', '1', 4_000)).toEqual({ 1: 4_000 });
    expect(await store.votes.readRetreatVotes(['m1', 'm3', 'm2'])).toEqual([
      { 1: 3_000, 2: 2_000 },
      {},
      { 1: 4_000 },
    ]);
  });
});
