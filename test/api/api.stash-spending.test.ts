import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/index.js';
import { redrawnPerkOffers } from '../../src/game/index.js';
import { type ApiFixture, type Backend, type Caller, openApiFixture } from './api-fixture.js';

const MINUTE_MS = 60_000;
const prices = loadContent().rules.prices;

describe.each<Backend>(['real', 'embedded'])('spending stash supplies on the %s stores', (backend) => {
  let f: ApiFixture;
  beforeAll(async () => {
    f = await openApiFixture(backend);
  });
  afterAll(async () => {
    await f?.close();
  });

  /** A viewer with `names.length` survivors and `supplies` in the stash. */
  async function player(supplies: number, names = ['Ada']): Promise<{ v: Caller; ids: string[] }> {
    const v = await f.viewer();
    const ids: string[] = [];
    for (const name of names) ids.push((await f.call(v, 'POST', '/v1/survivors', { name })).json().id);
    await f.db.query(
      `INSERT INTO stashes (user_id, supplies) SELECT user_id, $2 FROM survivors WHERE id = $1`,
      [ids[0], supplies],
    );
    return { v, ids };
  }
  const spend = (v: Caller, purchase: string, survivorId: string) =>
    f.call(v, 'POST', '/v1/stash/spend', { purchase, survivorId });
  const suppliesOf = async (v: Caller) => (await f.call(v, 'GET', '/v1/stash')).json().supplies as number;
  const row = async (id: string) =>
    (
      await f.db.query<{ state: string; health: number; offer_rerolls: number; perk_offers: string[] }>(
        'SELECT state, health, offer_rerolls, perk_offers FROM survivors WHERE id = $1',
        [id],
      )
    ).rows[0]!;

  it('shows an empty stash with the prices from the content', async () => {
    const v = await f.viewer();
    const stash = await f.call(v, 'GET', '/v1/stash');
    expect(stash.statusCode).toBe(200);
    expect(stash.json()).toEqual({ supplies: 0, items: [], prices, maxCarried: 2 });
  });

  it('ends a recovery now for its price per started minute left, once', async () => {
    const { v, ids } = await player(100);
    // 9.5 minutes left are 10 started minutes.
    await f.db.query(
      `UPDATE survivors SET state = 'recovering', health = 3,
              state_until = now() + make_interval(secs => $2::float8) WHERE id = $1`,
      [ids[0], (9.5 * MINUTE_MS) / 1000],
    );
    const bought = await spend(v, 'recover', ids[0]!);
    expect(bought.statusCode).toBe(200);
    const price = 10 * prices.recoverPerMinute;
    expect(bought.json()).toMatchObject({
      spent: price,
      survivor: { id: ids[0], state: 'idle', stateUntil: null },
      stash: { supplies: 100 - price },
    });
    expect(bought.json().survivor.health).toBe(bought.json().survivor.maxHealth);
    const again = await spend(v, 'recover', ids[0]!);
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('not_recovering');
    expect(await suppliesOf(v)).toBe(100 - price);
  });

  it('refuses a purchase the stash cannot pay with 409, saying what it needs, and changes nothing', async () => {
    const { v, ids } = await player(5);
    await f.db.query(
      `UPDATE survivors SET state = 'recovering', health = 3, state_until = now() + interval '20 minutes'
        WHERE id = $1`,
      [ids[0]],
    );
    const before = await row(ids[0]!);
    const refused = await spend(v, 'recover', ids[0]!);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({
      code: 'not_enough_supplies',
      needed: 20 * prices.recoverPerMinute,
      have: 5,
    });
    expect(await row(ids[0]!)).toEqual(before);
    expect(await suppliesOf(v)).toBe(5);
  });

  it('revives a fallen survivor, but never a retired one nor past the living-survivor limit', async () => {
    const { v, ids } = await player(prices.revive * 3, ['Ada', 'Bo', 'Cy']);
    await f.db.query(`UPDATE survivors SET state = 'dead', health = 0, died_at = now() WHERE id = $1`, [
      ids[0],
    ]);
    const revived = await spend(v, 'revive', ids[0]!);
    expect(revived.statusCode).toBe(200);
    expect(revived.json()).toMatchObject({ spent: prices.revive, survivor: { state: 'idle' } });
    expect(revived.json().survivor.health).toBe(revived.json().survivor.maxHealth);

    await f.call(v, 'POST', `/v1/survivors/${ids[1]}/retire`, { confirm: true });
    const retired = await spend(v, 'revive', ids[1]!);
    expect(retired.json()).toMatchObject({ code: 'not_revivable' });

    // Cy falls and two new survivors fill the roster: reviving Cy would make four living.
    await f.db.query(`UPDATE survivors SET state = 'dead', died_at = now() WHERE id = $1`, [ids[2]]);
    for (const name of ['Dee', 'Eve'])
      expect((await f.call(v, 'POST', '/v1/survivors', { name })).statusCode).toBe(201);
    const full = await spend(v, 'revive', ids[2]!);
    expect(full.statusCode).toBe(409);
    expect(full.json().code).toBe('not_revivable');
    expect(JSON.stringify(full.json())).toMatch(/3 living/);
    expect(await suppliesOf(v)).toBe(prices.revive * 2);
  });

  it('redraws perk offers from a reproducible seed, only with a free slot', async () => {
    const { v, ids } = await player(prices.rerollOffers * 2);
    const before = await row(ids[0]!);
    const rerolled = await spend(v, 'reroll_offers', ids[0]!);
    expect(rerolled.statusCode).toBe(200);
    const survivor = rerolled.json().survivor;
    expect(survivor.perkOffers).toEqual(
      redrawnPerkOffers(
        { id: ids[0]!, level: 1, perks: [], perkOffers: before.perk_offers },
        1,
        loadContent(),
      ),
    );
    expect(survivor.perkOffers).toHaveLength(loadContent().rules.perkOffers);
    expect((await row(ids[0]!)).offer_rerolls).toBe(1);

    await f.db.query(`UPDATE survivors SET perks = '{scavenger,sprinter}' WHERE id = $1`, [ids[0]]);
    const full = await spend(v, 'reroll_offers', ids[0]!);
    expect(full.json().code).toBe('no_free_perk_slot');
    expect(await suppliesOf(v)).toBe(prices.rerollOffers);
  });

  it('never overspends, however many purchases race', async () => {
    const affordable = 6;
    const { v, ids } = await player(prices.rerollOffers * affordable + prices.rerollOffers - 1, [
      'Ada',
      'Bo',
      'Cy',
    ]);
    // Spread over three survivors, so that no survivor's row lock lines the purchases up.
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) => spend(v, 'reroll_offers', ids[i % ids.length]!)),
    );
    const codes = answers.map((a) => (a.statusCode === 200 ? 'ok' : a.json().code)).sort();
    expect(codes).toEqual([
      ...Array(12 - affordable).fill('not_enough_supplies'),
      ...Array(affordable).fill('ok'),
    ]);
    expect(await suppliesOf(v)).toBe(prices.rerollOffers - 1);
    const { rows } = await f.db.query<{ n: number }>(
      'SELECT sum(offer_rerolls)::int AS n FROM survivors WHERE id = ANY($1::bigint[])',
      [ids],
    );
    expect(rows[0]!.n).toBe(affordable);
  });

  it('revives only one of three fallen survivors at once when the roster has room for one', async () => {
    const { v, ids } = await player(prices.revive * 3, ['Ada', 'Bo', 'Cy']);
    await f.db.query(`UPDATE survivors SET state = 'dead', died_at = now() WHERE id = ANY($1::bigint[])`, [
      ids,
    ]);
    for (const name of ['Dee', 'Eve'])
      expect((await f.call(v, 'POST', '/v1/survivors', { name })).statusCode).toBe(201);
    const answers = await Promise.all(ids.map((id) => spend(v, 'revive', id)));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 409, 409]);
    expect(await suppliesOf(v)).toBe(prices.revive * 2);
  });

  it('refuses another viewer’s survivor and an unknown purchase', async () => {
    const { ids } = await player(1000);
    const other = await f.viewer();
    expect((await spend(other, 'reroll_offers', ids[0]!)).json().code).toBe('survivor_not_found');
    const unknown = await spend(other, 'feast', ids[0]!);
    expect(unknown.statusCode).toBe(400);
    expect(JSON.stringify(unknown.json())).toContain('body.purchase');
  });
});
