import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AUTO_RETREAT_ENCOUNTER_ID,
  finishMission,
  isDecisionTick,
  type MissionState,
  openChoice,
  simulateTick,
  stanceOptions,
  startMission,
  type TickLog,
  tickInputOf,
} from '../../src/game/index.js';
import { content, fresh, type MissionInput, missionInputArb } from './fixtures.js';

const stances = stanceOptions(content);

/** Plays a mission choosing `pick(tick)` at every decision tick; returns the logs and final state. */
function play(input: MissionInput, pick: (tick: number) => string | undefined) {
  let state = startMission(input, content);
  const logs: TickLog[] = [];
  while (state.status === 'active') {
    const stance = pick(state.tick + 1);
    const step = simulateTick(state, content, stance === undefined ? {} : { stance });
    logs.push(step.log);
    state = step.state;
  }
  return { logs, state };
}

function ambushShare(stance: string): number {
  let ambush = 0;
  let total = 0;
  for (let seed = 1; seed <= 60; seed++) {
    const { logs } = play(
      { party: [fresh('a'), fresh('b', 'Bo')], location: 'interstate-9', difficulty: 3, seed: String(seed) },
      () => stance,
    );
    for (const log of logs.filter((l) => l.tick > content.rules.choiceEvery + content.rules.choiceWindow)) {
      total++;
      if (content.encounters[log.encounterId]?.tags.includes('ambush')) ambush++;
    }
  }
  return ambush / total;
}

describe('choice points', () => {
  it('opens a choice after every few ticks and applies it when the window closes', () => {
    const { choiceEvery: every, choiceWindow: window } = content.rules;
    const state = startMission(
      { party: [fresh('a')], location: 'flooded-mall', difficulty: 3, seed: '3' },
      content,
    );
    expect(openChoice({ ...state, tick: every - 1 }, content.rules)).toBeNull();
    expect(openChoice({ ...state, tick: every }, content.rules)).toEqual({ decidesAt: every + window });
    expect(openChoice({ ...state, tick: every + window }, content.rules)).toBeNull();
    expect(isDecisionTick(every + window, content.rules)).toBe(true);
    expect(isDecisionTick(window, content.rules)).toBe(false);
  });

  it('logs the chosen stance as an input of the decision tick only, and ignores it elsewhere', () => {
    const input = { party: [fresh('a')], location: 'maple-row-suburbs', difficulty: 1, seed: '11' };
    const { logs } = play(input, () => 'sneak');
    for (const log of logs) {
      const logged = tickInputOf(log.effects).stance;
      if (isDecisionTick(log.tick, content.rules)) expect(logged).toBe('sneak');
      else expect(logged).toBeUndefined();
    }
  });

  it('reproduces any mission byte for byte from its seed, snapshot and the inputs read back from its log', () => {
    fc.assert(
      fc.property(
        missionInputArb,
        fc.array(fc.constantFrom(...stances, undefined), { minLength: 8 }),
        (input, picks) => {
          const original = play(input, (tick) => picks[tick % picks.length]);
          const byTick = new Map(original.logs.map((l) => [l.tick, tickInputOf(l.effects).stance]));
          const again = play(structuredClone(input), (tick) => byTick.get(tick));
          expect(JSON.stringify(again.logs)).toBe(JSON.stringify(original.logs));
          expect(JSON.stringify(again.state)).toBe(JSON.stringify(original.state));
        },
      ),
      { numRuns: 120 },
    );
  });

  it('refuses a stance that does not exist', () => {
    const state: MissionState = {
      ...startMission({ party: [fresh('a')], location: 'flooded-mall', difficulty: 1, seed: '1' }, content),
      tick: content.rules.choiceEvery + content.rules.choiceWindow - 1,
    };
    expect(() => simulateTick(state, content, { stance: 'dance' })).toThrow(
      expect.objectContaining({ code: 'unknown_stance' }),
    );
  });

  it('shifts the encounters that follow: sneaking meets fewer ambushes than searching', () => {
    expect(ambushShare('sneak')).toBeLessThan(ambushShare('search') * 0.75);
  });

  it('heals a hurt party a little every tick while it rests', () => {
    const start = startMission(
      { party: [fresh('a')], location: 'flooded-mall', difficulty: 1, seed: '8' },
      content,
    );
    const hurt: MissionState = { ...start, stance: 'rest', party: [{ ...start.party[0]!, health: 5 }] };
    const { log } = simulateTick(hurt, content);
    expect(log.effects).toContainEqual({ t: 'hp', m: 0, d: 1 });
    expect(log.modifiers).toContain('stance:rest');
  });
});

describe('auto-retreat', () => {
  it("calls the party home by itself once a survivor's health reaches its threshold", () => {
    const party = [{ ...fresh('a'), retreatAt: 10 }, fresh('b', 'Bo')];
    const start = startMission({ party, location: 'flooded-mall', difficulty: 2, seed: '4' }, content);
    expect(start.party[0]!.retreatAt).toBe(10);
    const low: MissionState = { ...start, party: [{ ...start.party[0]!, health: 10 }, start.party[1]!] };
    const { state, log } = simulateTick(low, content);
    expect(log.encounterId).toBe(AUTO_RETREAT_ENCOUNTER_ID);
    expect(log.text).toMatch(/^Ana has had enough\./);
    expect(state.status).toBe('retreated');
    expect(
      simulateTick({ ...low, party: [{ ...low.party[0]!, health: 11 }, low.party[1]!] }, content).log
        .encounterId,
    ).not.toBe(AUTO_RETREAT_ENCOUNTER_ID);
  });
});

describe('death and loot', () => {
  it('never kills a survivor while someone in the party still stands', () => {
    fc.assert(
      fc.property(missionInputArb, (input) => {
        const { logs } = play({ ...input, difficulty: 5 }, () => undefined);
        let state = startMission({ ...input, difficulty: 5 }, content);
        for (const log of logs) {
          const next = simulateTick(state, content).state;
          if (log.effects.some((e) => e.t === 'dead'))
            expect(next.party.some((m) => !m.downed && !m.dead)).toBe(false);
          state = next;
        }
      }),
      { numRuns: 150 },
    );
  });

  it('finds items from the location table and brings them home unless the party is lost', () => {
    let found = 0;
    for (let seed = 1; seed <= 40 && found === 0; seed++) {
      const input = {
        party: [fresh('a'), fresh('b', 'Bo')],
        location: 'saint-agnes-hospital',
        difficulty: 2,
        seed: String(seed),
      };
      const { state } = play(input, () => 'search');
      found = state.found.length;
      for (const id of state.found) expect(Object.keys(content.loot['saint-agnes-hospital']!)).toContain(id);
      const result = finishMission(state, input.party, content);
      expect(result.items).toEqual(state.status === 'failed' ? [] : state.found);
      const values = result.items.reduce((sum, id) => sum + content.items[id]!.value, 0);
      expect(result.lootValue).toBe(result.supplies + values);
    }
    expect(found).toBeGreaterThan(0);
  });
});
