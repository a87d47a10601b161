import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/index.js';
import { openPanel, PANEL, pageOverflow, shot, webFixtureWithDatabase } from './web-fixture.js';

/*
 * Issue 15's roster states in a real browser: a fallen survivor revived for stash supplies (and the
 * Revive refused while the stash is short), new perk offers bought for supplies, a retired survivor
 * shown as retired and never as fallen, and the ★ of an offered perk explained on the page. Each is
 * checked in the panel and, where it spends supplies, in Postgres.
 */

/** Panels poll every 2–5 s when no tick is due. */
const POLL = { timeout: 12_000, interval: 100 };
const content = loadContent();
const { prices } = content.rules;

const fixture = webFixtureWithDatabase();

/** A survivor of `viewer`'s, made through the API (the panel's own recruit is tested elsewhere). */
async function recruitFor(viewer: string, name: string): Promise<string> {
  const token = await fixture.web.token(viewer);
  const created = await fetch(`${fixture.web.url}/v1/survivors`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  });
  expect(created.status).toBe(201);
  return ((await created.json()) as { id: string }).id;
}

/** Fell on a mission: dead, not retired. */
const fall = (survivorId: string) =>
  fixture.db.query(`UPDATE survivors SET state = 'dead', health = 0, died_at = now() WHERE id = $1`, [
    survivorId,
  ]);

const fillStash = (survivorId: string, supplies: number) =>
  fixture.db.query(
    `INSERT INTO stashes (user_id, supplies) SELECT user_id, $2 FROM survivors WHERE id = $1
       ON CONFLICT (user_id) DO UPDATE SET supplies = EXCLUDED.supplies`,
    [survivorId, supplies],
  );

async function suppliesOf(survivorId: string): Promise<number> {
  const { rows } = await fixture.db.query<{ supplies: number }>(
    'SELECT st.supplies FROM survivors s JOIN stashes st USING (user_id) WHERE s.id = $1',
    [survivorId],
  );
  return rows[0]!.supplies;
}

const stashSupplies = (page: Page) => page.locator('[data-testid=stash-supplies]').textContent();

describe('the roster’s states in the panel', () => {
  it('revives a fallen survivor for supplies, and refuses the next revive while the stash is short', async () => {
    const nia = await recruitFor('Urevive1', 'Nia');
    const ode = await recruitFor('Urevive1', 'Ode');
    await fall(nia);
    await fall(ode);
    const start = prices.revive + 20;
    await fillStash(nia, start);

    const page = await openPanel(fixture.web, 'Urevive1');
    const fallen = page.locator('[data-testid=fallen-list]');
    const niaLine = fallen.locator('[data-testid=fallen]', { hasText: 'Nia' });
    await niaLine.waitFor(POLL);
    await expect.poll(() => stashSupplies(page), POLL).toBe(String(start));
    expect(await fallen.locator('[data-testid=fallen-heading]').textContent()).toBe('Fallen:');
    const revive = niaLine.locator('[data-testid=buy-revive]');
    expect(await revive.textContent()).toBe(`Revive\u00a0·\u00a0${prices.revive}`);
    expect(await revive.isEnabled()).toBe(true);
    expect(await pageOverflow(page)).toEqual(PANEL);
    await shot(page, 'issue15-revive');

    await revive.click();
    // Nia is back among the living, idle and healed; the stash paid for it.
    const card = page.locator('[data-testid=survivor]', { hasText: 'Nia' });
    await card.waitFor(POLL);
    await expect.poll(() => card.locator('[data-testid=state]').textContent(), POLL).toBe('Idle');
    await expect.poll(() => stashSupplies(page), POLL).toBe('20');
    expect(await niaLine.count()).toBe(0);
    const { rows } = await fixture.db.query<{ state: string; health: number; max_health: number }>(
      'SELECT state, health, max_health FROM survivors WHERE id = $1',
      [nia],
    );
    expect(rows[0]).toMatchObject({ state: 'idle' });
    expect(rows[0]!.health).toBe(rows[0]!.max_health);
    expect(await suppliesOf(nia)).toBe(20);

    // 20 supplies do not pay for Ode: the button is greyed out and says why, and nothing is spent.
    const odeRevive = fallen
      .locator('[data-testid=fallen]', { hasText: 'Ode' })
      .locator('[data-testid=buy-revive]');
    expect(await odeRevive.isDisabled()).toBe(true);
    expect(await odeRevive.getAttribute('title')).toBe(
      `Reviving Ode costs ${prices.revive} supplies; your stash holds 20`,
    );
    expect(await pageOverflow(page)).toEqual(PANEL);
    await shot(page, 'issue15-revived');
    const { rows: ode1 } = await fixture.db.query<{ state: string }>(
      'SELECT state FROM survivors WHERE id = $1',
      [ode],
    );
    expect(ode1[0]!.state).toBe('dead');
    expect(await suppliesOf(ode)).toBe(20);
    await page.context().close();
  }, 60_000);

  it('buys new perk offers for supplies: the stash pays, and the offers the survivor may take change', async () => {
    const ivo = await recruitFor('Ureroll1', 'Ivo');
    const start = prices.rerollOffers + 5;
    await fillStash(ivo, start);
    const before = (
      await fixture.db.query<{ perk_offers: string[] }>('SELECT perk_offers FROM survivors WHERE id = $1', [
        ivo,
      ])
    ).rows[0]!.perk_offers;

    const page = await openPanel(fixture.web, 'Ureroll1');
    const card = page.locator('[data-testid=survivor]', { hasText: 'Ivo' });
    await card.waitFor(POLL);
    await expect.poll(() => stashSupplies(page), POLL).toBe(String(start));
    const reroll = card.locator('[data-testid=buy-reroll_offers]');
    expect(await reroll.textContent()).toBe(`New offers\u00a0·\u00a0${prices.rerollOffers}`);
    await reroll.click();
    await expect.poll(() => stashSupplies(page), POLL).toBe('5');
    expect(await suppliesOf(ivo)).toBe(5);
    const after = (
      await fixture.db.query<{ perk_offers: string[] }>('SELECT perk_offers FROM survivors WHERE id = $1', [
        ivo,
      ])
    ).rows[0]!.perk_offers;
    expect(after.length).toBeGreaterThan(0);
    expect(after.filter((id) => before.includes(id))).toEqual([]);

    // The new offers are what the perk chooser lists, each marked ★.
    await card.locator('[data-testid=offer-hint]').waitFor(POLL);
    await card.getByRole('button', { name: /offered/ }).click();
    const options = await card.locator('.perk-chooser select option').allTextContents();
    expect([...options].sort()).toEqual(after.map((id) => `★ ${content.perks[id]!.name}`).sort());
    // With 5 supplies left, another redraw is refused by the button.
    await card.getByRole('button', { name: 'Cancel' }).click();
    expect(await reroll.isDisabled()).toBe(true);
    expect(await pageOverflow(page)).toEqual(PANEL);
    await shot(page, 'issue15-new-offers');
    await page.context().close();
  }, 60_000);

  it('shows a retired survivor as retired, apart from the fallen and without a revive', async () => {
    const tom = await recruitFor('Uretire1', 'Tom');
    const eve = await recruitFor('Uretire1', 'Eve');
    await fall(eve);
    await fillStash(tom, prices.revive * 2);
    const page = await openPanel(fixture.web, 'Uretire1');
    const card = page.locator('[data-testid=survivor]', { hasText: 'Tom' });
    await card.waitFor(POLL);
    await card.getByRole('button', { name: 'Retire' }).click();
    await card.locator('.confirm').waitFor();
    await card.getByRole('button', { name: 'Retire' }).click();

    const retired = page.locator('[data-testid=retired-list]');
    const tomLine = retired.locator('[data-testid=retired]', { hasText: 'Tom' });
    await tomLine.waitFor(POLL);
    expect(await retired.locator('[data-testid=retired-heading]').textContent()).toBe('Retired:');
    expect(await tomLine.textContent()).toBe('Tom (Lv\u00a01)');
    expect(await tomLine.locator('button').count()).toBe(0);
    // The fallen list holds Eve, who fell, and not Tom.
    const fallen = page.locator('[data-testid=fallen-list]');
    expect(await fallen.locator('[data-testid=fallen]').allTextContents()).toEqual([
      expect.stringMatching(/^Eve \(Lv\u00a01\)Revive/),
    ]);
    expect(await fallen.textContent()).not.toContain('Tom');
    expect(await pageOverflow(page)).toEqual(PANEL);
    await shot(page, 'issue15-retired');
    const { rows } = await fixture.db.query<{ state: string; retired: boolean }>(
      'SELECT state, retired_at IS NOT NULL AS retired FROM survivors WHERE id = $1',
      [tom],
    );
    expect(rows[0]).toEqual({ state: 'dead', retired: true });
    await page.context().close();
  }, 60_000);

  it('explains the ★ of an offered perk in words on the page, on the card and in the chooser', async () => {
    const ada = await recruitFor('Ustar1', 'Ada');
    const [perkId, perk] = Object.entries(content.perks)[0]!;
    await fixture.db.query('UPDATE survivors SET perk_offers = $2 WHERE id = $1', [ada, [perkId]]);
    const page = await openPanel(fixture.web, 'Ustar1');
    const card = page.locator('[data-testid=survivor]', { hasText: 'Ada' });
    const hint = card.locator('[data-testid=offer-hint]');
    await hint.waitFor(POLL);
    // The star never stands alone: the word beside it says what it marks.
    expect((await hint.textContent())?.trim()).toBe('★\u00a0offered');
    expect(await hint.isVisible()).toBe(true);

    await card.getByRole('button', { name: /offered/ }).click();
    expect(await card.locator('.perk-chooser select option').allTextContents()).toEqual([`★ ${perk.name}`]);
    const legend = card.locator('[data-testid=offer-legend]');
    expect(await legend.isVisible()).toBe(true);
    expect(await legend.textContent()).toBe('★ offered to Ada: a survivor takes only a perk it was offered.');
    expect(await pageOverflow(page)).toEqual(PANEL);
    await shot(page, 'issue15-offer-star');
    await page.context().close();
  }, 60_000);
});
