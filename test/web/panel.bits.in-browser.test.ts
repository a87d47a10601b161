import { describe, expect, it } from 'vitest';
import { bitsCatalog } from '../../src/twitch/bits-catalog.js';
import { deleteKeysWithPrefix } from '../support/services.js';
import {
  developmentTwitch,
  type HelperViewer,
  installTwitchHelper,
  panelOnTwitchUrl,
  usedSkus,
} from './twitch-helper-stand-in.js';
import { shot, webFixtureWithDatabase } from './web-fixture.js';

/** Panels poll every few seconds when nothing is due; a purchase makes them poll at once. */
const POLL = { timeout: 15_000, interval: 100 };

/** Twitch's side of a purchase: it signs receipts with the extension secret `holdout serve` uses here. */
const twitch = developmentTwitch('1');

const fixture = webFixtureWithDatabase();

/** A viewer who shared their identity, with a development token that carries their Twitch id. */
async function viewerWithIdentity(opaqueUserId: string, twitchUserId: string): Promise<HelperViewer> {
  const response = await fetch(`${fixture.web.url}/dev/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ opaqueUserId, twitchUserId, role: 'viewer', channelId: '1000' }),
  });
  const { token } = (await response.json()) as { token: string };
  return { token, opaqueUserId, twitchUserId, channelId: '1000' };
}

/** Lets `survivorId` fall (as a mission can), and drops the cached rosters so the panel sees it. */
async function fall(survivorId: string): Promise<void> {
  await fixture.db.query(`UPDATE survivors SET state = 'dead', died_at = now(), health = 0 WHERE id = $1`, [
    survivorId,
  ]);
  await deleteKeysWithPrefix(`${fixture.web.prefix}viewer`);
}

describe('Bits in the panel, with a stand-in of the Twitch helper', () => {
  it('lists the products, buys a revive with useBits, and the receipt revives the survivor exactly once', async () => {
    const viewer = await viewerWithIdentity('Ubits1', '90001');
    const made = await fetch(`${fixture.web.url}/v1/survivors`, {
      method: 'POST',
      headers: { authorization: `Bearer ${viewer.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Phoenix' }),
    });
    const survivorId = ((await made.json()) as { id: string }).id;
    await fall(survivorId);

    const context = await fixture.web.context();
    await installTwitchHelper(context, twitch, viewer, (sku) => bitsCatalog().get(sku)!.bits);
    const page = await context.newPage();
    await page.goto(panelOnTwitchUrl(fixture.web.url));
    const shop = page.getByTestId('bits-shop');
    await shop.waitFor();
    expect(
      await shop.getByTestId('bits-product').evaluateAll((rows) => rows.map((r) => r.dataset.sku)),
    ).toEqual([...bitsCatalog().keys()]);
    const revive = shop.locator('[data-testid=bits-product][data-sku=revive_survivor]');
    await page.getByTestId('fallen').filter({ hasText: 'Phoenix' }).waitFor(POLL);
    await shot(page, 'bits-shop');

    await revive.getByRole('button', { name: '100 Bits' }).click();
    await expect
      .poll(() => shop.getByTestId('bits-message').textContent(), POLL)
      .toMatch(/^Revive a fallen survivor: done\. Thank you/);
    expect(await usedSkus(page)).toEqual(['revive_survivor']);
    // The revived survivor is back on the roster (the panel polled at once after the purchase).
    await page.locator('[data-testid=survivor]', { hasText: 'Phoenix' }).waitFor(POLL);
    await shot(page, 'bits-revived');
    const recorded = await fixture.db.query<{ status: string; sku: string; source: string }>(
      'SELECT status, sku, source FROM bits_transactions',
    );
    expect(recorded.rows).toEqual([{ status: 'fulfilled', sku: 'revive_survivor', source: 'receipt' }]);

    // Phoenix falls again; Twitch hands the same transaction to the panel a second time: nothing is
    // bought twice, and the panel says so.
    await fall(survivorId);
    await page.getByTestId('fallen').filter({ hasText: 'Phoenix' }).waitFor(POLL);
    await page.evaluate(() =>
      (
        window as unknown as { __twitchStandIn: { deliverAgain(i: number): void } }
      ).__twitchStandIn.deliverAgain(0),
    );
    await expect.poll(() => shop.getByTestId('bits-message').textContent(), POLL).toMatch(/already done/);
    expect((await fixture.db.query('SELECT 1 FROM bits_transactions')).rows).toHaveLength(1);
    const state = await fixture.db.query<{ state: string }>('SELECT state FROM survivors WHERE id = $1', [
      survivorId,
    ]);
    expect(state.rows[0]!.state).toBe('dead');
    await context.close();
  });
});
