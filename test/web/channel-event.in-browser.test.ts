import type { FrameLocator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shot, startWebFixture, type WebFixture } from './web-fixture.js';

/**
 * An event is 24 ticks of 200 ms here (about 5 s) once launched. Panels read the channel's event
 * every 10 s while none is open, every 2 s while one is.
 */
const EVENT_SEEN = { timeout: 20_000, interval: 200 };
const EVENT_RUN_TIMEOUT_MS = 45_000;

let web: WebFixture;

beforeAll(async () => {
  web = await startWebFixture();
}, 120_000);

afterAll(async () => {
  await web?.close();
});

async function recruit(panel: FrameLocator, name: string): Promise<void> {
  await panel.locator('#recruit-name').fill(name);
  await panel.getByRole('button', { name: 'Recruit' }).click();
  await panel.locator('[data-testid=survivor]', { hasText: name }).waitFor();
}

describe('a channel event on /dev in a real browser', () => {
  it('the broadcaster opens it, viewers join, one is removed, it runs, the video view shows progress and the result', async () => {
    const context = await web.context({ width: 1760, height: 1000 });
    const page = await context.newPage();
    await page.goto(`${web.url}/dev`);
    const live = page.frameLocator('iframe[name=live]');
    const video = page.frameLocator('iframe[name=video]');
    const [alice, bob, cleo] = ['Udevalice', 'Udevbob', 'Udevcleo'].map((v) =>
      page.frameLocator(`iframe[name=${v}]`),
    ) as [FrameLocator, FrameLocator, FrameLocator];

    // One at a time: typing goes to the page's one focused element, whichever frame holds it.
    await recruit(alice, 'Alia');
    await recruit(bob, 'Bram');
    await recruit(cleo, 'Cass');
    // Nothing on stream before there is an event.
    expect(await video.locator('[data-testid=video-event]').count()).toBe(0);

    await live.locator('#event-kind').selectOption('horde_night');
    await live.locator('#event-difficulty').selectOption('1');
    await live.locator('#event-signup').selectOption('600');
    // The season's channel goal, from durable results (none yet on this fresh channel).
    await expect
      .poll(() => live.locator('[data-testid=season-goal]').textContent(), EVENT_SEEN)
      .toMatch(/^The channel held out 0 \/ 500 missions/);
    await live.getByRole('button', { name: 'Open sign-up' }).click();
    await live.locator('[data-testid=live-event]', { hasText: 'Sign-up closes in' }).waitFor();
    await video.locator('[data-testid=video-event]', { hasText: 'Sign-up closes in' }).waitFor(EVENT_SEEN);

    for (const panel of [alice, bob, cleo]) {
      await panel.getByRole('button', { name: 'Join event' }).click(EVENT_SEEN);
      await panel.locator('[data-testid=event-yours]').waitFor();
    }
    const signups = live.locator('[data-testid=event-signups] li');
    await expect.poll(() => signups.allInnerTexts(), EVENT_SEEN).toHaveLength(3);
    await shot(page, 'dev-event-signup');

    // Moderation: the broadcaster takes Cass out; her panel offers to join again.
    await live.getByRole('button', { name: 'Remove Cass from the event' }).click();
    await expect.poll(() => signups.count(), EVENT_SEEN).toBe(2);
    await cleo.getByRole('button', { name: 'Join event' }).waitFor(EVENT_SEEN);

    await live.getByRole('button', { name: 'Start now' }).click();
    // Progress on stream: the shared goal fills while the event runs.
    const progress = video.locator('[data-testid=event-progress]');
    await expect.poll(() => progress.textContent(), EVENT_SEEN).toMatch(/^[1-9]\d* \/ \d+ waves held$/);
    await shot(page, 'dev-event-running');

    // The same card in the OBS browser source, from the secret URL the dashboard shows.
    await live.getByRole('button', { name: 'Show the secret URL' }).click();
    const obsUrl = await live.locator('[data-testid=obs-url]').inputValue();
    expect(obsUrl).toMatch(/\/obs\.html#[A-Za-z0-9_-]{32}$/);
    const obs = await context.newPage();
    await obs.setViewportSize({ width: 640, height: 360 });
    await obs.goto(obsUrl);
    await expect
      .poll(() => obs.locator('[data-testid=event-progress]').textContent(), EVENT_SEEN)
      .toMatch(/^[1-9]\d* \/ \d+ waves held$/);
    await shot(obs, 'obs-event-running');

    const phase = video.locator('[data-testid=event-phase]');
    await expect
      .poll(() => phase.textContent(), { timeout: EVENT_RUN_TIMEOUT_MS, interval: 250 })
      .toMatch(/^The channel (held out!|was overrun)$/);
    const top = await video.locator('[data-testid=event-top] li').allInnerTexts();
    expect(top.map((t) => t.split(/\s/)[0]).sort()).toEqual(['Alia', 'Bram']);
    await live.locator('[data-testid=live-event] [data-testid=event-top]').waitFor(EVENT_SEEN);
    for (const panel of [alice, bob]) {
      await expect
        .poll(() => panel.locator('[data-testid=event-reward]').textContent(), EVENT_SEEN)
        .toMatch(/toward the goal, rank [12], \+\d+ XP/);
    }
    await expect.poll(() => cleo.locator('[data-testid=event-banner]').count(), EVENT_SEEN).toBe(0);
    await shot(page, 'dev-event-result');
    await obs.locator('[data-testid=event-top]').waitFor(EVENT_SEEN);
    await context.close();
  }, 120_000);
});
