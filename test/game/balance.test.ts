import { describe, expect, it } from 'vitest';
import { simulateBalance } from '../../src/game/index.js';
import { content } from './fixtures.js';

// A few hundred missions per difficulty: enough to separate the difficulties (their success
// rates are far apart), few enough to keep the suite fast on a shared machine.
const RUNS = 400;
const solo = simulateBalance({ runs: RUNS, seed: '1', partySize: 1 }, content);
const group = simulateBalance({ runs: RUNS / 2, seed: '2', partySize: 4 }, content);

describe('balance, from the simulator', () => {
  it('gives the same figures for the same seed', () => {
    expect(simulateBalance({ runs: 50, seed: '9', difficulties: [2] }, content)).toEqual(
      simulateBalance({ runs: 50, seed: '9', difficulties: [2] }, content),
    );
  });

  it('makes success rarer as difficulty rises, solo and in a group', () => {
    for (const report of [solo, group]) {
      const rates = report.difficulties.map((d) => d.successRate);
      for (let i = 1; i < rates.length; i++) expect(rates[i]).toBeLessThan(rates[i - 1]!);
    }
  });

  it('makes difficulties 1 to 3 neither unwinnable nor free for a fresh survivor', () => {
    for (const d of solo.difficulties.slice(0, 3)) {
      expect(d.successRate).toBeGreaterThan(0.05);
      // Scavenge (d1) is the learning difficulty: a player who rests when hurt nearly always holds out.
      expect(d.successRate).toBeLessThan(0.99);
    }
  });

  it('kills survivors only at difficulties designed to be lethal, and does kill there', () => {
    for (const report of [solo, group]) {
      for (const d of report.difficulties) {
        const lethal = (content.difficulties[d.difficulty - 1]?.deathChance ?? 0) > 0;
        if (!lethal) expect(d.deathRate).toBe(0);
      }
    }
    expect(solo.difficulties[4]!.deathRate + group.difficulties[4]!.deathRate).toBeGreaterThan(0);
  });

  it('rewards harder missions with more XP when they are won, in a group that can win them', () => {
    const xp = group.difficulties.map((d) => d.meanXp);
    expect(xp[2]).toBeGreaterThan(xp[0]!);
    expect(xp[4]).toBeGreaterThan(xp[0]!);
  });

  it('adds up: every mission ends one way, and lengths stay within the mission', () => {
    for (const d of [...solo.difficulties, ...group.difficulties]) {
      expect(d.successRate + d.retreatRate + d.failureRate).toBeCloseTo(1, 10);
      expect(d.meanLength).toBeLessThanOrEqual(content.difficulties[d.difficulty - 1]!.length);
    }
  });
});
