import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyEffects, closingLine, retreatTick, simulateTick, startMission } from '../../src/game/index.js';
import { content, fresh, missionInputArb, runMission } from './fixtures.js';

describe('folding logged effects', () => {
  it('rebuilds the exact final state from the initial state and the logged effects', () => {
    fc.assert(
      fc.property(missionInputArb, (input) => {
        const { states, logs } = runMission(input);
        const rebuilt = logs.reduce((s, log) => applyEffects(s, log.effects), states[0]!);
        expect(rebuilt).toEqual(states.at(-1));
        expect(JSON.stringify(rebuilt)).toBe(JSON.stringify(states.at(-1)));
      }),
      { numRuns: 1000 },
    );
  });

  it('rebuilds every intermediate state tick by tick', () => {
    fc.assert(
      fc.property(missionInputArb, (input) => {
        const { states, logs } = runMission(input);
        logs.forEach((log, i) => {
          expect(applyEffects(states[i]!, log.effects)).toEqual(states[i + 1]);
        });
      }),
      { numRuns: 200 },
    );
  });

  it('never mutates the state it is given', () => {
    fc.assert(
      fc.property(missionInputArb, (input) => {
        let state = startMission(input, content);
        while (state.status === 'active') {
          const before = JSON.stringify(state);
          const { state: next, log } = simulateTick(state, content);
          applyEffects(state, log.effects);
          expect(JSON.stringify(state)).toBe(before);
          state = next;
        }
      }),
      { numRuns: 200 },
    );
  });

  it('folds a retreat, logged as a tick of its own, to a retreated state', () => {
    const party = [fresh('a'), fresh('b', 'Bo')];
    const start = startMission({ party, location: 'blackpine-forest', difficulty: 1, seed: '7' }, content);
    const first = simulateTick(start, content);
    const second = simulateTick(first.state, content);
    const retreat = retreatTick(second.state, content);
    expect(retreat.log.encounterId).toBe('retreat');
    expect(retreat.log.tick).toBe(3);
    expect(retreat.state.status).toBe('retreated');
    expect(retreat.log.text).toBe(closingLine(retreat.state, content));
    const rebuilt = [first.log, second.log, retreat.log].reduce(
      (s, log) => applyEffects(s, log.effects),
      start,
    );
    expect(rebuilt).toEqual(retreat.state);
    expect(() => retreatTick(retreat.state, content)).toThrow(
      expect.objectContaining({ code: 'mission_not_active' }),
    );
  });

  it('keeps states JSON-safe and compact', () => {
    fc.assert(
      fc.property(missionInputArb, (input) => {
        for (const state of runMission(input).states) {
          const json = JSON.stringify(state);
          expect(JSON.parse(json)).toEqual(state);
          // Items found are the one part that grows with the mission's length.
          expect(json.length).toBeLessThan(
            460 + 360 * state.party.length + JSON.stringify(state.found).length,
          );
        }
      }),
      { numRuns: 100 },
    );
  });
});
