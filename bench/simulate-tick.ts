/**
 * Solo ticks per second of simulateTick on one core: the hot loop of the tick engine.
 * Run: npx tsx bench/simulate-tick.ts [--seconds 5] [--party 1]
 * Missions of every difficulty and location are started from a pool of seeds, and each tick is
 * taken from a live, mid-mission state, as the worker would see it.
 */
import { parseArgs } from 'node:util';
import { loadContent } from '../src/content/index.js';
import { createSurvivor, type MissionState, simulateTick, startMission } from '../src/game/index.js';

const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '5' }, party: { type: 'string', default: '1' } },
});
const seconds = Number(values.seconds);
const partySize = Number(values.party);
const content = loadContent();
const locations = Object.keys(content.locations);
const POOL = 256;

function freshMission(i: number): MissionState {
  const party = Array.from({ length: partySize }, (_, m) =>
    createSurvivor({
      id: `00000000-0000-4000-8000-00000000000${m}`,
      name: `Survivor ${m}`,
      seed: `${i}:${m}`,
    }),
  );
  const location = locations[i % locations.length]!;
  return startMission({ party, location, difficulty: (i % 5) + 1, seed: String(i * 7919 + 1) }, content);
}

const pool = Array.from({ length: POOL }, (_, i) => freshMission(i));
let next = POOL;

function run(budgetMs: number): { ticks: number; ms: number } {
  let ticks = 0;
  const start = performance.now();
  let now = start;
  while (now - start < budgetMs) {
    for (let k = 0; k < 1000; k++) {
      const slot = ticks % POOL;
      const state = pool[slot]!;
      const after = simulateTick(state, content).state;
      pool[slot] = after.status === 'active' ? after : freshMission(next++);
      ticks++;
    }
    now = performance.now();
  }
  return { ticks, ms: now - start };
}

run(1000); // warm-up: let the JIT settle before measuring
const { ticks, ms } = run(seconds * 1000);
const perSecond = Math.round((ticks / ms) * 1000);
console.log(
  JSON.stringify({
    bench: 'simulate-tick',
    partySize,
    ticks,
    seconds: +(ms / 1000).toFixed(2),
    ticksPerSecond: perSecond,
  }),
);
