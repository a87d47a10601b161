import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  closingLine,
  finishMission,
  itemPhrase,
  LINE_BREAK,
  openingLine,
  RETREAT_ENCOUNTER_ID,
  retreatTick,
  sceneTags,
  simulateTick,
  startMission,
  type TickEffect,
} from '../../src/game/index.js';
import { DEFAULT_LINE_RUNS, MAX_MISSION_REPEAT_SHARE, scanLines } from '../../src/game/scan-lines.js';
import { type LineScene, lintLine, repetition } from '../../src/game/text-lint.js';
import { content, fresh, missionInputArb, runMission } from './fixtures.js';

function scene(over: Partial<LineScene> = {}): LineScene {
  return {
    tags: ['urban', 'clear', 'day'],
    partySize: 2,
    names: ['Ana', 'Bo'],
    retreat: false,
    effects: [],
    items: content.items,
    ...over,
  };
}

const hp = (d: number): TickEffect => ({ t: 'hp', m: 0, d });

describe('the text lint', () => {
  // Each defect the review found, as it was rendered, must be caught.
  it.each<[string, string, Partial<LineScene>, string]>([
    ['a wrong noun number', 'Ana finds 1 supplies.', { effects: [{ t: 'sup', d: 1 }] }, 'number-noun'],
    [
      '"everyone" in a solo line',
      'Ana has the lights back, and everyone cheers.',
      { partySize: 1, names: ['Ana'] },
      'group-word-solo',
    ],
    [
      '"retreats" in an ordinary line',
      'The nest is big; Ana retreats with bites (2 damage).',
      { effects: [hp(-2)] },
      'retreat-word',
    ],
    [
      '"do" agreeing with the party',
      'Ana and Bo breathe something in the ward that do not agree with anyone.',
      {},
      'agreement',
    ],
    ['a lone name with a plural verb', 'Ana are dragged down by the pack.', {}, 'agreement'],
    [
      'town text in the forest',
      'A walker lurches out of a doorway.',
      { tags: ['wild', 'cold', 'clear', 'day'] },
      'town-in-the-wild',
    ],
    [
      'mall mannequins in the hospital',
      'Ana keeps calm when a row of mannequins looms.',
      { tags: ['urban', 'dark', 'medical'] },
      'mall-words',
    ],
    [
      'a blizzard in a heatwave',
      'The blizzard nearly kills Ana (3 damage).',
      { tags: ['wild', 'cold', 'heat'], effects: [hp(-3)] },
      'snow-words',
    ],
    [
      'night lines at dawn',
      'Ana and Bo fight all night and survive.',
      { tags: ['urban', 'clear', 'day', 'dawn'] },
      'night-words',
    ],
    [
      'healing that did not happen',
      'A quiet hour. Ana eats something warm (+3 health).',
      {},
      'amount-not-applied',
    ],
    ['a loss that did not happen', 'Raiders take 3 supplies at knifepoint.', {}, 'amount-not-applied'],
    ['a zero amount', 'Ana rests (+0 health).', { effects: [hp(0)] }, 'zero-amount'],
    ['a placeholder left in', 'Ana finds {supplies}.', {}, 'placeholder'],
    ['a missing full stop', 'Ana finds nothing', {}, 'ending'],
    [
      'a found item without its article',
      'Ana finds bandage roll.',
      { effects: [{ t: 'item', i: 'bandage-roll' }] },
      'item-article',
    ],
    [
      'a plural item with "a"',
      'Ana finds a energy bars.',
      { effects: [{ t: 'item', i: 'energy-bar' }] },
      'item-article',
    ],
    ['"a" before a vowel', 'Ana finds a energy bar.', {}, 'article'],
    ['"an" before a consonant', 'Bo finds an crowbar.', {}, 'article'],
  ])('catches %s', (_, line, over, rule) => {
    expect(lintLine(line, scene(over))).toContain(rule);
  });

  it('passes lines that read well, with the amounts the tick applied', () => {
    expect(
      lintLine(
        'Ana and Bo are dragged down and escape bleeding, 3 health poorer.',
        scene({ effects: [hp(-3)] }),
      ),
    ).toEqual([]);
    expect(
      lintLine(
        'Ana finds 1 supply.\nAna and Bo make it out of The Flooded Mall.',
        scene({ effects: [{ t: 'sup', d: 1 }] }),
      ),
    ).toEqual([]);
    expect(lintLine('Ana and Bo fall back from The Flooded Mall.', scene({ retreat: true }))).toEqual([]);
  });

  it('passes every item as a line names it when found: a, an or some, agreeing with the name', () => {
    const scene0 = scene();
    for (const [id, item] of Object.entries(content.items)) {
      const line = `Ana finds ${itemPhrase(item)}.`;
      expect(lintLine(line, { ...scene0, effects: [{ t: 'item', i: id }] }), line).toEqual([]);
    }
    expect(itemPhrase(content.items['bandage-roll']!)).toBe('a bandage roll');
    expect(itemPhrase(content.items['energy-bar']!)).toBe('some energy bars');
    expect(itemPhrase({ name: 'Antiseptic wipe', plural: false })).toBe('an antiseptic wipe');
    expect(itemPhrase({ name: 'Hour glass', plural: false })).toBe('an hour glass');
  });

  it('counts lines repeating an earlier one and lines right after themselves', () => {
    expect(repetition(['a', 'b', 'a', 'a', 'c'])).toEqual({ repeats: 2, selfFollows: 1 });
  });
});

describe('rendered lines of the shipped content', () => {
  // The sample `holdout simulate --lines` scans by default (seed 1): every location, difficulty,
  // party size 1 to 4 and mission length (long missions tell up to 90 lines). The target holds
  // per mission, not on average: a content edit that leaves a frequent outcome with too few
  // templates for its scene (say, a rest at full health) shows up here with the mission's seed.
  it('have no defect, never follow themselves and repeat under 5 % within every mission of 3,360', () => {
    const report = scanLines(content, { runs: DEFAULT_LINE_RUNS, seed: '1', examples: 10 });
    expect(report.missions).toBe(Object.keys(content.locations).length * 5 * 4 * 3 * DEFAULT_LINE_RUNS);
    expect(report.missions).toBeGreaterThanOrEqual(3000);
    expect(report.defects, JSON.stringify(report.examples, null, 1)).toEqual({});
    expect(report.selfFollows).toBe(0);
    expect(report.overRepeat, report.overRepeatExamples.join('\n')).toBe(0);
    expect(report.worstRepeatShare, report.overRepeatExamples.join('\n')).toBeLessThan(
      MAX_MISSION_REPEAT_SHARE,
    );
  }, 120_000);

  it('hold for any party, perks, location, difficulty and seed (lint clean, no encounter twice in a row)', () => {
    fc.assert(
      fc.property(missionInputArb, (input) => {
        const start = startMission(input, content);
        const { logs } = runMission(input);
        const lint = {
          tags: sceneTags(start, content),
          partySize: input.party.length,
          names: input.party.map((s) => s.name),
          retreat: false,
          items: content.items,
        };
        for (const log of logs) {
          expect(lintLine(log.text, { ...lint, effects: log.effects }), log.text).toEqual([]);
        }
        const texts = logs.map((l) => l.text);
        expect(repetition(texts).selfFollows).toBe(0);
        for (let i = 1; i < logs.length; i++) {
          if (logs[i]!.encounterId !== RETREAT_ENCOUNTER_ID) {
            expect(logs[i]!.encounterId).not.toBe(logs[i - 1]!.encounterId);
          }
        }
      }),
      { numRuns: 60 },
    );
  }, 120_000);
});

describe('opening and closing lines', () => {
  it('open the first tick with the place, the weather and the time of day, and close the last', () => {
    const input = {
      party: [fresh('s-1', 'Ana'), fresh('s-2', 'Bo')],
      location: 'blackpine-forest',
      difficulty: 1,
      seed: '42',
    };
    const start = startMission(input, content);
    const { logs, states } = runMission(input);
    const [weather, time] = start.modifiers.map((id) => content.modifiers[id]!.phrase);
    const first = logs[0]!.text.split(LINE_BREAK);
    expect(first).toHaveLength(2);
    expect(first[0]).toBe(openingLine(start, content));
    expect(first[0]).toContain(weather);
    expect(first[0]).toContain(time);
    expect(first[0]).toMatch(/Ana and Bo/);
    const last = logs.at(-1)!.text.split(LINE_BREAK);
    expect(last.at(-1)).toBe(closingLine(states.at(-1)!, content));
    expect(logs.slice(1, -1).every((l) => !l.text.includes(LINE_BREAK))).toBe(true);
  });

  it('tell a retreat with the closing.retreated templates, fixed by the seed and lint-clean', () => {
    const lines = new Set<string>();
    for (let seed = 0; seed < 40; seed++) {
      const party = seed % 2 === 0 ? [fresh('s-1', 'Ana')] : [fresh('s-1', 'Ana'), fresh('s-2', 'Bo')];
      const input = { party, location: 'maple-row-suburbs', difficulty: 2, seed: String(seed) };
      const start = startMission(input, content);
      const retreat = retreatTick(simulateTick(start, content).state, content);
      expect(retreat.log.text).toBe(closingLine(retreat.state, content));
      expect(retreatTick(simulateTick(start, content).state, content).log.text).toBe(retreat.log.text);
      const lint = { tags: sceneTags(start, content), partySize: party.length, names: ['Ana', 'Bo'] };
      expect(lintLine(retreat.log.text, { ...lint, retreat: true, effects: retreat.log.effects })).toEqual(
        [],
      );
      lines.add(retreat.log.text.replace('Ana and Bo', 'Ana'));
    }
    // More than the two sentences the retreat once had hard-coded.
    expect(lines.size).toBeGreaterThan(3);
  });

  it('gives the same place and party different openings on different seeds', () => {
    const openings = new Set<string>();
    for (let seed = 0; seed < 40; seed++) {
      openings.add(
        openingLine(
          startMission(
            { party: [fresh('s-1')], location: 'interstate-9', difficulty: 2, seed: String(seed) },
            content,
          ),
          content,
        ),
      );
    }
    expect(openings.size).toBeGreaterThan(8);
  });
});

describe('the mission summary', () => {
  it('names the survivor of a solo mission and counts supplies with the right noun', () => {
    const party = [fresh('s-1', 'Ana')];
    const start = startMission({ party, location: 'flooded-mall', difficulty: 1, seed: '1' }, content);
    const result = finishMission({ ...start, status: 'succeeded', tick: 24, supplies: 1 }, party, content);
    expect(result.summary).toMatch(
      /^Ana held out at The Flooded Mall \(Scavenge\) after 24 of 24 ticks and came back; 1 supply brought home\.$/,
    );
  });
});
