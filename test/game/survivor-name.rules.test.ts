import { describe, expect, it } from 'vitest';
import { MAX_NAME_LENGTH, validateSurvivorName } from '../../src/game/survivor-name.js';

describe('survivor names', () => {
  it.each([
    ['Hangul fillers only', '\u3164\u3164\u3164'],
    ['a halfwidth Hangul filler', '\uFFA0\uFFA0'],
    ['Hangul choseong and jungseong fillers', '\u115F\u1160'],
    ['a Hangul filler beside letters', 'Ada\u3164'],
    ['a zero-width space inside', 'Ad\u200Ba'],
    ['a zero-width joiner', 'A\u200Dda'],
    ['a combining grapheme joiner', 'Ad\u034Fa'],
    ['a variation selector', 'Ada\uFE0F'],
    ['a control character', 'Ada\u0007'],
    ['a right-to-left override', '\u202EadA'],
    ['only combining marks', '\u0301\u0301\u0301'],
    ['a combining mark first', '\u0301Ada'],
    ['only spaces', '     '],
    ['an ideographic space', 'Ada\u3000Vance'],
    ['one more character than the limit', 'A'.repeat(MAX_NAME_LENGTH + 1)],
  ])('refuses %s', (_what, name) => {
    expect(() => validateSurvivorName(name)).toThrow(expect.objectContaining({ code: 'invalid_name' }));
  });

  it('keeps names in NFC, so one name has one spelling', () => {
    expect(validateSurvivorName('Zoe\u0301')).toBe('Zoé');
    expect(validateSurvivorName('Zoé')).toBe('Zoé');
    expect(validateSurvivorName('Zoe\u0301').length).toBe(3);
  });

  it('accepts letters of any script, with their marks, up to the limit', () => {
    for (const name of [
      'Ada Vance',
      'Ngũgĩ',
      '김민준',
      'Ólafur',
      "O'Neil-Smith Jr.",
      'A'.repeat(MAX_NAME_LENGTH),
    ]) {
      expect(validateSurvivorName(name)).toBe(name);
    }
  });
});
