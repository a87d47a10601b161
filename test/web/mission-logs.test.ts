import { describe, expect, it } from 'vitest';
import type { FullLogLine } from '../../src/web/api/api-types.js';
import { hasGap, LOG_LINES_KEPT, mergeLogLines, shownLogLine } from '../../src/web/panel/mission-logs.js';

const fromHistory = (tick: number, extra: Partial<FullLogLine> = {}): FullLogLine => ({
  tick,
  encounterId: 'scavenge',
  text: `line ${tick}`,
  scheduledAt: 1_000 * tick,
  ...extra,
});

describe('log lines the panel reads back from the full log', () => {
  it('keep their tags and key moment, so a gap filled from history shows what the live line showed', () => {
    const live = { tick: 12, text: 'line 12', at: 12_000, tags: ['time:day'], mark: 'find' as const };
    const filled = shownLogLine(fromHistory(12, { tags: ['time:day'], mark: 'find' }));
    expect(mergeLogLines([live], [filled])).toEqual([live]);
  });

  it('carry no empty tags or moment when the line had none', () => {
    expect(shownLogLine(fromHistory(3))).toEqual({ tick: 3, text: 'line 3', at: 3_000 });
  });
});

describe('a hole in the log the panel shows', () => {
  const upTo = (from: number, to: number) =>
    Array.from({ length: to - from + 1 }, (_, i) => ({ tick: from + i, text: `line ${from + i}`, at: 0 }));

  it('is seen in the middle, not only before the first line: ticks a late poll missed', () => {
    const lines = [...upTo(1, 20), ...upTo(23, 24)];
    expect(hasGap(lines, 24)).toBe(true);
    expect(hasGap(mergeLogLines(lines, upTo(21, 22)), 24)).toBe(false);
  });

  it('is seen before the first line and after the last, up to the mission tick', () => {
    expect(hasGap(upTo(3, 24), 24)).toBe(true);
    expect(hasGap(upTo(1, 22), 24)).toBe(true);
    expect(hasGap([], 0)).toBe(false);
  });

  it('is not the older lines the panel drops once it keeps LOG_LINES_KEPT', () => {
    expect(hasGap(mergeLogLines([], upTo(1, LOG_LINES_KEPT + 50)), LOG_LINES_KEPT + 50)).toBe(false);
  });
});
