import { describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/index.js';
import { countRetreatVotes, retreatVoteCounts } from '../../src/engine/retreat-vote.js';

const members = [{ userId: '1' }, { userId: '2' }, { userId: '3' }] as const;
const record = { members: members.map((m) => ({ ...m })) } as unknown as Parameters<
  typeof countRetreatVotes
>[0];

describe("a group's retreat vote window", () => {
  it('is the rules.json retreatVoteWindowMs of the shipped content (30 s)', () => {
    expect(loadContent().rules.retreatVoteWindowMs).toBe(30_000);
  });

  it.each([10_000, 30_000, 120_000])('counts a vote for %i ms and not a millisecond longer', (window) => {
    const rules = { retreatVoteWindowMs: window };
    const at = 1_000_000;
    expect(retreatVoteCounts(at - window + 1, at, rules)).toBe(true);
    expect(retreatVoteCounts(at - window, at, rules)).toBe(false);
    expect(retreatVoteCounts(undefined, at, rules)).toBe(false);
    const votes = { '1': at - window + 1, '2': at - window, '3': at };
    expect(countRetreatVotes(record, votes, at, rules)).toBe(2);
  });
});
