import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ContentError, DEFAULT_CONTENT_DIR, loadContent } from '../../src/content/index.js';

const root = mkdtempSync(join(tmpdir(), 'holdout-content-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

// biome-ignore lint/suspicious/noExplicitAny: edits reach anywhere into parsed JSON
type Json = Record<string, any>;
/** What an edit returns: new JSON, raw file text, REMOVE, or nothing when it changed the JSON in place. */
type Edit = (json: Json) => Json | string | typeof REMOVE | undefined;
const REMOVE = Symbol('remove the file');

/** A copy of the shipped content with one file edited. */
function contentWith(file: string, edit: Edit): string {
  const dir = join(root, String(n++));
  cpSync(DEFAULT_CONTENT_DIR, dir, { recursive: true });
  const path = join(dir, file);
  const json = JSON.parse(readFileSync(path, 'utf8'));
  const result = edit(json) ?? json;
  if (result === REMOVE) rmSync(path);
  else writeFileSync(path, typeof result === 'string' ? result : JSON.stringify(result));
  return dir;
}

describe('shipped content', () => {
  const content = loadContent();

  it('has what the design asks for', () => {
    const encounters = Object.values(content.encounters).filter((e) => e.kind !== 'revive');
    expect(Object.keys(content.locations).length).toBeGreaterThanOrEqual(6);
    expect(encounters.length).toBeGreaterThanOrEqual(40);
    expect(Object.keys(content.perks).length).toBeGreaterThanOrEqual(12);
    expect(content.difficulties.map((d) => d.level)).toEqual([1, 2, 3, 4, 5]);
    expect(new Set(Object.values(content.modifiers).map((m) => m.kind))).toEqual(
      new Set(['weather', 'time']),
    );
    expect(encounters.some((e) => e.kind === 'party') && encounters.some((e) => e.kind === 'spotlight')).toBe(
      true,
    );
  });

  it('is versioned by a hash of its content, not of its formatting', () => {
    expect(content.version).toMatch(/^[0-9a-f]{16}$/);
    const reformatted = contentWith('perks.json', (json) => JSON.stringify(json, null, 8));
    expect(loadContent(reformatted).version).toBe(content.version);
    const changed = contentWith('rules.json', (json) => ({ ...json, die: 12 }));
    expect(loadContent(changed).version).not.toBe(content.version);
  });

  it('is loaded once per folder and cannot be changed by a caller', () => {
    expect(loadContent()).toBe(content);
    expect(() => {
      (content.rules as { die: number }).die = 6;
    }).toThrow(TypeError);
  });
});

const firstEncounter = (json: Json) => Object.values(json)[0] as Json;

describe('broken content files are rejected with the file, the path and the problem', () => {
  const cases: [string, string, Edit, RegExp][] = [
    ['invalid JSON', 'perks.json', () => '{ "scavenger": ', /^perks\.json: \(root\): is not valid JSON/],
    ['a missing file', 'statuses.json', () => REMOVE, /^statuses\.json: \(root\): cannot be read \(ENOENT\)/],
    ['a missing rule', 'rules.json', ({ die, ...rest }) => rest, /^rules\.json: die: /],
    [
      'a retreat vote window shorter than two ticks',
      'rules.json',
      (j) => ({ ...j, retreatVoteWindowMs: 500 }),
      /^rules\.json: retreatVoteWindowMs: /,
    ],
    [
      'an item that does not say whether its name is plural',
      'items.json',
      (j) => ({ ...j, crowbar: { ...(j.crowbar as Json), plural: undefined } }),
      /^items\.json: crowbar\.plural: /,
    ],
    [
      'a misspelt key',
      'rules.json',
      (j) => ({ ...j, partialMargn: 5 }),
      /^rules\.json: \(root\): .*partialMargn/,
    ],
    [
      'four difficulties',
      'difficulties.json',
      (j) => j.slice(0, 4),
      /^difficulties\.json: \(root\): there must be exactly 5/,
    ],
    [
      'difficulties out of order',
      'difficulties.json',
      (j) => [j[1], j[0], ...j.slice(2)],
      /^difficulties\.json: \[0\]\.level: expected level 1 here/,
    ],
    [
      'a negative danger',
      'difficulties.json',
      (j) => j.map((d: Json, i: number) => (i === 2 ? { ...d, danger: -1 } : d)),
      /^difficulties\.json: \[2\]\.danger: /,
    ],
    [
      'an unknown attribute',
      'encounters/common.json',
      (j) => {
        firstEncounter(j).check.attribute = 'charm';
      },
      /^encounters\/common\.json: abandoned-car\.check\.attribute: /,
    ],
    [
      'an unknown placeholder',
      'encounters/common.json',
      (j) => {
        firstEncounter(j).outcomes.success.text[0] = '{nmae} finds a car.';
      },
      /^encounters\/common\.json: abandoned-car\.outcomes\.success\.text\[0\]: unknown placeholder \{nmae\}/,
    ],
    [
      'an amount without its effect',
      'encounters/common.json',
      (j) => {
        firstEncounter(j).outcomes.failure.text[1] = '{name} finds {supplies}.';
      },
      /abandoned-car\.outcomes\.failure\.text\[1\]: \{supplies\} needs a supplies effect/,
    ],
    [
      'an unbalanced brace',
      'encounters/urban.json',
      (j) => {
        firstEncounter(j).outcomes.partial.text[0] = '{name gets stuck.';
      },
      /^encounters\/urban\.json: jammed-shutter\.outcomes\.partial\.text\[0\]: unbalanced brace/,
    ],
    [
      'a bad agreement pair',
      'encounters/common.json',
      (j) => {
        firstEncounter(j).outcomes.success.text[0] = '{name} {is|are|be} here.';
      },
      /must be \{singular\|plural\}/,
    ],
    [
      'a single template',
      'encounters/wild.json',
      (j) => {
        firstEncounter(j).outcomes.success.text = ['{name} wins.'];
      },
      /^encounters\/wild\.json: overturned-truck\.outcomes\.success\.text: each outcome needs at least 4/,
    ],
    [
      'an outcome whose every template is gated',
      'encounters/wild.json',
      (j) => {
        const o = firstEncounter(j).outcomes.success;
        o.text = o.text.map((t: string | Json) => ({
          text: typeof t === 'string' ? t : t.text,
          requires: ['wild'],
        }));
      },
      /^encounters\/wild\.json: overturned-truck\.outcomes\.success\.text: needs one template with no requires\/excludes/,
    ],
    [
      'an outcome whose only plain templates show a heal that can be 0',
      'encounters/common.json',
      (j) => {
        j['quiet-hour'].outcomes.partial.text = [
          '{party} {rests|rest} (+{hp} health).',
          '{party} {sits|sit} down (+{hp} health).',
          '{party} {waits|wait} (+{hp} health).',
          '{party} {breathes|breathe} (+{hp} health).',
        ];
      },
      /^encounters\/common\.json: quiet-hour\.outcomes\.partial\.text: .*no amount which can be 0/,
    ],
    [
      'a gate tag that is not a tag',
      'encounters/wild.json',
      (j) => {
        firstEncounter(j).requires = ['Not A Tag'];
      },
      /^encounters\/wild\.json: overturned-truck\.requires\[0\]: must be a lowercase tag/,
    ],
    [
      'an opening line with an amount in it',
      'narration.json',
      (j) => {
        j.opening[0] = '{party} {sets|set} out with {supplies}.';
      },
      /^narration\.json: opening\[0\]: unknown placeholder \{supplies\}/,
    ],
    [
      'a closing line missing',
      'narration.json',
      (j) => {
        delete j.closing.retreated;
      },
      /^narration\.json: closing\.retreated/,
    ],
    [
      'a weather without its phrase',
      'modifiers.json',
      (j) => {
        delete j.fog.phrase;
      },
      /^modifiers\.json: fog\.phrase/,
    ],
    [
      'a range upside down',
      'encounters/common.json',
      (j) => {
        firstEncounter(j).outcomes.failure.effects[0] = { type: 'health', min: -1, max: -3 };
      },
      /abandoned-car\.outcomes\.failure\.effects\[0\]\.max: must not be below min/,
    ],
    [
      'an unknown status',
      'encounters/common.json',
      (j) => {
        j['stray-dogs'].outcomes.failure.effects[1].status = 'on-fire';
      },
      /stray-dogs\.outcomes\.failure\.effects\[1\]\.status: unknown status "on-fire"/,
    ],
    [
      'an unknown effect type',
      'encounters/common.json',
      (j) => {
        firstEncounter(j).outcomes.success.effects[0] = { type: 'morale', min: 1, max: 2 };
      },
      /abandoned-car\.outcomes\.success\.effects\[0\]\.type: /,
    ],
    [
      'an encounter defined twice',
      'encounters/urban.json',
      (j) => ({ ...j, 'stray-dogs': j['food-court-nest'] }),
      /^encounters\/urban\.json: stray-dogs: encounter id already defined in encounters\/common\.json/,
    ],
    [
      'a table naming a missing encounter',
      'locations.json',
      (j) => {
        j['flooded-mall'].encounters['sea-monster'] = 2;
      },
      /^locations\.json: flooded-mall\.encounters\.sea-monster: unknown encounter "sea-monster"/,
    ],
    [
      'a zero weight',
      'locations.json',
      (j) => {
        j['flooded-mall'].encounters['jammed-shutter'] = 0;
      },
      /^locations\.json: flooded-mall\.encounters\.jammed-shutter: weights must be positive/,
    ],
    [
      'a revive encounter in a table',
      'locations.json',
      (j) => {
        j['flooded-mall'].encounters['field-dressing'] = 1;
      },
      /flooded-mall\.encounters\.field-dressing: revive encounters are drawn by the rules/,
    ],
    [
      'a location with nothing at some difficulty',
      'locations.json',
      (j) => {
        j['flooded-mall'].encounters = { 'horde-passes': 1 };
      },
      /^locations\.json: flooded-mall\.encounters: no encounter is available at difficulty 1/,
    ],
    [
      'no revive encounters',
      'encounters/revive.json',
      () => ({}),
      /^encounters: \(all files\): no revive encounter is available at difficulty 1/,
    ],
    [
      'a perk rule of an unknown kind',
      'perks.json',
      (j) => {
        j.hunter.rules[0].kind = 'luck';
      },
      /^perks\.json: hunter\.rules\[0\]\.kind: /,
    ],
    [
      'a perk without rules',
      'perks.json',
      (j) => {
        j.hunter.rules = [];
      },
      /^perks\.json: hunter\.rules: a perk needs at least one rule/,
    ],
    [
      'a zero weight rule',
      'modifiers.json',
      (j) => {
        j.fog.rules[1].value = 0;
      },
      /^modifiers\.json: fog\.rules\[1\]\.value: a weight rule multiplies weights and must be positive/,
    ],
    [
      'an id that is not kebab-case',
      'statuses.json',
      (j) => ({ ...j, 'On Fire': j.bleeding }),
      /^statuses\.json: On Fire: must be a kebab-case id/,
    ],
  ];

  it.each(cases)('%s', (_, file, edit, message) => {
    const dir = contentWith(file, edit);
    let error: unknown;
    try {
      loadContent(dir);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ContentError);
    expect((error as ContentError).message).toMatch(message);
  });
});
