import { describe, expect, it } from 'vitest';
import { tallyStance } from '../../src/game/index.js';
import { content } from './fixtures.js';

describe('the vote at a choice point', () => {
  it('goes to the stance with the most votes', () => {
    expect(tallyStance(['sneak'], 'push', content)).toBe('sneak');
    expect(tallyStance(['rest', 'sneak', 'rest'], 'push', content)).toBe('rest');
    expect(tallyStance(['search', 'search', 'rest', 'sneak', 'push'], 'push', content)).toBe('search');
  });

  it('keeps the current stance (the default) with no vote or a tie for the most', () => {
    expect(tallyStance([], 'rest', content)).toBe('rest');
    expect(tallyStance(['sneak', 'search'], 'push', content)).toBe('push');
    expect(tallyStance(['sneak', 'search', 'sneak', 'search', 'rest'], 'rest', content)).toBe('rest');
  });

  it('counts no vote for a stance the content does not have', () => {
    expect(tallyStance(['fly', 'fly', 'sneak'], 'push', content)).toBe('sneak');
    expect(tallyStance(['fly'], 'push', content)).toBe('push');
  });
});
