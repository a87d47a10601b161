import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signTwitchToken } from '../../src/api/auth/twitch-jwt.js';
import { fulfilReceipt } from '../../src/twitch/bits-fulfilment.js';
import { type ApiFixture, type Backend, type Caller, openApiFixture } from '../api/api-fixture.js';
import { STAND_IN_DEFAULTS, standInEnv, TwitchStandIn } from '../support/twitch-stand-in.js';

let twitchIds = 5_000;

describe.each<Backend>(['real', 'embedded'])('Bits purchases on the %s stores', (backend) => {
  let f: ApiFixture;
  let standIn: TwitchStandIn;
  beforeAll(async () => {
    standIn = await new TwitchStandIn(STAND_IN_DEFAULTS).start();
    f = await openApiFixture(backend, standInEnv(standIn));
  });
  afterAll(async () => {
    await f?.close();
    await standIn?.stop();
  });

  /** A viewer who shared their identity (the token carries their Twitch user id). */
  async function buyer(): Promise<Caller & { twitchUserId: string }> {
    const twitchUserId = String(++twitchIds);
    const opaqueUserId = `Ubits${process.pid}x${twitchUserId}`;
    const token = await signTwitchToken(STAND_IN_DEFAULTS.extensionSecret, {
      opaqueUserId,
      channelId: '6000',
      role: 'viewer',
      twitchUserId,
    });
    return { opaqueUserId, token, channelId: '6000', twitchUserId };
  }

  async function fallenSurvivor(v: Caller): Promise<string> {
    const id = (await f.call(v, 'POST', '/v1/survivors', { name: 'Fallen' })).json().id as string;
    await f.db.query(`UPDATE survivors SET state = 'dead', died_at = now(), health = 0 WHERE id = $1`, [id]);
    return id;
  }

  const stateOf = async (survivorId: string) =>
    (await f.db.query<{ state: string }>('SELECT state FROM survivors WHERE id = $1', [survivorId])).rows[0]!
      .state;
  const recorded = async (transactionId: string) =>
    (await f.db.query('SELECT 1 FROM bits_transactions WHERE transaction_id = $1', [transactionId])).rowCount;

  it('lists the products, none of which buys leaderboard power', async () => {
    const v = await buyer();
    const { products } = (await f.call(v, 'GET', '/v1/bits/products')).json();
    expect(products.map((p: { sku: string }) => p.sku)).toEqual(
      expect.arrayContaining(['revive_survivor', 'supply_drop', 'title_last_light']),
    );
  });

  it('revives a fallen survivor once, and a second copy of the receipt changes nothing', async () => {
    const v = await buyer();
    const survivorId = await fallenSurvivor(v);
    const { transactionId, receipt } = await standIn.purchase({
      userId: v.twitchUserId,
      channelId: '6000',
      sku: 'revive_survivor',
      bits: 100,
    });
    const first = await f.call(v, 'POST', '/v1/bits/transactions', { receipt, target: { survivorId } });
    expect(first.json()).toEqual({
      transactionId,
      sku: 'revive_survivor',
      status: 'fulfilled',
      reason: null,
      duplicate: false,
    });
    expect(await stateOf(survivorId)).toBe('idle');
    // It falls again; the same receipt arriving again must not bring it back a second time.
    await f.db.query(`UPDATE survivors SET state = 'dead' WHERE id = $1`, [survivorId]);
    const again = await f.call(v, 'POST', '/v1/bits/transactions', { receipt, target: { survivorId } });
    expect(again.statusCode).toBe(200);
    expect(again.json().duplicate).toBe(true);
    expect(await stateOf(survivorId)).toBe('dead');
  });

  it('fulfils a receipt sent from many instances at once exactly once', async () => {
    const v = await buyer();
    const survivorId = await fallenSurvivor(v);
    const { receipt } = await standIn.purchase({
      userId: v.twitchUserId,
      channelId: '6000',
      sku: 'revive_survivor',
      bits: 100,
    });
    const answers = await Promise.all(
      Array.from({ length: 6 }, () =>
        f.call(v, 'POST', '/v1/bits/transactions', { receipt, target: { survivorId } }),
      ),
    );
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(answers.filter((a) => a.json().duplicate === false)).toHaveLength(1);
    expect(answers.every((a) => a.json().status === 'fulfilled')).toBe(true);
  });

  it('after a crash between recording and fulfilling, the receipt sent again is fulfilled once', async () => {
    const v = await buyer();
    const userId = await f.runtime.db
      .query<{ id: string }>('SELECT id::text FROM users WHERE opaque_user_id = $1', [v.opaqueUserId])
      .then((r) => r.rows[0]?.id);
    const survivorId = await fallenSurvivor(v);
    const { transactionId, receipt } = await standIn.purchase({
      userId: v.twitchUserId,
      channelId: '6000',
      sku: 'revive_survivor',
      bits: 100,
    });
    const deps = {
      db: f.db,
      extensionSecret: STAND_IN_DEFAULTS.extensionSecret,
      clientId: STAND_IN_DEFAULTS.clientId,
    };
    const submission = {
      receipt,
      target: { survivorId },
      userId: userId!,
      twitchUserId: v.twitchUserId,
      channelId: '6000',
    };
    await expect(
      fulfilReceipt(deps, submission, {
        afterRecord: async () => {
          throw new Error('the process died here');
        },
      }),
    ).rejects.toThrow('the process died here');
    expect(await recorded(transactionId)).toBe(0);
    expect(await stateOf(survivorId)).toBe('dead');
    const retried = await f.call(v, 'POST', '/v1/bits/transactions', { receipt, target: { survivorId } });
    expect(retried.json()).toMatchObject({ status: 'fulfilled', duplicate: false });
    expect(await stateOf(survivorId)).toBe('idle');
  });

  it('refuses a forged receipt, a wrong cost, an unknown product and another viewer’s receipt, recording nothing', async () => {
    const v = await buyer();
    const other = await buyer();
    const forger = new TwitchStandIn({
      ...STAND_IN_DEFAULTS,
      extensionSecret: Buffer.from('not-the-extension-secret').toString('base64'),
    });
    const cases = [
      [
        await forger.purchase({
          userId: v.twitchUserId,
          channelId: '6000',
          sku: 'title_last_light',
          bits: 50,
        }),
        400,
        'invalid_receipt',
      ],
      [
        await standIn.purchase({
          userId: v.twitchUserId,
          channelId: '6000',
          sku: 'title_last_light',
          bits: 1,
        }),
        400,
        'product_mismatch',
      ],
      [
        await standIn.purchase({ userId: v.twitchUserId, channelId: '6000', sku: 'max_level_now', bits: 50 }),
        400,
        'product_mismatch',
      ],
      [
        await standIn.purchase({
          userId: other.twitchUserId,
          channelId: '6000',
          sku: 'title_last_light',
          bits: 50,
        }),
        403,
        'receipt_not_yours',
      ],
    ] as const;
    for (const [{ transactionId, receipt }, status, code] of cases) {
      const answer = await f.call(v, 'POST', '/v1/bits/transactions', { receipt });
      expect(answer.statusCode, code).toBe(status);
      expect(answer.json().code).toBe(code);
      expect(await recorded(transactionId)).toBe(0);
    }
  });

  it('gives a cosmetic title, and records a revive that cannot apply as failed without retrying it', async () => {
    const v = await buyer();
    const title = await standIn.purchase({
      userId: v.twitchUserId,
      channelId: '6000',
      sku: 'title_road_warden',
      bits: 50,
    });
    expect((await f.call(v, 'POST', '/v1/bits/transactions', { receipt: title.receipt })).json().status).toBe(
      'fulfilled',
    );
    const titles = await f.db.query<{ title: string }>('SELECT title FROM users WHERE opaque_user_id = $1', [
      v.opaqueUserId,
    ]);
    expect(titles.rows[0]!.title).toBe('Road Warden');
    const alive = (await f.call(v, 'POST', '/v1/survivors', { name: 'Alive' })).json().id as string;
    const revive = await standIn.purchase({
      userId: v.twitchUserId,
      channelId: '6000',
      sku: 'revive_survivor',
      bits: 100,
    });
    const answer = (
      await f.call(v, 'POST', '/v1/bits/transactions', {
        receipt: revive.receipt,
        target: { survivorId: alive },
      })
    ).json();
    expect(answer).toMatchObject({ status: 'failed', duplicate: false });
    expect(answer.reason).toMatch(/cannot be revived: it is idle/);
  });
});
