import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signTwitchToken } from '../../src/api/auth/twitch-jwt.js';
import { DEVELOPMENT_EXTENSION_SECRET } from '../../src/config.js';
import { EVENT_POLL_IDLE_MS } from '../../src/web/events/use-current-event.js';
import { standInEnv } from '../support/twitch-stand-in.js';
import {
  developmentTwitch,
  installTwitchHelper,
  panelOnTwitchUrl,
  relayBroadcasts,
} from './twitch-helper-stand-in.js';
import { startWebFixture, type WebFixture } from './web-fixture.js';

/** With broadcasts on, a panel that is not told anything polls every 30 s; told, within 250 ms. */
const TOLD_WITHIN_MS = 10_000;

let web: WebFixture;
/** Twitch: `holdout serve` sends its PubSub messages here (TWITCH_API_URL), signed as the owner. */
const twitch = developmentTwitch('4242');
const pages: Page[] = [];

beforeAll(async () => {
  await twitch.start();
  web = await startWebFixture(standInEnv(twitch));
  // Twitch.ext.listen: every message the backend broadcasts reaches the open panels of its channel.
  relayBroadcasts(twitch, pages);
}, 120_000);

afterAll(async () => {
  await web?.close();
  await twitch.stop();
});

async function token(opaqueUserId: string): Promise<string> {
  return signTwitchToken(DEVELOPMENT_EXTENSION_SECRET, { opaqueUserId, channelId: '1000', role: 'viewer' });
}

async function call(bearer: string, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${web.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

describe('the panel with Extension PubSub broadcasts, with a stand-in of the Twitch helper', () => {
  it('polls slowly while nothing is announced, and at once when a broadcast names its lobby', async () => {
    const [leader, joiner] = [await token('Ubcast1'), await token('Ubcast2')];
    const survivors: string[] = [];
    for (const [bearer, name] of [
      [leader, 'Lead'],
      [joiner, 'Join'],
    ] as const) {
      survivors.push(
        ((await (await call(bearer, 'POST', '/v1/survivors', { name })).json()) as { id: string }).id,
      );
    }
    const lobby = (await (
      await call(leader, 'POST', '/v1/lobbies', {
        survivorId: survivors[0],
        location: 'maple-row-suburbs',
        difficulty: 1,
      })
    ).json()) as { id: string };

    const context = await web.context();
    await installTwitchHelper(
      context,
      twitch,
      { token: leader, opaqueUserId: 'Ubcast1', twitchUserId: '1', channelId: '1000' },
      () => 1,
    );
    const page = await context.newPage();
    const polls: number[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/v1/poll')) polls.push(Date.now());
    });
    pages.push(page);
    await page.goto(panelOnTwitchUrl(web.url));
    await page.getByRole('tab', { name: 'Group' }).click();
    await page.getByTestId('lobby-member').first().waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('lobby-member').count()).toBe(1);

    // Quiet: the catalog says broadcasts are on, so the panel does not poll every 2 s in its lobby.
    const quietFrom = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    expect(polls.filter((at) => at > quietFrom + 1_000)).toEqual([]);

    // Someone joins: the backend broadcasts the lobby's id, the panel polls and shows them.
    const joinedAt = Date.now();
    expect(
      (await call(joiner, 'POST', `/v1/lobbies/${lobby.id}/join`, { survivorId: survivors[1] })).status,
    ).toBe(200);
    await expect
      .poll(() => page.getByTestId('lobby-member').count(), { timeout: TOLD_WITHIN_MS, interval: 50 })
      .toBe(2);
    const shownAfterMs = Date.now() - joinedAt;
    expect(twitch.pubsub.some((r) => r.message.includes(lobby.id) && r.at >= joinedAt)).toBe(true);
    expect(shownAfterMs).toBeLessThan(TOLD_WITHIN_MS);
    await context.close();
  });

  it('reads the channel event at once when a broadcast says it changed, not at its next read 10 s later', async () => {
    const viewer = await token('Ubcast3');
    const host = await signTwitchToken(DEVELOPMENT_EXTENSION_SECRET, {
      opaqueUserId: 'Ubcasthost',
      channelId: '1000',
      role: 'broadcaster',
      twitchUserId: '1000',
    });
    expect((await call(viewer, 'POST', '/v1/survivors', { name: 'Vera' })).ok).toBe(true);
    const context = await web.context();
    await installTwitchHelper(
      context,
      twitch,
      { token: viewer, opaqueUserId: 'Ubcast3', twitchUserId: '3', channelId: '1000' },
      () => 1,
    );
    const page = await context.newPage();
    const reads: number[] = [];
    page.on('requestfinished', (request) => {
      if (request.url().includes('/v1/events/current')) reads.push(Date.now());
    });
    pages.push(page);
    await page.goto(panelOnTwitchUrl(web.url));
    await page.getByTestId('survivor').first().waitFor({ timeout: 30_000 });
    // The panel has read the channel's event (none): its next timed read is minutes away (broadcasts on).
    await expect.poll(() => reads.length, { timeout: 30_000, interval: 50 }).toBeGreaterThan(0);
    const readAt = reads.at(-1)!;
    expect(await page.getByTestId('event-banner').count()).toBe(0);

    const openedAt = Date.now();
    const opened = await call(host, 'POST', '/v1/events', {
      kind: 'horde_night',
      location: 'maple-row-suburbs',
      difficulty: 1,
      signupSeconds: 600,
    });
    expect(opened.status).toBe(201);
    const event = (await opened.json()) as { id: string };
    await page.getByTestId('event-banner').waitFor({ timeout: EVENT_POLL_IDLE_MS });
    const shownAt = Date.now();
    console.info(
      `event notice: banner ${shownAt - openedAt} ms after the open (the next timed read was due ${readAt + EVENT_POLL_IDLE_MS - openedAt} ms after it)`,
    );
    expect(twitch.pubsub.some((r) => r.at >= openedAt && JSON.parse(r.message).event === true)).toBe(true);
    // Told: read before the panel's own schedule would have read it.
    expect(shownAt).toBeLessThan(readAt + EVENT_POLL_IDLE_MS);
    expect(reads.filter((at) => at > openedAt && at < readAt + EVENT_POLL_IDLE_MS).length).toBeGreaterThan(0);
    await call(host, 'POST', `/v1/events/${event.id}/cancel`);
    await context.close();
  });

  it("reads the channel's rules again when a broadcast says the broadcaster changed them", async () => {
    const viewer = await token('Ubcast5');
    const context = await web.context();
    await installTwitchHelper(
      context,
      twitch,
      { token: viewer, opaqueUserId: 'Ubcast5', twitchUserId: '5', channelId: '1000' },
      () => 1,
    );
    const page = await context.newPage();
    const catalogReads: number[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/v1/missions/catalog')) catalogReads.push(Date.now());
    });
    pages.push(page);
    await page.goto(panelOnTwitchUrl(web.url));
    await expect.poll(() => catalogReads.length, { timeout: 30_000 }).toBeGreaterThan(0);
    const caster = await signTwitchToken(DEVELOPMENT_EXTENSION_SECRET, {
      opaqueUserId: 'Ubcastcaster',
      channelId: '1000',
      role: 'broadcaster',
    });
    const changedAt = Date.now();
    expect((await call(caster, 'PUT', '/v1/channel/settings', { maxDifficulty: 4 })).status).toBe(200);
    // Without the notice the next read is 10 minutes away (broadcasts on).
    await expect
      .poll(() => catalogReads.filter((at) => at > changedAt).length, {
        timeout: TOLD_WITHIN_MS,
        interval: 50,
      })
      .toBeGreaterThan(0);
    await context.close();
  });
});
