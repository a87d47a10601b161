import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import type { Database } from '../../src/durable/database.js';
import { migrate } from '../../src/durable/migrator.js';
import { PgDatabase } from '../../src/durable/pg-database.js';
import { ensureUser } from '../../src/durable/users.js';
import { RedisStore } from '../../src/ephemeral/redis-store.js';
import {
  DEFAULT_DISPLAY_NAME_OPTIONS,
  DisplayNameRefresher,
  type DisplayNameRefresherOptions,
} from '../../src/twitch/display-name-refresher.js';
import { twitchApiFor } from '../../src/twitch/twitch-api.js';
import {
  createTestDatabase,
  deleteKeysWithPrefix,
  TEST_REDIS_URL,
  type TestDatabase,
  uniqueName,
} from '../support/services.js';
import {
  STAND_IN_DEFAULTS,
  type StandInOptions,
  standInEnv,
  TwitchStandIn,
} from '../support/twitch-stand-in.js';

const HOUR_MS = 3_600_000;

describe('the display-name refresher against the Twitch stand-in (Postgres and Redis)', () => {
  let database: TestDatabase;
  let db: Database;
  let store: RedisStore;
  let prefix: string;
  let standIn: TwitchStandIn;
  /** One clock for Twitch and Holdout, moved by the test: token expiry and rate-limit resets. */
  let now: number;
  const clock = () => now;

  beforeEach(async () => {
    now = Date.now();
    database = await createTestDatabase();
    db = new PgDatabase({ connectionString: database.url });
    await migrate(db);
    prefix = `${uniqueName('names')}:`;
    store = new RedisStore({ url: TEST_REDIS_URL, keyPrefix: prefix });
  });
  afterEach(async () => {
    await standIn?.stop();
    await store.close();
    await db.close();
    await database.drop();
    await deleteKeysWithPrefix(prefix);
  });

  async function setUp(
    standInOptions: Partial<StandInOptions> = {},
    options: Partial<DisplayNameRefresherOptions> = {},
  ) {
    standIn = await new TwitchStandIn({ ...STAND_IN_DEFAULTS, clock, ...standInOptions }).start();
    const api = twitchApiFor(loadConfig({ NODE_ENV: 'test', ...standInEnv(standIn) }), { clock });
    return new DisplayNameRefresher(
      { db, store, api, clock },
      { ...DEFAULT_DISPLAY_NAME_OPTIONS, ...options },
    );
  }

  /** `count` viewers who shared their identity (Twitch ids 5000…), known to Twitch as Viewer_<n>. */
  async function viewersWithIdentity(count: number, known = true): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const twitchId = String(5000 + i);
      if (known) standIn.addUser(twitchId, `Viewer_${i}`);
      ids.push((await ensureUser(db, `Uopaque${i}`, twitchId)).id);
    }
    return ids;
  }

  const namesInPostgres = async () =>
    (
      await db.query<{ id: string; display_name: string | null; checked: boolean }>(
        `SELECT id::text, display_name, display_name_checked_at IS NOT NULL AS checked FROM users ORDER BY id`,
      )
    ).rows;

  it('names viewers who shared their identity, 100 ids per Get Users call, in Postgres and Redis', async () => {
    const refresher = await setUp();
    const ids = await viewersWithIdentity(150);
    await ensureUser(db, 'Uanonymous-but-logged-in', null);
    expect(await refresher.runPass()).toBe(true);
    expect(await refresher.runPass()).toBe(false);
    expect(await refresher.runPass()).toBe(false);
    expect(standIn.calls.get('GET /helix/users')).toBe(2);
    expect(standIn.calls.get('POST /oauth2/token')).toBe(1);
    const rows = await namesInPostgres();
    expect(rows.filter((r) => r.display_name !== null)).toHaveLength(150);
    expect(rows.find((r) => r.id === ids[149])?.display_name).toBe('Viewer_149');
    // The viewer who did not share their identity is never asked about.
    expect(rows.filter((r) => !r.checked)).toHaveLength(1);
    expect(JSON.parse((await store.getValue(store.keys.displayName(ids[0]!)))!)).toEqual({
      player: 'Viewer_0',
      playerTitle: null,
    });
  });

  it('marks a user Twitch no longer knows as checked without a name, and asks again once it is stale', async () => {
    const refresher = await setUp({}, { refreshAfterMs: 24 * HOUR_MS });
    const [id] = await viewersWithIdentity(1, false);
    await refresher.runPass();
    expect(await namesInPostgres()).toEqual([{ id, display_name: null, checked: true }]);
    await refresher.runPass();
    expect(standIn.calls.get('GET /helix/users')).toBe(1);
    // A day later the viewer is back on Twitch under a name: the stale check fetches it.
    standIn.addUser('5000', 'Returned');
    now += 25 * HOUR_MS;
    await refresher.runPass();
    expect(standIn.calls.get('GET /helix/users')).toBe(2);
    expect((await namesInPostgres())[0]?.display_name).toBe('Returned');
  });

  it('stops at a 429 and calls Twitch again only after Ratelimit-Reset', async () => {
    const refresher = await setUp({ appBucketPerMinute: 2 }, { batchSize: 10, reservePoints: 0 });
    await viewersWithIdentity(40);
    expect(await refresher.runPass()).toBe(true);
    expect(await refresher.runPass()).toBe(true);
    // The bucket of 2 a minute is spent: Twitch answers 429 with the reset time.
    expect(await refresher.runPass()).toBe(false);
    expect(standIn.calls.get('GET /helix/users')).toBe(3);
    expect(refresher.pausedUntil).toBeGreaterThan(now);
    expect(refresher.pausedUntil).toBeLessThanOrEqual(now + 61_000);
    // Until then the refresher does not call at all.
    now = refresher.pausedUntil - 1;
    expect(await refresher.runPass()).toBe(false);
    expect(standIn.calls.get('GET /helix/users')).toBe(3);
    now = refresher.pausedUntil + 1;
    expect(await refresher.runPass()).toBe(true);
    expect(standIn.calls.get('GET /helix/users')).toBe(4);
    expect((await namesInPostgres()).filter((r) => r.display_name !== null)).toHaveLength(30);
  });

  it('leaves a reserve of the bucket to other calls: pauses before Twitch has to say 429', async () => {
    const refresher = await setUp({ appBucketPerMinute: 5 }, { batchSize: 10, reservePoints: 3 });
    await viewersWithIdentity(50);
    expect(await refresher.runPass()).toBe(true);
    expect(await refresher.runPass()).toBe(true);
    expect(await refresher.runPass()).toBe(false);
    expect(refresher.pausedUntil).toBeGreaterThan(now);
    expect(await refresher.runPass()).toBe(false);
    expect(standIn.calls.get('GET /helix/users')).toBe(3);
  });

  it('renews the app token before it expires, and after Twitch refuses it (401)', async () => {
    const refresher = await setUp({ appTokenTtlS: 3_600 }, { batchSize: 1 });
    await viewersWithIdentity(3);
    await refresher.runPass();
    expect(standIn.calls.get('POST /oauth2/token')).toBe(1);
    // An hour later the token has expired: a new one is fetched first, so Twitch never sees the old one.
    now += HOUR_MS;
    await refresher.runPass();
    expect(standIn.calls.get('POST /oauth2/token')).toBe(2);
    expect(standIn.refusedAppTokens).toBe(0);
    // Twitch revokes it early: the 401 makes the client fetch another and try again, once.
    standIn.revokeAppTokens();
    await refresher.runPass();
    expect(standIn.refusedAppTokens).toBe(1);
    expect(standIn.calls.get('POST /oauth2/token')).toBe(3);
    expect((await namesInPostgres()).map((r) => r.display_name)).toEqual([
      'Viewer_0',
      'Viewer_1',
      'Viewer_2',
    ]);
  });

  it('runs on one instance at a time (a job lock)', async () => {
    const refresher = await setUp();
    await viewersWithIdentity(5);
    const other = new DisplayNameRefresher(
      { db, store, api: twitchApiFor(loadConfig({ NODE_ENV: 'test', ...standInEnv(standIn) })), clock },
      DEFAULT_DISPLAY_NAME_OPTIONS,
    );
    const held = await store.acquireLock(store.keys.jobLock('display-names'), 'someone-else', 10_000);
    expect(held).toBe(true);
    expect(await refresher.runPass()).toBe(false);
    expect(await other.runPass()).toBe(false);
    expect(standIn.calls.get('GET /helix/users')).toBeUndefined();
    await store.releaseLock(store.keys.jobLock('display-names'), 'someone-else');
    await Promise.all([refresher.runPass(), other.runPass()]);
    expect(standIn.calls.get('GET /helix/users')).toBe(1);
  });
});
