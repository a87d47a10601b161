import { describe, expect, it } from 'vitest';
import type { FullLogLine } from '../../src/web/api/api-types.js';
import { mergeLogLines, shownLogLine } from '../../src/web/panel/mission-logs.js';

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
