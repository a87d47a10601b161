import type { FrameLocator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_NAME_LENGTH } from '../../src/game/survivor-name.js';
import { openPanel, PANEL, pageOverflow, shot, startWebFixture, type WebFixture } from './web-fixture.js';

/** A mission of difficulty 1 is 24 ticks of 200 ms here: a few seconds, plus polling. */
const MISSION_TIMEOUT_MS = 30_000;
/** Panels poll every 2–5 s when no tick is due. */
const POLL = { timeout: 12_000, interval: 100 };

type Surface = Page | FrameLocator;

async function recruit(panel: Surface, name: string): Promise<void> {
  await panel.locator('#recruit-name').fill(name);
  await panel.getByRole('button', { name: 'Recruit' }).click();
  await panel.locator('[data-testid=survivor]', { hasText: name }).waitFor();
}

const tab = (panel: Surface, name: string) => panel.getByRole('tab', { name }).click();
const logTexts = (panel: Surface) => panel.locator('ol.log li[data-tick]').allInnerTexts();
const shownTicks = (panel: Surface) =>
  panel.locator('ol.log li[data-tick]').evaluateAll((items) => items.map((li) => Number(li.dataset.tick)));
/** The line of every tick from the first, once, in order. */
const everyTickOnce = (ticks: number[]) => ticks.length > 0 && ticks.every((tick, i) => tick === i + 1);

let web: WebFixture;

beforeAll(async () => {
  web = await startWebFixture();
}, 120_000);

afterAll(async () => {
  await web?.close();
});

describe('the panel in a real browser', () => {
  it('plays a solo mission: recruit, send out, lines arrive, the mission ends, result and history show', async () => {
    const page = await openPanel(web, 'Usolo1');
    await recruit(page, 'Ash');
    const card = page.locator('[data-testid=survivor]', { hasText: 'Ash' });
    expect(await card.locator('[data-testid=state]').textContent()).toBe('Idle');
    await shot(page, 'roster');

    await card.getByRole('button', { name: 'Send out' }).click();
    await page.locator('[data-testid=danger]').waitFor();
    expect(await page.locator('[data-testid=danger]').textContent()).toMatch(/no deaths/);
    await shot(page, 'mission-picker');
    await page.getByRole('button', { name: 'Start solo mission' }).click();

    const live = page.locator('[data-testid=live-mission]');
    await live.waitFor();
    await expect.poll(() => page.locator('ol.log li[data-tick]').count(), POLL).toBeGreaterThanOrEqual(2);
    // New lines must not move anything: the log scrolls inside a box of fixed size.
    const before = await page.locator('ol.log').boundingBox();
    await expect.poll(() => page.locator('ol.log li[data-tick]').count(), POLL).toBeGreaterThanOrEqual(6);
    expect(await page.locator('ol.log').boundingBox()).toEqual(before);
    expect(await page.locator('[data-testid=next-tick]').textContent()).toMatch(/Next tick/);
    await shot(page, 'mission-live');

    await tab(page, 'Survivors');
    expect(await card.locator('[data-testid=state]').textContent()).toMatch(/^On a mission/);
    await card.getByRole('button', { name: 'Watch' }).click();

    await page.locator('[data-testid=result]').waitFor({ timeout: MISSION_TIMEOUT_MS });
    const status = await page.locator('[data-testid=mission-status]').textContent();
    expect(['Held out', 'Overrun', 'Retreated']).toContain(status);
    // Lines a late poll missed come from the full log, which the flusher writes a moment after the
    // tick: they may arrive just after the result (panel.log-holes.in-browser.test.ts).
    await expect.poll(() => shownTicks(page), POLL).toSatisfy(everyTickOnce);
    const ticks = (await shownTicks(page)).length;
    await shot(page, 'mission-result');

    await tab(page, 'Survivors');
    await expect
      .poll(() => card.locator('[data-testid=state]').textContent(), POLL)
      .toMatch(/^(Idle|Recovering \d+:\d\d)$/);

    await tab(page, 'History');
    const entry = page.locator('[data-testid=history-entry]').first();
    await entry.waitFor();
    expect(await entry.textContent()).toMatch(/Flooded Mall/);
    await entry.locator('summary').click();
    await expect.poll(() => entry.locator('ol.log li').count(), POLL).toBe(ticks);
    await shot(page, 'history');

    await tab(page, 'Ranks');
    await page.locator('[data-testid=leaderboard]').waitFor();
    expect(await page.locator('[data-testid=leaderboard]').textContent()).toContain('Ash');
    await shot(page, 'leaderboard');
    await page.context().close();
  }, 60_000);

  it('plays a group mission: three panels on /dev form a lobby, all ready, start, and see the same lines to the end', async () => {
    const context = await web.context({ width: 1760, height: 640 });
    const page = await context.newPage();
    await page.goto(`${web.url}/dev`);
    const [alice, bob, cleo] = ['Udevalice', 'Udevbob', 'Udevcleo'].map((v) =>
      page.frameLocator(`iframe[name=${v}]`),
    ) as [FrameLocator, FrameLocator, FrameLocator];

    // The broadcaster shortens missions from the config page.
    const config = page.frameLocator('iframe[name=config]');
    await config.locator('#mission-length').selectOption('short');
    await config.getByRole('button', { name: 'Save' }).click();
    await config.locator('[data-testid=config-status]', { hasText: 'Saved' }).waitFor();

    // One at a time: typing goes to the page's one focused element, whichever frame holds it.
    await recruit(alice, 'Alia');
    await recruit(bob, 'Bram');
    await recruit(cleo, 'Cass');
    await tab(alice, 'Group');
    await alice.getByRole('button', { name: 'Open lobby' }).click();
    await alice.locator('[data-testid=lobby-room]').waitFor();
    for (const panel of [bob, cleo]) {
      await tab(panel, 'Group');
      await panel
        .locator('[data-testid=open-lobby]', { hasText: 'Alia' })
        .getByRole('button', { name: 'Join' })
        .click();
      await panel.locator('[data-testid=lobby-room]').waitFor();
    }
    for (const [panel, own] of [
      [alice, 'Alia'],
      [bob, 'Bram'],
      [cleo, 'Cass'],
    ] as const) {
      await expect.poll(() => panel.locator('[data-testid=lobby-member]').count(), POLL).toBe(3);
      // The API says which member is the caller's and who leads (never whose user id is whose).
      const members = panel.locator('[data-testid=lobby-member]');
      expect(await members.filter({ hasText: '· leader' }).allTextContents()).toEqual([
        expect.stringContaining('Alia'),
      ]);
      expect(await members.filter({ hasText: '· you' }).allTextContents()).toEqual([
        expect.stringContaining(own),
      ]);
      await panel.getByRole('button', { name: "I'm ready" }).click();
    }
    for (const panel of [alice, bob, cleo]) {
      await expect
        .poll(() => panel.locator('[data-testid=lobby-member]', { hasText: 'not ready' }).count(), POLL)
        .toBe(0);
    }
    await shot(page, 'dev-lobby');
    await alice.getByRole('button', { name: 'Start' }).click();

    for (const panel of [alice, bob, cleo]) await panel.locator('[data-testid=live-mission]').waitFor();
    await expect.poll(() => cleo.locator('ol.log li[data-tick]').count(), POLL).toBeGreaterThanOrEqual(3);
    await shot(page, 'dev-group-live');
    for (const panel of [alice, bob, cleo]) {
      await panel.locator('[data-testid=result]').waitFor({ timeout: MISSION_TIMEOUT_MS });
    }
    const [a, b, c] = await Promise.all([logTexts(alice), logTexts(bob), logTexts(cleo)]);
    expect(a.length).toBeGreaterThan(0);
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    await shot(page, 'dev-group-ended');
    await context.close();
  }, 90_000);

  it('takes as many characters in the name field as the API accepts, and no more (issue 13, item 12)', async () => {
    const page = await openPanel(web, 'Unamelimit1');
    const field = page.locator('#recruit-name');
    await field.pressSequentially('Q'.repeat(MAX_NAME_LENGTH + 6));
    expect(await field.inputValue()).toBe('Q'.repeat(MAX_NAME_LENGTH));
    await page.getByRole('button', { name: 'Recruit' }).click();
    await page.locator('[data-testid=survivor]', { hasText: 'Q'.repeat(MAX_NAME_LENGTH) }).waitFor();
    expect(await page.locator('[data-testid=error]').count()).toBe(0);
    await page.context().close();
  });

  it('shows an API failure in words, and a failing poll with its retry', async () => {
    const page = await openPanel(web, 'Uerrors1');
    await page.locator('#recruit-name').fill('<Ash>');
    await page.getByRole('button', { name: 'Recruit' }).click();
    const error = page.locator('[data-testid=error]');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/only letters, digits, spaces/);
    await shot(page, 'error-message');

    await page.route('**/v1/poll**', (route) =>
      route.fulfill({
        status: 503,
        contentType: 'application/problem+json',
        body: JSON.stringify({ status: 503, code: 'unavailable', detail: 'Holdout is restarting' }),
      }),
    );
    const trouble = page.locator('[data-testid=poll-trouble]');
    await trouble.waitFor({ timeout: 15_000 });
    expect(await trouble.textContent()).toMatch(/Holdout is restarting · retrying/);
    await page.unroute('**/v1/poll**');
    await trouble.waitFor({ state: 'detached', timeout: 40_000 });
    await page.context().close();
  }, 60_000);

  it('invites a logged-out viewer to log in, and does not let them start a mission', async () => {
    const page = await openPanel(web, 'Aguest1');
    await page.locator('[data-testid=login-invite]').waitFor();
    await tab(page, 'Mission');
    await page.locator('[data-testid=danger]').waitFor();
    expect(await page.getByRole('button', { name: 'Start solo mission' }).isDisabled()).toBe(true);
    expect(await page.locator('[data-testid=login-invite]').isVisible()).toBe(true);
    await shot(page, 'logged-out');
    await page.context().close();
  });

  it('fits 318 × 496 without a page scroll in both themes, on every view, and its tabs follow the arrow keys', async () => {
    for (const theme of ['dark', 'light'] as const) {
      const page = await openPanel(web, `Ulayout${theme}`, theme);
      for (const name of ['Ivy', 'Jax', 'Kit']) await recruit(page, name);
      for (const name of ['Survivors', 'Mission', 'Group', 'History', 'Ranks']) {
        await tab(page, name);
        await page.waitForTimeout(150);
        expect(await pageOverflow(page), `${name} in the ${theme} theme`).toEqual(PANEL);
        await shot(page, `${theme}-${name.toLowerCase()}`);
      }
      await page.getByRole('tab', { name: 'Ranks' }).focus();
      await page.keyboard.press('ArrowRight');
      expect(await page.getByRole('tab', { name: 'Survivors' }).getAttribute('aria-selected')).toBe('true');
      await page.context().close();
    }
  }, 60_000);
});
