import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPanel, PANEL, pageOverflow, shot, startWebFixture, type WebFixture } from './web-fixture.js';

/*
 * Decisions inside a mission in a real browser (issue 15): the choice point's buttons with what each
 * stance does, its timer and votes; the choice logged on the tick that applies it; a group's retreat
 * as a vote. Ticks of 2.5 s give the choice a 5 s window (2 ticks) to click in on a loaded machine;
 * the choice opens after tick 8, 20 s into the mission.
 */

const TICK_MS = 2_500;
const CHOICE_OPENS_MS = 8 * TICK_MS;
const POLL = { timeout: 15_000, interval: 100 };

let web: WebFixture;

beforeAll(async () => {
  web = await startWebFixture({ TICK_INTERVAL_MS: String(TICK_MS) });
}, 120_000);

afterAll(async () => {
  await web?.close();
});

async function recruit(page: Page, name: string): Promise<void> {
  await page.locator('#recruit-name').fill(name);
  await page.getByRole('button', { name: 'Recruit' }).click();
  await page.locator('[data-testid=survivor]', { hasText: name }).waitFor();
}

const tab = (page: Page, name: string) => page.getByRole('tab', { name }).click();

describe('decisions inside a mission in the panel (issue 15)', () => {
  it('offers the stances with their effects and a timer, takes the choice, and logs it on the tick that applies it', async () => {
    const page = await openPanel(web, 'Uchooser1');
    await recruit(page, 'Juno');
    await page
      .locator('[data-testid=survivor]', { hasText: 'Juno' })
      .getByRole('button', { name: 'Send out' })
      .click();
    await page.getByRole('button', { name: 'Start solo mission' }).click();
    await page.locator('[data-testid=live-mission]').waitFor();

    await expect.poll(() => page.locator('ol.log li[data-tick]').count(), POLL).toBeGreaterThanOrEqual(1);
    const logBox = await page.locator('ol.log').boundingBox();
    const choice = page.locator('[data-testid=choice-point]');
    await choice.waitFor({ timeout: CHOICE_OPENS_MS + 20_000 });
    // The choice lies over the log's bottom: the log keeps its place and size.
    expect(await page.locator('ol.log').boundingBox()).toEqual(logBox);
    const options = choice.locator('.choice-option');
    expect(await options.locator('.choice-name').allTextContents()).toEqual([
      'Push on',
      'Rest',
      'Search',
      'Sneak',
    ]);
    expect(await choice.locator('[data-stance=sneak] .choice-effect').textContent()).toMatch(/ambushes/);
    expect(await choice.locator('[data-testid=choice-timer]').textContent()).toMatch(
      /^(closes in \d+ s|closing…)$/,
    );
    expect(await choice.locator('[data-testid=choice-rule]').textContent()).toBe(
      'No choice keeps Push on. Now: Push on.',
    );

    await choice.locator('[data-stance=sneak]').click();
    await expect
      .poll(() => choice.locator('[data-stance=sneak]').getAttribute('aria-pressed'), POLL)
      .toBe('true');
    expect(await choice.locator('[data-stance=sneak] [data-testid=choice-votes]').textContent()).toBe(' · 1');
    expect(await choice.locator('[data-testid=choice-rule]').textContent()).toBe(
      'No choice keeps Push on. Now: Sneak.',
    );
    expect(await pageOverflow(page)).toEqual(PANEL);
    await shot(page, 'issue15-choice-point');

    // The next line is the tick the choice applies at (tick 10): it says what was chosen.
    const decided = page.locator('ol.log li[data-tick="10"] [data-testid=line-choice]');
    await decided.waitFor({ timeout: 3 * TICK_MS + POLL.timeout });
    expect(await decided.textContent()).toBe('⇢ Sneak');
    await expect.poll(() => choice.count(), POLL).toBe(0);
    await shot(page, 'issue15-choice-logged');
    await page.context().close();
  }, 90_000);

  it('retreats a group only once more than half of it votes, showing each member the vote', async () => {
    const host = await openPanel(web, 'Uvotehost');
    const guest = await openPanel(web, 'Uvoteguest');
    await recruit(host, 'Vera');
    await recruit(guest, 'Otto');
    await tab(host, 'Group');
    await host.getByRole('button', { name: 'Open lobby' }).click();
    await host.locator('[data-testid=lobby-room]').waitFor();
    await tab(guest, 'Group');
    await guest
      .locator('[data-testid=open-lobby]', { hasText: 'Vera' })
      .getByRole('button', { name: 'Join' })
      .click();
    for (const panel of [host, guest]) {
      await expect.poll(() => panel.locator('[data-testid=lobby-member]').count(), POLL).toBe(2);
      await panel.getByRole('button', { name: "I'm ready" }).click();
    }
    for (const panel of [host, guest]) {
      await expect
        .poll(() => panel.locator('[data-testid=lobby-member]', { hasText: 'not ready' }).count(), POLL)
        .toBe(0);
    }
    await host.getByRole('button', { name: 'Start' }).click();
    for (const panel of [host, guest]) await panel.locator('[data-testid=live-mission]').waitFor();

    const hostRetreat = host.locator('[data-testid=retreat]');
    const guestRetreat = guest.locator('[data-testid=retreat]');
    await expect.poll(() => hostRetreat.textContent(), POLL).toBe('Vote to retreat (0/2)');
    await hostRetreat.click();
    await expect.poll(() => hostRetreat.textContent(), POLL).toBe('Retreat voted (1/2)');
    // The other member sees the vote; one vote of two does not end the mission.
    await expect.poll(() => guestRetreat.textContent(), POLL).toBe('Vote to retreat (1/2)');
    expect(await guest.locator('[data-testid=mission-status]').textContent()).toBe('Under way');
    await shot(guest, 'issue15-retreat-vote');

    await guestRetreat.click();
    for (const panel of [host, guest]) {
      await expect
        .poll(() => panel.locator('[data-testid=mission-status]').textContent(), POLL)
        .toBe('Retreated');
    }
    await host.context().close();
    await guest.context().close();
  }, 90_000);
});
