import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { bitsGrantShownIn } from '../../src/twitch/bits-grant-shown.js';
import { reconcileBits } from '../../src/twitch/bits-reconcile.js';
import { twitchApiFor } from '../../src/twitch/twitch-api.js';
import { type ApiFixture, type Backend, openApiFixture } from '../api/api-fixture.js';
import { eventually } from '../support/services.js';
import { STAND_IN_DEFAULTS, standInEnv, TwitchStandIn } from '../support/twitch-stand-in.js';

/** Past the API process's own memory of a name (30 s): what it shows then comes from Redis. */
const PAST_PROCESS_MEMORY_MS = 31_000;

describe.each<Backend>(['real', 'embedded'])(
  'a title granted by holdout bits reconcile shows at once on the %s stores',
  (backend) => {
    let f: ApiFixture;
    let standIn: TwitchStandIn;
    let offset = 0;

    beforeAll(async () => {
      standIn = await new TwitchStandIn(STAND_IN_DEFAULTS).start();
      f = await openApiFixture(backend, standInEnv(standIn), { clock: () => Date.now() + offset });
    });
    afterAll(async () => {
      await f?.close();
      await standIn?.stop();
    });

    it('drops the cached name of the buyer and tells the channel, so a lobby shows the title without waiting out the cache', async () => {
      const channelId = '6300';
      const ash = await f.viewer({ channelId, twitchUserId: '63001' });
      const cedar = await f.viewer({ channelId });
      const survivorId = (await f.call(ash, 'POST', '/v1/survivors', { name: 'Ash' })).json().id;
      const lobby = (
        await f.call(ash, 'POST', '/v1/lobbies', { survivorId, location: 'maple-row-suburbs', difficulty: 1 })
      ).json();
      // Cedar sees the lobby: Ash's name (no title) is now cached in Redis for an hour.
      const before = (await f.call(cedar, 'GET', `/v1/lobbies/${lobby.id}`)).json();
      expect(before.members[0].playerTitle).toBeNull();

      // Ash bought a title, but the receipt never reached Holdout (the panel closed).
      await standIn.purchase({ userId: '63001', channelId, sku: 'title_last_light', bits: 50 });
      const api = twitchApiFor(loadConfig({ NODE_ENV: 'test', ...standInEnv(standIn) }));
      const pubsubBefore = standIn.pubsub.length;
      const report = await reconcileBits(api, f.db, bitsGrantShownIn(f.store, f.store.broadcasts));
      expect(report.fulfilledNow).toHaveLength(1);

      offset += PAST_PROCESS_MEMORY_MS;
      const after = (await f.call(cedar, 'GET', `/v1/lobbies/${lobby.id}`)).json();
      expect(after.members[0].playerTitle).toBe('Last Light');
      // The channel's panels are told to poll (a channel-wide change, sent by the process's sender).
      await eventually(
        () =>
          standIn.pubsub
            .slice(pubsubBefore)
            .some((r) => r.channelId === channelId && JSON.parse(r.message).channel === true),
        'a channel notice',
      );
    });
  },
);
