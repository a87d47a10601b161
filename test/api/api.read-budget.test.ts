import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RATE_LIMIT_READ, RATE_LIMIT_WINDOW_MS } from '../support/production-read-budget.js';
import { type ApiFixture, type Backend, openApiFixture } from './api-fixture.js';

describe.each<Backend>(['real', 'embedded'])(
  "a viewer's reads of the channel event on the %s stores",
  (backend) => {
    let production: ApiFixture;
    let fixture: ApiFixture;
    beforeAll(async () => {
      production = await openApiFixture(backend, { RATE_LIMIT_READ: String(RATE_LIMIT_READ) });
      fixture = await openApiFixture(backend);
    });
    afterAll(async () => {
      await production?.close();
      await fixture?.close();
    });

    it('are refused past the read budget until the window ends, whatever the event does meanwhile', async () => {
      const viewer = await production.viewer({ channelId: '8300' });
      const started = Date.now();
      for (let i = 0; i < RATE_LIMIT_READ; i++)
        expect((await production.call(viewer, 'GET', '/v1/events/current')).statusCode).toBe(200);
      const refused = await production.call(viewer, 'GET', '/v1/events/current');
      expect(refused.statusCode).toBe(429);
      expect(refused.json().code).toBe('rate_limited');
      // A fixed window: the refusal lasts until the window that began with the first read ends, so a test
      // that read every 50 ms while an event ran waited out the rest of the minute, not the event.
      const retryAfterMs = Number(refused.headers['retry-after']) * 1000;
      expect(retryAfterMs).toBeGreaterThan(RATE_LIMIT_WINDOW_MS - (Date.now() - started) - 1000);
      expect(retryAfterMs).toBeLessThanOrEqual(RATE_LIMIT_WINDOW_MS);
      // The budget is per endpoint: the season still answers.
      expect((await production.call(viewer, 'GET', '/v1/channel/season')).statusCode).toBe(200);
    });

    it("are not refused in the tests' fixture, which reads every 20-50 ms while it waits for ticks", async () => {
      const viewer = await fixture.viewer({ channelId: '8301' });
      const statuses = new Set<number>();
      for (let i = 0; i < 5 * RATE_LIMIT_READ; i++)
        statuses.add((await fixture.call(viewer, 'GET', '/v1/events/current')).statusCode);
      expect([...statuses]).toEqual([200]);
    });
  },
);
