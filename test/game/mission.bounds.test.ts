import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { simulateTick } from '../../src/game/index.js';
import { content, missionInputArb, runMission } from './fixtures.js';

describe('mission bounds', () => {
  it('keeps every stat within its bounds, every tick', () => {
    fc.assert(
      fc.property(missionInputArb, (input) => {
        for (const state of runMission(input).states) {
          expect(state.supplies).toBeGreaterThanOrEqual(0);
          expect(Number.isInteger(state.supplies)).toBe(true);
          for (const m of state.party) {
            expect(Number.isInteger(m.health) && Number.isInteger(m.stamina) && Number.isInteger(m.xp)).toBe(
              true,
            );
            expect(m.health).toBeGreaterThanOrEqual(0);
            expect(m.health).toBeLessThanOrEqual(m.maxHealth);
            expect(m.stamina).toBeGreaterThanOrEqual(0);
            expect(m.stamina).toBeLessThanOrEqual(m.maxStamina);
            expect(m.xp).toBeGreaterThanOrEqual(0);
            // Standing survivors have health; the fallen have none.
            expect(m.health === 0).toBe(m.downed || m.dead);
            for (const left of Object.values(m.status)) expect(left).toBeGreaterThan(0);
          }
        }
      }),
      { numRuns: 300 },
    );
    // 300 whole missions checked state by state: about 20 s on a loaded machine.
  }, 120_000);

  it('never leaves undefined, NaN or a placeholder in a story line', () => {
    let checkedLines = 0;
    fc.assert(
      fc.property(missionInputArb, (input) => {
        for (const log of runMission(input).logs) {
          expect(log.text).not.toMatch(/undefined|NaN|null|\{|\}|\|/);
          expect(log.text.trim()).toBe(log.text);
          expect(log.text.length).toBeGreaterThan(10);
          // Every line, not only the first: each must name one of the party.
          if (!input.party.some((m) => log.text.includes(m.name)))
            throw new Error(`No survivor is named in "${log.text}"`);
          checkedLines++;
        }
      }),
      { numRuns: 300 },
    );
    // 300 missions of 12 to 90 ticks: thousands of lines, not one per mission.
    expect(checkedLines).toBeGreaterThan(300 * 10);
  });

  it('always ends within its length, with a final status, and refuses to tick further', () => {
    fc.assert(
      fc.property(missionInputArb, (input) => {
        const { states, logs } = runMission(input);
        const end = states.at(-1)!;
        expect(end.tick).toBeLessThanOrEqual(end.length);
        expect(logs.map((l) => l.tick)).toEqual(logs.map((_, i) => i + 1));
        expect(['succeeded', 'failed']).toContain(end.status);
        if (end.status === 'succeeded') expect(end.tick).toBe(end.length);
        if (end.status === 'failed') expect(end.party.every((m) => m.downed || m.dead)).toBe(true);
        expect(() => simulateTick(end, content)).toThrow(
          expect.objectContaining({ code: 'mission_not_active' }),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('kills survivors only at difficulties whose content allows death', () => {
    fc.assert(
      fc.property(missionInputArb, (input) => {
        const end = runMission(input).states.at(-1)!;
        if ((content.difficulties[input.difficulty - 1]?.deathChance ?? 0) === 0) {
          expect(end.party.some((m) => m.dead)).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('lists each modifier it applied once, by kind and id', () => {
    fc.assert(
      fc.property(missionInputArb, (input) => {
        for (const log of runMission(input).logs) {
          expect(new Set(log.modifiers).size).toBe(log.modifiers.length);
          for (const m of log.modifiers)
            expect(m).toMatch(/^(perk|weather|time|status|stance|item):[a-z0-9-]+$|^help$|^fatigue$/);
        }
      }),
      { numRuns: 100 },
    );
  });
});
