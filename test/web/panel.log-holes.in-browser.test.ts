import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOG_REFILL_MAX_MS } from '../../src/web/panel/log-refill-pace.js';
import { READ_BUDGET_PER_MINUTE } from '../support/production-read-budget.js';
import { openPanel, startWebFixture, type WebFixture } from './web-fixture.js';

/*
 * A mission record keeps only the last 2 lines (RECENT_LINES_KEPT): a panel whose poll comes late
 * reads the lines it missed from the full log, which the flusher writes a moment after each tick. Here
 * one poll is held (a busy browser or network) and the full log answers as a flusher that has not
 * caught up yet until the mission is over: the panel must still end up with every tick's line, once, in order.
 * Then the flusher itself is held back for longer than the panel used to keep trying (a lock on
 * mission_logs, as a Postgres blip or a loaded worker would): the panel keeps reading, inside the
 * viewer's read budget, and the hole fills once the rows land, although the mission has ended.
 */

/** A mission of difficulty 1 is 24 ticks of 200 ms here: a few seconds, plus polling. */
const MISSION_TIMEOUT_MS = 30_000;
const POLL = { timeout: 12_000, interval: 100 };
/** Longer than the ticks the record keeps lines for: 2 × 200 ms. */
const HELD_POLL_MS = 1_500;
/** How far the full log trails the ticks while the mission runs. */
const FLUSHER_LAG_TICKS = 3;
/** Once the full log has the lines, the panel's next read of it is at most LOG_REFILL_MAX_MS away. */
const FILLED = { timeout: LOG_REFILL_MAX_MS + 12_000, interval: 100 };
/**
 * How long the flusher is held back in the second case after the panel's first read of the hole:
 * longer than its old 20 reads 500 ms apart (about 11 s), with room for its read at 15.5 s on a loaded machine.
 */
const HELD_AFTER_FIRST_READ_MS = 20_000;
/** A read this long after the first one is one the old refill never made. */
const LATE_READ_MS = 14_000;

let web: WebFixture;

beforeAll(async () => {
  web = await startWebFixture();
}, 120_000);

afterAll(async () => {
  await web?.close();
});

const shownTicks = (page: Page) =>
  page.locator('ol.log li[data-tick]').evaluateAll((items) => items.map((li) => Number(li.dataset.tick)));
const everyTickOnce = (ticks: number[]) => ticks.length > 3 && ticks.every((tick, i) => tick === i + 1);
const hasHole = (ticks: number[]) => ticks.some((tick, i) => i > 0 && tick !== ticks[i - 1]! + 1);

/** Starts a solo mission for a new survivor and waits until the panel shows a few of its lines. */
async function startMission(page: Page, name: string): Promise<void> {
  await page.locator('#recruit-name').fill(name);
  await page.getByRole('button', { name: 'Recruit' }).click();
  const card = page.locator('[data-testid=survivor]', { hasText: name });
  await card.getByRole('button', { name: 'Send out' }).click();
  await page.getByRole('button', { name: 'Start solo mission' }).click();
  await page.locator('[data-testid=live-mission]').waitFor();
  await expect.poll(() => page.locator('ol.log li[data-tick]').count(), POLL).toBeGreaterThanOrEqual(3);
}

/** Delays the page's next poll by HELD_POLL_MS once `hold()` is called: it comes back missing lines. */
async function holdOnePoll(page: Page): Promise<{ hold(): void; held(): number }> {
  let holdNext = false;
  let held = 0;
  await page.route('**/v1/poll**', async (route) => {
    if (holdNext) {
      holdNext = false;
      held++;
      await sleep(HELD_POLL_MS);
    }
    await route.continue();
  });
  return { hold: () => (holdNext = true), held: () => held };
}

describe('the live log of a panel that falls behind', () => {
  it('shows every tick once, in order, when a late poll missed lines the full log did not have yet', async () => {
    const page = await openPanel(web, 'Uholes1');
    const poll = await holdOnePoll(page);
    // Until the mission is over, the full log is a few ticks behind, as a flusher under load is.
    let flusherBehind = true;
    let logReads = 0;
    await page.route('**/v1/missions/*/log**', async (route) => {
      logReads++;
      const response = await route.fetch();
      const body = (await response.json()) as { lines: { tick: number }[]; nextAfter: number | null };
      if (flusherBehind) body.lines = body.lines.slice(0, -FLUSHER_LAG_TICKS);
      return route.fulfill({ response, json: body });
    });
    await startMission(page, 'Hale');
    poll.hold();

    await page.locator('[data-testid=result]').waitFor({ timeout: MISSION_TIMEOUT_MS });
    flusherBehind = false;
    expect(poll.held()).toBe(1);
    expect(logReads).toBeGreaterThanOrEqual(1);
    await expect.poll(() => shownTicks(page), FILLED).toSatisfy(everyTickOnce);
    await page.context().close();
  }, 75_000);

  it('fills a hole the full log lacks for longer than 10 s once the rows land, reading it well inside the budget', async () => {
    const page = await openPanel(web, 'Uholes2');
    const poll = await holdOnePoll(page);
    const logReads: number[] = [];
    const refusals: number[] = [];
    const isLogRead = (url: string) => /\/v1\/missions\/[^/]+\/log/.test(url);
    page.on('request', (request) => {
      if (isLogRead(request.url())) logReads.push(Date.now());
    });
    page.on('response', (response) => {
      if (isLogRead(response.url()) && response.status() === 429) refusals.push(Date.now());
    });
    await startMission(page, 'Vance');

    // The flusher's INSERT waits behind this lock; reads of the log (ACCESS SHARE) do not.
    const blocker = new pg.Client({ connectionString: web.databaseUrl });
    await blocker.connect();
    let heldFrom = 0;
    let firstRead = 0;
    let readsWhileHeld = 0;
    let lastReadWhileHeld = 0;
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE mission_logs IN EXCLUSIVE MODE');
      heldFrom = Date.now();
      poll.hold();
      // The mission ends while its log is held back: it stays on the panel, settling up, with a hole.
      await expect
        .poll(() => page.locator('[data-testid=live-mission]').textContent(), { timeout: MISSION_TIMEOUT_MS })
        .toContain('Ended after');
      await expect.poll(() => shownTicks(page), POLL).toSatisfy(hasHole);
      firstRead = logReads.find((at) => at >= heldFrom) ?? 0;
      expect(firstRead).toBeGreaterThan(0);
      await sleep(HELD_AFTER_FIRST_READ_MS - (Date.now() - firstRead));
      // Still a hole when the panel's old 20 reads at 500 ms would have given up: the rows are held back.
      expect(hasHole(await shownTicks(page))).toBe(true);
      const whileHeld = logReads.filter((at) => at >= heldFrom);
      readsWhileHeld = whileHeld.length;
      lastReadWhileHeld = whileHeld[whileHeld.length - 1] ?? 0;
    } finally {
      await blocker.query('COMMIT');
      await blocker.end();
    }
    const heldMs = Date.now() - heldFrom;
    // It kept reading long after the old refill's last read, and at well under the viewer's read
    // budget for the time it waited (the old refill made 20 reads in its first 10 s, then none;
    // this one 6 in 20 s, at 0, 0.5, 1.5, 3.5, 7.5 and 15.5 s).
    expect(lastReadWhileHeld - firstRead).toBeGreaterThan(LATE_READ_MS);
    expect(readsWhileHeld).toBeLessThanOrEqual(Math.ceil((READ_BUDGET_PER_MINUTE * heldMs) / 60_000 / 2));
    expect(refusals).toEqual([]);

    await expect.poll(() => shownTicks(page), FILLED).toSatisfy(everyTickOnce);
    await page.locator('[data-testid=result]').waitFor({ timeout: MISSION_TIMEOUT_MS });
    expect(poll.held()).toBe(1);
    await page.context().close();
  }, 90_000);
});
