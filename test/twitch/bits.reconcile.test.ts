import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { migrate } from '../../src/durable/migrator.js';
import { ensureUser } from '../../src/durable/users.js';
import { fulfilReceipt } from '../../src/twitch/bits-fulfilment.js';
import type { BitsGrantShown } from '../../src/twitch/bits-grant-shown.js';
import { reconcileBits } from '../../src/twitch/bits-reconcile.js';
import { twitchApiFor } from '../../src/twitch/twitch-api.js';
import { openTestPgDatabase } from '../support/services.js';
import { STAND_IN_DEFAULTS, standInEnv, TwitchStandIn } from '../support/twitch-stand-in.js';

describe('holdout bits reconcile against Helix Get Extension Transactions', () => {
  let standIn: TwitchStandIn;
  let db: Awaited<ReturnType<typeof openTestPgDatabase>>;
  beforeAll(async () => {
    standIn = await new TwitchStandIn(STAND_IN_DEFAULTS).start();
    db = await openTestPgDatabase();
    await migrate(db);
  });
  afterAll(async () => {
    await db?.close();
    await standIn?.stop();
  });

  it('fulfils lost receipts that need no choice, lists the rest, and a second run does nothing again', async () => {
    const user = await ensureUser(db, 'Ureconcile', '7001');
    const api = twitchApiFor(loadConfig({ NODE_ENV: 'test', ...standInEnv(standIn) }));
    const deps = {
      db,
      extensionSecret: STAND_IN_DEFAULTS.extensionSecret,
      clientId: STAND_IN_DEFAULTS.clientId,
    };
    const arrived = await standIn.purchase({
      userId: '7001',
      channelId: '6100',
      sku: 'title_last_light',
      bits: 50,
    });
    await fulfilReceipt(deps, {
      receipt: arrived.receipt,
      target: {},
      userId: user.id,
      twitchUserId: '7001',
      channelId: '6100',
    });
    // 101 titles whose receipts never came: more than one page of Helix's answer.
    const lost: string[] = [];
    for (let i = 0; i < 101; i++) {
      lost.push(
        (await standIn.purchase({ userId: '7001', channelId: '6100', sku: 'title_road_warden', bits: 50 }))
          .transactionId,
      );
    }
    const revive = await standIn.purchase({
      userId: '7001',
      channelId: '6100',
      sku: 'revive_survivor',
      bits: 100,
    });
    const odd = await standIn.purchase({
      userId: '7001',
      channelId: '6100',
      sku: 'title_last_light',
      bits: 5,
    });

    const forgotten: string[][] = [];
    const announced: string[] = [];
    const shown: BitsGrantShown = {
      forget: async (userIds) => void forgotten.push([...userIds]),
      announce: async (channelId) => void announced.push(channelId),
    };
    const report = await reconcileBits(api, db, shown);
    expect(report.seen).toBe(104);
    expect(report.recorded).toBe(1);
    expect(report.fulfilledNow.sort()).toEqual([...lost].sort());
    expect(report.awaitingReceipt).toEqual([
      { transactionId: revive.transactionId, sku: 'revive_survivor', twitchUserId: '7001' },
    ]);
    expect(report.mismatched.map((m) => m.transactionId)).toEqual([odd.transactionId]);
    expect(standIn.calls.get('GET /helix/extensions/transactions')).toBe(2);
    // Each grant drops its buyer's cached views and tells the channel's panels.
    expect(forgotten).toEqual(lost.map(() => [user.id]));
    expect(announced).toEqual(lost.map(() => '6100'));

    const again = await reconcileBits(api, db, shown);
    expect(again.recorded).toBe(102);
    expect(again.fulfilledNow).toEqual([]);
    expect(forgotten).toHaveLength(lost.length);
  });
});
