import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createSurvivor,
  equipPerk,
  firstPerkOffers,
  GameRuleError,
  type LifecycleState,
  levelForXp,
  perkSlotsForLevel,
  returnPerkToOffers,
  takeOfferedPerk,
  transition,
  unequipPerk,
  validateSurvivorName,
  xpForLevel,
} from '../../src/game/index.js';
import { content, fresh } from './fixtures.js';

const code = (c: string) => expect.objectContaining({ code: c });

describe('survivor names', () => {
  it.each([
    ['  Ana  ', 'Ana'],
    ['Lt.  Reyes', 'Lt. Reyes'],
    ["D'Arcy-Smith", "D'Arcy-Smith"],
    ['Élodie', 'Élodie'],
    ['Mo 7', 'Mo 7'],
  ])('accepts %j as %j', (input, expected) => {
    expect(validateSurvivorName(input)).toBe(expected);
  });

  it.each([
    ['A', 'too short'],
    ['x'.repeat(25), 'too long'],
    ['{name}', 'braces'],
    ['Ana\u0000', 'a control character'],
    ['Ana\nBo', 'a newline'],
    ['<b>Ana</b>', 'markup'],
    ['12', 'no letter'],
    [42, 'not text'],
  ] as [unknown, string][])('refuses %j (%s) with invalid_name', (input, _reason) => {
    expect(() => validateSurvivorName(input)).toThrow(code('invalid_name'));
  });
});

describe('survivor creation', () => {
  it('rolls the same starting attributes from the same seed, and keeps them small', () => {
    fc.assert(
      fc.property(fc.string(), (seed) => {
        const a = createSurvivor({ id: 'x', name: 'Ana', seed });
        expect(createSurvivor({ id: 'x', name: 'Ana', seed })).toEqual(a);
        const { grit, wits, agility } = a.attributes;
        expect(grit + wits + agility).toBe(9);
        for (const v of [grit, wits, agility]) expect(v >= 2 && v <= 5).toBe(true);
        expect(a).toMatchObject({
          level: 1,
          xp: 0,
          perkSlots: 2,
          perks: [],
          state: 'idle',
          stateUntil: null,
        });
        expect(a.health).toBe(a.maxHealth);
      }),
      { numRuns: 200 },
    );
  });
});

describe('lifecycle transitions', () => {
  const allowed: [LifecycleState, LifecycleState][] = [
    ['idle', 'in_lobby'],
    ['idle', 'on_mission'],
    ['idle', 'dead'],
    ['in_lobby', 'idle'],
    ['in_lobby', 'on_mission'],
    ['on_mission', 'idle'],
    ['on_mission', 'dead'],
  ];
  const states: LifecycleState[] = ['idle', 'in_lobby', 'on_mission', 'recovering', 'dead'];

  it.each(allowed)('allows %s → %s', (from, to) => {
    expect(transition({ ...fresh('a'), state: from }, to).state).toBe(to);
  });

  it('refuses every other move with illegal_transition', () => {
    for (const from of states) {
      for (const to of states) {
        if (allowed.some(([f, t]) => f === from && t === to)) continue;
        if (from === 'on_mission' && to === 'recovering') continue;
        if (from === 'recovering' && to === 'idle') continue;
        expect(() =>
          transition({ ...fresh('a'), state: from, stateUntil: 0 }, to, { now: 1, until: 1 }),
        ).toThrow(code('illegal_transition'));
      }
    }
  });

  it('sends a survivor to recover until a time, and back to idle only once that time has come', () => {
    const s = transition({ ...fresh('a'), state: 'on_mission', health: 3 }, 'recovering', { until: 1000 });
    expect(s).toMatchObject({ state: 'recovering', stateUntil: 1000 });
    expect(() => transition(s, 'idle', { now: 999 })).toThrow(code('illegal_transition'));
    expect(() => transition(s, 'idle')).toThrow(code('illegal_transition'));
    const rested = transition(s, 'idle', { now: 1000 });
    expect(rested).toMatchObject({
      state: 'idle',
      stateUntil: null,
      health: s.maxHealth,
      stamina: s.maxStamina,
    });
  });

  it('needs an end time to start recovering', () => {
    expect(() => transition({ ...fresh('a'), state: 'on_mission' }, 'recovering')).toThrow(
      code('illegal_transition'),
    );
  });

  it('does not change the survivor it is given', () => {
    const s = fresh('a');
    transition(s, 'in_lobby');
    expect(s.state).toBe('idle');
  });
});

describe('perks', () => {
  it('equips a perk into a free slot and unequips it', () => {
    const s = equipPerk(fresh('a'), 'scavenger', content);
    expect(s.perks).toEqual(['scavenger']);
    expect(unequipPerk(s, 'scavenger').perks).toEqual([]);
  });

  it('binds offers: only an offered perk is taken, the offer is used up, and unequipping offers it again', () => {
    const offered = { ...fresh('a'), perkOffers: ['hunter', 'brawler'] };
    const taken = takeOfferedPerk(offered, 'hunter', content);
    expect(taken).toMatchObject({ perks: ['hunter'], perkOffers: ['brawler'] });
    expect(() => takeOfferedPerk(taken, 'scavenger', content)).toThrow(code('perk_not_offered'));
    expect(returnPerkToOffers(taken, 'hunter')).toMatchObject({
      perks: [],
      perkOffers: ['brawler', 'hunter'],
    });
  });

  it('offers a new survivor perks of its level, the same for the same creation seed', () => {
    const offers = firstPerkOffers('seed-1', content);
    expect(offers).toHaveLength(content.rules.perkOffers);
    expect(new Set(offers).size).toBe(offers.length);
    for (const p of offers) expect(content.perks[p]!.minLevel).toBe(1);
    expect(firstPerkOffers('seed-1', content)).toEqual(offers);
  });

  it.each([
    ['unknown_perk', () => equipPerk(fresh('a'), 'no-such-perk', content)],
    ['perk_already_equipped', () => equipPerk(equipPerk(fresh('a'), 'hunter', content), 'hunter', content)],
    ['perk_locked', () => equipPerk(fresh('a'), 'veteran', content)],
    [
      'perk_slots_full',
      () =>
        equipPerk(
          equipPerk(equipPerk(fresh('a'), 'hunter', content), 'brawler', content),
          'scavenger',
          content,
        ),
    ],
    ['survivor_busy', () => equipPerk({ ...fresh('a'), state: 'on_mission' }, 'hunter', content)],
    ['survivor_busy', () => unequipPerk({ ...fresh('a'), perks: ['hunter'], state: 'in_lobby' }, 'hunter')],
    ['survivor_dead', () => equipPerk({ ...fresh('a'), state: 'dead' }, 'hunter', content)],
    ['perk_not_equipped', () => unequipPerk(fresh('a'), 'hunter')],
  ])('refuses with %s', (expected, act) => {
    expect(act).toThrow(GameRuleError);
    expect(act).toThrow(code(expected));
  });
});

describe('progression', () => {
  it('opens perk slots: 2 at start, one more at levels 3, 6, 10 and 15', () => {
    expect([1, 2, 3, 5, 6, 9, 10, 14, 15, 20].map(perkSlotsForLevel)).toEqual([2, 2, 3, 3, 4, 4, 5, 5, 6, 6]);
  });

  it('maps XP to levels monotonically, each level starting at its threshold', () => {
    expect(levelForXp(0)).toBe(1);
    for (let level = 2; level <= 20; level++) {
      expect(levelForXp(xpForLevel(level))).toBe(level);
      expect(levelForXp(xpForLevel(level) - 1)).toBe(level - 1);
    }
    expect(levelForXp(Number.MAX_SAFE_INTEGER)).toBe(20);
  });
});
