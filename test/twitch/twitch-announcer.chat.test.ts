import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { updateChannelSettings } from '../../src/durable/channels.js';
import { createLogger } from '../../src/logger.js';
import { TwitchAnnouncer } from '../../src/twitch/twitch-announcer.js';
import { twitchApiFor } from '../../src/twitch/twitch-api.js';
import { type ApiFixture, openApiFixture } from '../api/api-fixture.js';
import { STAND_IN_DEFAULTS, standInEnv, TwitchStandIn } from '../support/twitch-stand-in.js';

const event = { eventId: '1', kind: 'horde_night' as const, location: 'flooded-mall', difficulty: 3 };

describe('channel events announced on Twitch', () => {
  let f: ApiFixture;
  let standIn: TwitchStandIn;
  let announcer: TwitchAnnouncer;
  beforeAll(async () => {
    standIn = await new TwitchStandIn(STAND_IN_DEFAULTS).start();
    f = await openApiFixture('real', standInEnv(standIn));
    announcer = new TwitchAnnouncer({
      api: twitchApiFor(loadConfig({ NODE_ENV: 'test', ...standInEnv(standIn) })),
      db: f.db,
      store: f.store,
      broadcasts: f.store.broadcasts,
      logger: createLogger('silent'),
    });
  });
  afterAll(async () => {
    await f?.close();
    await standIn?.stop();
  });

  it('posts the start and the result in chat, and tells the panels by PubSub', async () => {
    await announcer.eventStarted({
      ...event,
      channelId: '8001',
      signupEndsAt: Date.UTC(2026, 0, 1, 20, 30),
      goal: 100,
    });
    await announcer.eventEnded({
      ...event,
      channelId: '8001',
      outcome: 'succeeded',
      progress: 120,
      goal: 100,
      participants: 7,
      top: [{ userId: '1', survivorName: 'Ada', contribution: 40 }],
    });
    expect(standIn.chat.map((c) => c.text)).toEqual([
      'Horde night at flooded-mall (difficulty 3)! Send a survivor from the Holdout panel before 20:30 UTC.',
      'Horde night at flooded-mall was held: 120/100 with 7 survivors. Top survivor: Ada.',
    ]);
    const due = await f.store.broadcasts.due(Date.now(), 10);
    const sent = standIn.pubsub.filter((p) => p.channelId === '8001');
    expect(due.includes('8001') || sent.length > 0).toBe(true);
  });

  it('keeps quiet in chat when the broadcaster switched chat messages off', async () => {
    await updateChannelSettings(f.db, '8002', { chatMessagesEnabled: false });
    await announcer.eventStarted({ ...event, channelId: '8002', signupEndsAt: Date.now(), goal: 100 });
    expect(standIn.chat.filter((c) => c.channelId === '8002')).toEqual([]);
  });

  it('posts at most one highlight per cooldown per channel', async () => {
    const highlight = { ...event, channelId: '8003', userId: '1', survivorName: 'Ada' };
    await announcer.eventHighlight({ ...highlight, text: 'Ada holds the gate alone!' });
    await announcer.eventHighlight({ ...highlight, text: 'Ada falls back.' });
    expect(standIn.chat.filter((c) => c.channelId === '8003').map((c) => c.text)).toEqual([
      'Ada holds the gate alone!',
    ]);
  });
});
