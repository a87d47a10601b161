import { setTimeout as sleep } from 'node:timers/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPanel, startWebFixture, type WebFixture } from './web-fixture.js';

/*
 * A mission record keeps only the last 2 lines (RECENT_LINES_KEPT): a panel whose poll comes late
 * reads the lines it missed from the full log, which the flusher writes a moment after each tick. Here
 * one poll is held (a busy browser or network) and the full log answers as a flusher that has not
 * caught up yet until the mission is over: the panel must still end up with every tick's line, once, in order.
 */

/** A mission of difficulty 1 is 24 ticks of 200 ms here: a few seconds, plus polling. */
const MISSION_TIMEOUT_MS = 30_000;
const POLL = { timeout: 12_000, interval: 100 };
/** Longer than the ticks the record keeps lines for: 2 × 200 ms. */
const HELD_POLL_MS = 1_500;
/** How far the full log trails the ticks while the mission runs. */
const FLUSHER_LAG_TICKS = 3;

let web: WebFixture;

beforeAll(async () => {
  web = await startWebFixture();
}, 120_000);

afterAll(async () => {
  await web?.close();
});

const shownTicks = (page: Page) =>
  page.locator('ol.log li[data-tick]').evaluateAll((items) => items.map((li) => Number(li.dataset.tick)));

describe('the live log of a panel that falls behind', () => {
  it('shows every tick once, in order, when a late poll missed lines the full log did not have yet', async () => {
    const page = await openPanel(web, 'Uholes1');
    let holdNextPoll = false;
    let heldPolls = 0;
    await page.route('**/v1/poll**', async (route) => {
      if (holdNextPoll) {
        holdNextPoll = false;
        heldPolls++;
        await sleep(HELD_POLL_MS);
      }
      await route.continue();
    });
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
    await page.locator('#recruit-name').fill('Hale');
    await page.getByRole('button', { name: 'Recruit' }).click();
    const card = page.locator('[data-testid=survivor]', { hasText: 'Hale' });
    await card.getByRole('button', { name: 'Send out' }).click();
    await page.getByRole('button', { name: 'Start solo mission' }).click();
    await page.locator('[data-testid=live-mission]').waitFor();
    await expect.poll(() => page.locator('ol.log li[data-tick]').count(), POLL).toBeGreaterThanOrEqual(3);
    holdNextPoll = true;

    await page.locator('[data-testid=result]').waitFor({ timeout: MISSION_TIMEOUT_MS });
    flusherBehind = false;
    expect(heldPolls).toBe(1);
    expect(logReads).toBeGreaterThanOrEqual(1);
    const everyTickOnce = (ticks: number[]) => ticks.length > 3 && ticks.every((tick, i) => tick === i + 1);
    await expect.poll(() => shownTicks(page), POLL).toSatisfy(everyTickOnce);
    await page.context().close();
  }, 60_000);
});
