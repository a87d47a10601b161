import { describe, expect, it } from 'vitest';
import { startMission } from '../../src/game/index.js';
import { content, fresh } from './fixtures.js';

const code = (c: string) => expect.objectContaining({ code: c });
const base = { party: [fresh('a')], location: 'flooded-mall', difficulty: 1, seed: '1' };

describe('starting a mission', () => {
  it('starts active at tick 0 with the difficulty length, content version and drawn weather and time', () => {
    const state = startMission(base, content);
    expect(state).toMatchObject({ tick: 0, status: 'active', length: 24, contentVersion: content.version });
    expect(state.modifiers.map((id) => content.modifiers[id]?.kind)).toEqual(['weather', 'time']);
    expect(state.party[0]).toMatchObject({
      id: 'a',
      name: 'Ana',
      xp: 0,
      downed: false,
      dead: false,
      status: {},
    });
  });

  it.each([
    ['party_size', { party: [] }],
    ['party_size', { party: ['a', 'b', 'c', 'd', 'e'].map((id) => fresh(id)) }],
    ['duplicate_survivor', { party: [fresh('a'), fresh('a')] }],
    ['unknown_location', { location: 'atlantis' }],
    ['unknown_location', { location: 'constructor' }],
    ['invalid_difficulty', { difficulty: 0 }],
    ['invalid_difficulty', { difficulty: 6 }],
    ['invalid_difficulty', { difficulty: 2.5 }],
    ['survivor_dead', { party: [{ ...fresh('a'), state: 'dead' as const }] }],
    ['survivor_busy', { party: [{ ...fresh('a'), state: 'recovering' as const, stateUntil: 5 }] }],
    ['invalid_seed', { seed: '-1' }],
    ['invalid_seed', { seed: '18446744073709551616' }],
    ['invalid_seed', { seed: '0x10' }],
  ])('refuses with %s', (expected, change) => {
    expect(() => startMission({ ...base, ...change }, content)).toThrow(code(expected));
  });
});
