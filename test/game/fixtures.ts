import fc from 'fast-check';
import { loadContent } from '../../src/content/index.js';
import {
  createSurvivor,
  equipPerk,
  type MissionState,
  type Survivor,
  simulateTick,
  startMission,
  type TickLog,
} from '../../src/game/index.js';

export const content = loadContent();
export const locationIds = Object.keys(content.locations).sort();
const perkIds = Object.keys(content.perks).sort();

export const UINT64_MAX = (1n << 64n) - 1n;
export const seedArb = fc.bigInt({ min: 0n, max: UINT64_MAX }).map((n) => n.toString());

/** A survivor of any level with up to its slots' worth of perks, any of its starting seeds. */
export const survivorArb = (index: number): fc.Arbitrary<Survivor> =>
  fc
    .record({
      seed: fc.string({ maxLength: 12 }),
      name: fc.constantFrom('Ana', 'Bo', 'Cyrus Vale', "D'Arcy", 'Élodie', 'Mo-7', 'Lt. Reyes'),
      level: fc.integer({ min: 1, max: 12 }),
      perks: fc.shuffledSubarray(perkIds, { maxLength: 5 }),
    })
    .map(({ seed, name, level, perks }) => {
      let s: Survivor = { ...createSurvivor({ id: `s-${index}`, name, seed }), level, perkSlots: 5 };
      for (const p of perks) if ((content.perks[p]?.minLevel ?? 1) <= level) s = equipPerk(s, p, content);
      return s;
    });

export const partyArb = fc
  .integer({ min: 1, max: 4 })
  .chain((size) => fc.tuple(...Array.from({ length: size }, (_, i) => survivorArb(i))));

export const missionInputArb = fc.record({
  party: partyArb,
  location: fc.constantFrom(...locationIds),
  difficulty: fc.integer({ min: 1, max: 5 }),
  seed: seedArb,
});

export type MissionInput = { party: Survivor[]; location: string; difficulty: number; seed: string };

/** Runs a mission to its end without retreating; returns every state and log line. */
export function runMission(input: MissionInput): { states: MissionState[]; logs: TickLog[] } {
  let state = startMission(input, content);
  const states = [state];
  const logs: TickLog[] = [];
  while (state.status === 'active') {
    const { state: next, log } = simulateTick(state, content);
    states.push(next);
    logs.push(log);
    state = next;
  }
  return { states, logs };
}

export function fresh(id: string, name = 'Ana'): Survivor {
  return createSurvivor({ id, name, seed: id });
}
