import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { sendExtensionChat } from '../../src/twitch/extension-chat.js';
import { sendChannelBroadcast } from '../../src/twitch/extension-pubsub.js';
import { getUsers } from '../../src/twitch/get-users.js';
import { type TwitchApi, twitchApiFor } from '../../src/twitch/twitch-api.js';
import { HelixError, HelixRateLimitedError, HelixUnavailableError } from '../../src/twitch/twitch-errors.js';
import { STAND_IN_DEFAULTS, standInEnv, TwitchStandIn } from '../support/twitch-stand-in.js';

describe('the Helix client against the Twitch stand-in', () => {
  let standIn: TwitchStandIn;
  let api: TwitchApi;
  const waits: number[] = [];

  beforeEach(async () => {
    standIn = await new TwitchStandIn({ ...STAND_IN_DEFAULTS, chatPerMinute: 2 }).start();
    standIn.addUser('1001', 'Alice_Plays');
    standIn.addUser('1002', 'bob');
    waits.length = 0;
    api = twitchApiFor(loadConfig({ NODE_ENV: 'test', ...standInEnv(standIn) }), {
      // Waits are recorded and shortened: the test checks what the client waited for, not the clock.
      sleep: async (ms) => {
        waits.push(ms);
        await new Promise((r) => setTimeout(r, Math.min(ms, 20)));
      },
    });
  });
  afterEach(async () => {
    await standIn.stop();
  });

  it('gets an app access token once by client credentials and reads Get Users with it', async () => {
    const { users } = await getUsers(api, ['1001', '1002', '9999']);
    expect(users).toEqual([
      { id: '1001', login: 'alice_plays', displayName: 'Alice_Plays' },
      { id: '1002', login: 'bob', displayName: 'bob' },
    ]);
    await getUsers(api, ['1001']);
    expect(standIn.calls.get('POST /oauth2/token')).toBe(1);
    expect(api.helix.lastRateLimit?.limit).toBe(800);
    // Two points spent; the bucket refills 800 a minute, so a slow machine may have got one back.
    expect(api.helix.lastRateLimit?.remaining).toBeGreaterThanOrEqual(797);
    expect(api.helix.lastRateLimit?.remaining).toBeLessThan(800);
  });

  it('renews an app token Twitch no longer accepts (401) and retries once', async () => {
    await getUsers(api, ['1001']);
    standIn.revokeAppTokens();
    expect((await getUsers(api, ['1002'])).users).toHaveLength(1);
    expect(standIn.calls.get('POST /oauth2/token')).toBe(2);
    expect(standIn.calls.get('GET /helix/users')).toBe(3);
  });

  it('waits out a 429 until Ratelimit-Reset, then retries', async () => {
    standIn.failNext('/helix/users', 429);
    expect((await getUsers(api, ['1001'])).users).toHaveLength(1);
    expect(standIn.calls.get('GET /helix/users')).toBe(2);
    // The stand-in's injected 429 resets within about a second; the client waited for that, not blindly.
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThan(0);
    expect(waits[0]).toBeLessThanOrEqual(2_000);
  });

  it('retries 5xx answers with back-off and gives up after its retries', async () => {
    standIn.failNext('/helix/users', 503, 2);
    expect((await getUsers(api, ['1001'])).users).toHaveLength(1);
    expect(waits).toHaveLength(2);
    expect(waits[1]!).toBeGreaterThan(waits[0]!);
    standIn.failNext('/helix/users', 500, 10);
    await expect(getUsers(api, ['1001'])).rejects.toBeInstanceOf(HelixUnavailableError);
    expect(standIn.calls.get('GET /helix/users')).toBe(3 + 4);
  });

  it('does not retry a 400: the request itself is wrong', async () => {
    const ids = Array.from({ length: 100 }, (_, i) => String(i + 1));
    standIn.failNext('/helix/users', 400);
    await expect(getUsers(api, ids)).rejects.toBeInstanceOf(HelixError);
    expect(standIn.calls.get('GET /helix/users')).toBe(1);
    await expect(getUsers(api, [...ids, '101'])).rejects.toBeInstanceOf(RangeError);
  });

  it('sends a PubSub broadcast with an EBS token Twitch accepts, and refuses a message over 5 KB', async () => {
    await sendChannelBroadcast(api, '555', '{"v":1,"missions":["1"]}');
    expect(standIn.pubsub).toEqual([
      expect.objectContaining({ channelId: '555', message: '{"v":1,"missions":["1"]}' }),
    ]);
    await expect(sendChannelBroadcast(api, '555', 'x'.repeat(5 * 1024 + 1))).rejects.toBeInstanceOf(
      RangeError,
    );
  });

  it('is refused by the stand-in when the EBS token is signed with the wrong secret', async () => {
    const wrong = twitchApiFor(
      loadConfig({
        NODE_ENV: 'test',
        ...standInEnv(standIn),
        TWITCH_EXTENSION_SECRET: Buffer.from('another-secret-of-16-bytes').toString('base64'),
      }),
    );
    await expect(sendChannelBroadcast(wrong, '555', '{}')).rejects.toMatchObject({ status: 401 });
  });

  it('throws a PubSub 429 at once with the reset time, for the sender to reschedule', async () => {
    standIn.failNext('/helix/extensions/pubsub', 429);
    const error = await sendChannelBroadcast(api, '555', '{}').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HelixRateLimitedError);
    expect((error as HelixRateLimitedError).retryAt).toBeGreaterThan(Date.now() - 1_000);
    expect(waits).toEqual([]);
  });

  it('sends extension chat within 280 characters and meets the per-channel chat limit with a 429', async () => {
    await sendExtensionChat(api, '555', `Horde night begins! ${'z'.repeat(400)}`);
    expect([...standIn.chat[0]!.text]).toHaveLength(280);
    await sendExtensionChat(api, '555', 'second');
    await expect(sendExtensionChat(api, '555', 'third')).rejects.toBeInstanceOf(HelixRateLimitedError);
    expect(standIn.chat.map((c) => c.text.slice(0, 6))).toEqual(['Horde ', 'second']);
  });
});
