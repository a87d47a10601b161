import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signTwitchToken } from '../../src/api/auth/twitch-jwt.js';
import { DEVELOPMENT_EXTENSION_SECRET } from '../../src/config.js';
import { eventually } from '../support/services.js';
import { standInEnv, TwitchStandIn } from '../support/twitch-stand-in.js';
import { installTwitchHelper } from './twitch-helper-stand-in.js';
import { shot, startWebFixture, type WebFixture } from './web-fixture.js';

const CHANNEL = '1000';
const SEEN = { timeout: 20_000, interval: 200 };
/** The refresher's 5 s pace plus the API's 30 s memory of a name it read as missing, with room for load. */
const NAME_SHOWN_MS = 60_000;

let web: WebFixture;
/** Twitch: `holdout serve` asks Helix Get Users here (TWITCH_API_URL) for the names viewers shared. */
const twitch = new TwitchStandIn({
  clientId: 'holdoutdev',
  clientSecret: 'stand-in-client-secret',
  extensionSecret: DEVELOPMENT_EXTENSION_SECRET,
  ownerId: '4242',
});

beforeAll(async () => {
  await twitch.start();
  web = await startWebFixture(standInEnv(twitch));
}, 120_000);

afterAll(async () => {
  await web?.close();
  await twitch.stop();
});

const token = (opaqueUserId: string, role: string, twitchUserId?: string) =>
  signTwitchToken(DEVELOPMENT_EXTENSION_SECRET, {
    opaqueUserId,
    channelId: CHANNEL,
    role: role as 'viewer',
    ...(twitchUserId ? { twitchUserId } : {}),
  });

async function call(bearer: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${web.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok)
    throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as { id: string; event: { signups: { player: string | null }[] } };
}

describe('display names on the broadcaster’s live dashboard, with a stand-in of the Twitch helper', () => {
  it("lists an event sign-up by survivor and the owner's Twitch display name, and a viewer who did not share by survivor only", async () => {
    twitch.addUser('70001', 'Ash_Streams');
    const caster = await token('Ulivecaster', 'broadcaster', '4242');
    const ash = await token('Uliveash', 'viewer', '70001');
    const cedar = await token('Ulivecedar', 'viewer');
    const event = await call(caster, 'POST', '/v1/events', {
      kind: 'horde_night',
      location: 'flooded-mall',
      difficulty: 1,
      signupSeconds: 600,
    });
    for (const [bearer, name] of [
      [ash, 'Ash'],
      [cedar, 'Cedar'],
    ] as const) {
      const { id } = await call(bearer, 'POST', '/v1/survivors', { name });
      await call(bearer, 'POST', `/v1/events/${event.id}/join`, { survivorId: id });
    }
    // The refresher asks Twitch in the background (every 5 s); a name fetched after the join's own answer
    // showed none appears once the API's 30 s memory of names runs out.
    await eventually(
      async () =>
        (await call(caster, 'GET', '/v1/events/current')).event.signups[0]?.player === 'Ash_Streams',
      "Ash's name fetched",
      NAME_SHOWN_MS,
      500,
    );

    const context = await web.context({ width: 640, height: 900 });
    await installTwitchHelper(
      context,
      twitch,
      { token: caster, opaqueUserId: 'Ulivecaster', twitchUserId: '4242', channelId: CHANNEL },
      () => 1,
    );
    const page = await context.newPage();
    await page.goto(`${web.url}/live-config.html?platform=web&anchor=dashboard&mode=dashboard`);
    const signups = page.locator('[data-testid=event-signups] li');
    await expect.poll(() => signups.allInnerTexts(), SEEN).toHaveLength(2);
    const texts = (await signups.allInnerTexts()).map((t) => t.replace(/\s*Remove$/, '').trim());
    expect(texts).toEqual(['Ash · Ash_Streams', 'Cedar']);
    await shot(page, 'issue17-live-signup-display-names');
    await call(caster, 'POST', `/v1/events/${event.id}/cancel`);
    await context.close();
  }, 120_000);
});
