import { describe, expect, it } from 'vitest';
import { RateLimitedLog } from '../../src/rate-limited-log.js';

describe('RateLimitedLog', () => {
  it('writes one line per key and interval, with the count it held back', () => {
    let now = 0;
    const log = new RateLimitedLog(30_000, () => now);
    const lines: string[] = [];
    for (let i = 0; i < 5; i++) log.write('redis', (suppressed) => lines.push(`redis ${suppressed}`));
    log.write('postgres', (suppressed) => lines.push(`postgres ${suppressed}`));
    now = 29_999;
    log.write('redis', (suppressed) => lines.push(`redis ${suppressed}`));
    now = 30_000;
    log.write('redis', (suppressed) => lines.push(`redis ${suppressed}`));
    expect(lines).toEqual(['redis 0', 'postgres 0', 'redis 5']);
  });
});
