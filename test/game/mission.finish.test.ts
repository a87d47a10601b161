import { describe, expect, it } from 'vitest';
import {
  finishMission,
  levelForXp,
  type MissionState,
  retreatTick,
  startMission,
} from '../../src/game/index.js';
import { content, fresh, runMission } from './fixtures.js';

function ended(state: MissionState, patch: Partial<MissionState>): MissionState {
  return { ...state, ...patch };
}

describe('finishing a mission', () => {
  const party = [fresh('a'), fresh('b', 'Bo')];
  const start = startMission({ party, location: 'kestrel-radio-tower', difficulty: 2, seed: '5' }, content);

  it('refuses a mission that is still active', () => {
    expect(() => finishMission(start, party, content)).toThrow(
      expect.objectContaining({ code: 'mission_active' }),
    );
  });

  it('grants all XP earned plus a bonus for holding out, and brings all supplies home', () => {
    const state = ended(start, {
      status: 'succeeded',
      tick: 32,
      supplies: 20,
      party: start.party.map((m) => ({ ...m, xp: 100 })),
    });
    const result = finishMission(state, party, content);
    const bonus = Math.round(content.rules.completionXpPerTick * 32 * content.difficulties[1]!.reward);
    expect(result.survivors[0]!.xpGained).toBe(100 + bonus);
    expect(result.supplies).toBe(20);
    expect(result.summary).toBe(
      'The party of 2 held out at Kestrel Radio Tower (Forage) after 32 of 32 ticks: 2 came back; 20 supplies brought home.',
    );
  });

  it('keeps a share of XP and supplies on a retreat, less on a failure', () => {
    const earned = { party: start.party.map((m) => ({ ...m, xp: 100 })), supplies: 10, tick: 5 };
    const retreat = finishMission(ended(start, { ...earned, status: 'retreated' }), party, content);
    const failed = finishMission(ended(start, { ...earned, status: 'failed' }), party, content);
    expect(retreat.survivors[0]!.xpGained).toBe(100 * content.rules.retreatXpShare);
    expect(failed.survivors[0]!.xpGained).toBe(100 * content.rules.failedXpShare);
    expect(retreat.supplies).toBe(Math.floor(10 * content.rules.retreatSuppliesShare));
    expect(failed.supplies).toBe(Math.floor(10 * content.rules.failedSuppliesShare));
  });

  it('levels survivors up, opens perk slots and offers perks drawn from the seed', () => {
    const state = ended(start, {
      status: 'succeeded',
      tick: 32,
      party: start.party.map((m) => ({ ...m, xp: 700 })),
    });
    const a = finishMission(state, party, content);
    const b = finishMission(structuredClone(state), party, content);
    const s = a.survivors[0]!;
    expect(s.level).toBe(levelForXp(s.xp));
    expect(s.levelsGained).toBe(s.level - 1);
    expect(s.perkSlots).toBe(3);
    expect(s.perkOffers).toHaveLength(content.rules.perkOffers);
    expect(new Set(s.perkOffers).size).toBe(s.perkOffers.length);
    for (const id of s.perkOffers) expect(content.perks[id]!.minLevel).toBeLessThanOrEqual(s.level);
    expect(b).toEqual(a);
  });

  it('sets recovery in proportion to lost health, and none for the dead or the unhurt', () => {
    const [a, b] = start.party;
    const state = ended(start, {
      status: 'failed',
      party: [
        { ...a!, health: a!.maxHealth - 5 },
        { ...b!, health: 0, dead: true },
      ],
    });
    const [hurt, dead] = finishMission(state, party, content).survivors;
    expect(hurt!.recoveryMs).toBe(5 * content.rules.recoveryMsPerHealth);
    expect(dead).toMatchObject({ dead: true, recoveryMs: 0, health: 0, perkOffers: [] });
    const unhurt = finishMission(retreatTick(start, content).state, party, content).survivors[0]!;
    expect(unhurt.recoveryMs).toBe(0);
  });

  it('accounts for every survivor of a played mission', () => {
    const { states } = runMission({ party, location: 'flooded-mall', difficulty: 3, seed: '77' });
    const result = finishMission(states.at(-1)!, party, content);
    expect(result.survivors.map((s) => s.survivorId)).toEqual(['a', 'b']);
    expect(result.ticks).toBe(states.at(-1)!.tick);
  });
});
