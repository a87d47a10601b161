import { describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/index.js';
import { openPanel, pageOverflow, shot, webFixtureWithDatabase } from './web-fixture.js';

/*
 * Issue 15's economy in a real browser: the stash on the roster, one purchase made from a survivor's
 * card (ending a recovery now) and an item carried on a mission, checked in the panel and in Postgres.
 */

/** Panels poll every 2–5 s when no tick is due. */
const POLL = { timeout: 12_000, interval: 100 };
const prices = loadContent().rules.prices;

const fixture = webFixtureWithDatabase();

describe('the stash in the panel', () => {
  it('shows the stash and ends a recovery for supplies from the survivor card', async () => {
    const token = await fixture.web.token('Ustash1');
    const created = await fetch(`${fixture.web.url}/v1/survivors`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Rin' }),
    });
    const survivorId = ((await created.json()) as { id: string }).id;
    // Back from a mission: hurt, resting 4.5 more minutes (5 started minutes), and with loot at home.
    await fixture.db.query(
      `UPDATE survivors SET state = 'recovering', health = 4, state_until = now() + interval '270 seconds'
        WHERE id = $1`,
      [survivorId],
    );
    await fixture.db.query(
      `INSERT INTO stashes (user_id, supplies) SELECT user_id, 50 FROM survivors WHERE id = $1`,
      [survivorId],
    );
    await fixture.db.query(
      `INSERT INTO stash_items (user_id, item_id, count) SELECT user_id, 'bandage-roll', 2 FROM survivors WHERE id = $1`,
      [survivorId],
    );

    const page = await openPanel(fixture.web, 'Ustash1');
    const stash = page.locator('[data-testid=stash]');
    await stash.waitFor(POLL);
    expect(await stash.textContent()).toMatch(/Stash: 50 supplies · Bandage roll\s×2/);
    const card = page.locator('[data-testid=survivor]', { hasText: 'Rin' });
    expect(await card.locator('[data-testid=state]').textContent()).toMatch(/^Recovering \d:\d\d$/);
    const rest = card.locator('[data-testid=buy-recover]');
    const price = 5 * prices.recoverPerMinute;
    expect(await rest.textContent()).toBe(`Rest now\u00a0·\u00a0${price}`);
    expect(await pageOverflow(page)).toEqual({ width: 318, height: 496 });
    await shot(page, 'stash-recovering');

    await rest.click();
    await expect.poll(() => card.locator('[data-testid=state]').textContent(), POLL).toBe('Idle');
    await expect
      .poll(() => page.locator('[data-testid=stash-supplies]').textContent(), POLL)
      .toBe(String(50 - price));
    // Idle with a free perk slot: new offers are for sale now, and the stash can pay for them.
    expect(await card.locator('[data-testid=buy-reroll_offers]').isEnabled()).toBe(true);
    await shot(page, 'stash-spent');

    const { rows } = await fixture.db.query<{
      supplies: number;
      state: string;
      health: number;
      max_health: number;
    }>(
      `SELECT st.supplies, s.state, s.health, s.max_health FROM survivors s JOIN stashes st USING (user_id)
        WHERE s.id = $1`,
      [survivorId],
    );
    expect(rows[0]).toMatchObject({ supplies: 50 - price, state: 'idle' });
    expect(rows[0]!.health).toBe(rows[0]!.max_health);

    // Rested, Rin sets out carrying one of the bandage rolls: it leaves the stash for the mission.
    await card.getByRole('button', { name: 'Send out' }).click();
    const carry = page.locator('[data-testid=carry]');
    await carry.waitFor();
    await carry.getByRole('button', { name: /Bandage roll/ }).click();
    expect(await carry.getByRole('button', { name: /Bandage roll/ }).getAttribute('aria-pressed')).toBe(
      'true',
    );
    expect(await pageOverflow(page)).toEqual({ width: 318, height: 496 });
    await shot(page, 'stash-carry');
    await page.getByRole('button', { name: 'Start solo mission' }).click();
    await page.locator('[data-testid=live-mission]').waitFor();
    const { rows: started } = await fixture.db.query<{ carry: string[]; left: number }>(
      `SELECT m.start_snapshot -> 'party' -> 0 -> 'carry' AS carry,
              (SELECT count FROM stash_items i WHERE i.user_id = p.user_id AND i.item_id = 'bandage-roll') AS left
         FROM missions m JOIN mission_participants p ON p.mission_id = m.id WHERE p.survivor_id = $1`,
      [survivorId],
    );
    expect(started).toEqual([{ carry: ['bandage-roll'], left: 1 }]);
    await page.context().close();
  }, 60_000);

  it("lets each lobby member choose stash items to carry, taken from that member's stash when the group starts", async () => {
    const recruit = async (viewer: string, name: string) => {
      const created = await fetch(`${fixture.web.url}/v1/survivors`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${await fixture.web.token(viewer)}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ name }),
      });
      return ((await created.json()) as { id: string }).id;
    };
    const kit = await recruit('Ulobbycarry1', 'Kit');
    const lou = await recruit('Ulobbycarry2', 'Lou');
    await fixture.db.query(
      `INSERT INTO stash_items (user_id, item_id, count) SELECT user_id, 'crowbar', 1 FROM survivors WHERE id = $1`,
      [kit],
    );
    const [first, second] = [
      await openPanel(fixture.web, 'Ulobbycarry1'),
      await openPanel(fixture.web, 'Ulobbycarry2'),
    ];
    await first.getByRole('tab', { name: 'Group' }).click();
    await first.getByRole('button', { name: 'Open lobby' }).click();
    const room = first.locator('[data-testid=lobby-room]');
    await room.waitFor(POLL);
    const carry = room.locator('[data-testid=carry]');
    await carry.getByRole('button', { name: /Crowbar/ }).click();
    await expect
      .poll(() => carry.getByRole('button', { name: /Crowbar/ }).getAttribute('aria-pressed'), POLL)
      .toBe('true');
    expect(await pageOverflow(first)).toEqual({ width: 318, height: 496 });
    await shot(first, 'lobby-carry');

    await second.getByRole('tab', { name: 'Group' }).click();
    await second
      .locator('[data-testid=open-lobby]', { hasText: 'Kit' })
      .getByRole('button', { name: 'Join' })
      .click();
    // The other member sees what Kit carries; Lou's stash is empty, so Lou is offered nothing.
    await second.locator('[data-testid=member-carry]', { hasText: 'carries crowbar' }).waitFor(POLL);
    expect(await second.locator('[data-testid=lobby-room] [data-testid=carry]').count()).toBe(0);
    for (const page of [first, second]) await page.getByRole('button', { name: "I'm ready" }).click();
    await expect.poll(() => first.getByRole('button', { name: 'Start' }).isEnabled(), POLL).toBe(true);
    await first.getByRole('button', { name: 'Start' }).click();
    await first.locator('[data-testid=live-mission]').waitFor(POLL);
    const { rows } = await fixture.db.query<{ party: { id: string; carry?: string[] }[]; left: number }>(
      `SELECT m.start_snapshot -> 'party' AS party,
              (SELECT count FROM stash_items i WHERE i.user_id = p.user_id AND i.item_id = 'crowbar') AS left
         FROM missions m JOIN mission_participants p ON p.mission_id = m.id WHERE p.survivor_id = $1`,
      [kit],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.party.find((m) => m.id === kit)!.carry).toEqual(['crowbar']);
    expect(rows[0]!.party.find((m) => m.id === lou)!.carry ?? []).toEqual([]);
    expect(rows[0]!.left).toBe(0);
    await first.context().close();
    await second.context().close();
  }, 60_000);
});
