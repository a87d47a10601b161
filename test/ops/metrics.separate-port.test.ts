import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AclRedisServer, startAclRedisServer } from '../support/acl-redis-server.js';
import { freePort } from '../support/free-port.js';
import { type HoldoutProcess, runHoldout, startHoldout } from '../support/holdout-process.js';
import {
  createTestDatabase,
  deleteKeysWithPrefix,
  TEST_REDIS_URL,
  type TestDatabase,
  uniqueName,
} from '../support/services.js';

/*
 * Where `holdout api` serves Prometheus' /metrics (issue 13, item 5): in production never on the public
 * API port, but on METRICS_PORT bound on METRICS_HOST; in development on the API port unless
 * METRICS_PORT moves it. Real processes, real ports.
 */

/** 127.0.0.2 is on the loopback interface too: a second address proves which one the listener bound. */
const OTHER_LOOPBACK = '127.0.0.2';
const SERVING = /API is serving on (http:\/\/\S+)/;
const METRICS_ON = /Metrics on (http:\/\/\S+)\/metrics/;

/** Whether something accepts connections on host:port (a refused connection is the answer no). */
async function reachable(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(5_000) });
    return true;
  } catch (error) {
    const code = (error as { cause?: { code?: string } }).cause?.code;
    if (code === 'ECONNREFUSED') return false;
    throw error;
  }
}

describe('the metrics listener of holdout api', () => {
  let database: TestDatabase;
  let redis: AclRedisServer;
  const prefix = `${uniqueName('metricsport')}:`;
  const running: HoldoutProcess[] = [];

  /** `holdout api` with `env`; resolves with its API address once it serves. */
  async function startApi(env: NodeJS.ProcessEnv): Promise<{ api: HoldoutProcess; url: string }> {
    const api = startHoldout(['api'], { DATABASE_URL: database.url, HOST: '127.0.0.1', ...env });
    running.push(api);
    const [, url] = (await api.waitFor(SERVING, 60_000)) as [string, string];
    return { api, url };
  }

  function productionEnv(): NodeJS.ProcessEnv {
    return {
      NODE_ENV: 'production',
      REDIS_URL: redis.holdoutUrl,
      TWITCH_EXTENSION_SECRET: randomBytes(32).toString('base64'),
    };
  }
  const developmentEnv = { REDIS_URL: TEST_REDIS_URL, REDIS_KEY_PREFIX: prefix };

  beforeAll(async () => {
    database = await createTestDatabase();
    redis = await startAclRedisServer();
  });
  afterAll(async () => {
    for (const api of running) expect(await api.stop(), api.output()).toBe(0);
    await redis?.stop();
    await database?.drop();
    await deleteKeysWithPrefix(prefix);
  });

  it('in production serves /metrics only on METRICS_PORT, bound on METRICS_HOST; the API port answers 404', async () => {
    const metricsPort = await freePort();
    const { api, url } = await startApi({
      ...productionEnv(),
      PORT: String(await freePort()),
      METRICS_PORT: String(metricsPort),
      METRICS_HOST: OTHER_LOOPBACK,
    });
    const [, metricsUrl] = (await api.waitFor(METRICS_ON)) as [string, string];
    expect(metricsUrl).toBe(`http://${OTHER_LOOPBACK}:${metricsPort}`);

    const unauthenticated = await fetch(`${url}/v1/poll`);
    expect(unauthenticated.status).toBe(401);
    const publicMetrics = await fetch(`${url}/metrics`);
    expect(publicMetrics.status).toBe(404);
    expect(publicMetrics.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await publicMetrics.text()).not.toMatch(/holdout_/);

    const scraped = await fetch(`${metricsUrl}/metrics`);
    expect(scraped.status).toBe(200);
    expect(scraped.headers.get('content-type')).toMatch(/^text\/plain/);
    // The API port's own series, counted there and served here.
    expect(await scraped.text()).toMatch(
      /^holdout_http_request_duration_seconds_count\{route="\/v1\/poll",method="GET",status="401"\} [1-9]/m,
    );
    // Only /metrics: no API, no probes on the internal port.
    expect((await fetch(`${metricsUrl}/v1/poll`)).status).toBe(404);
    expect((await fetch(`${metricsUrl}/readyz`)).status).toBe(404);
    // Bound on METRICS_HOST alone: the API's address family does not answer on that port.
    expect(await reachable(`http://127.0.0.1:${metricsPort}/metrics`)).toBe(false);
  }, 120_000);

  it('in production without METRICS_PORT serves no metrics at all, and says so', async () => {
    const { api, url } = await startApi({ ...productionEnv(), PORT: String(await freePort()) });
    expect((await fetch(`${url}/metrics`)).status).toBe(404);
    // The log goes through pino's asynchronous stream, the "serving" line straight to stdout: the
    // warning may come a moment after it (it once did, on a loaded machine).
    await api.waitFor(/metrics are not served: set METRICS_PORT/, 20_000);
    expect(api.output()).not.toMatch(METRICS_ON);
  }, 120_000);

  it('in development keeps /metrics on the API port unless METRICS_PORT moves it', async () => {
    const onApiPort = await startApi({ ...developmentEnv, PORT: String(await freePort()) });
    expect((await fetch(`${onApiPort.url}/healthz`)).status).toBe(200);
    const served = await fetch(`${onApiPort.url}/metrics`);
    expect(served.status).toBe(200);
    expect(await served.text()).toMatch(/^holdout_http_request_duration_seconds_count\{route="\/healthz"/m);
    expect(onApiPort.api.output()).not.toMatch(METRICS_ON);

    const metricsPort = await freePort();
    const moved = await startApi({
      ...developmentEnv,
      PORT: String(await freePort()),
      METRICS_PORT: String(metricsPort),
    });
    await moved.api.waitFor(METRICS_ON);
    expect((await fetch(`${moved.url}/metrics`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).status).toBe(200);
  }, 120_000);

  it('refuses a bad METRICS_PORT or METRICS_HOST with exit code 2, naming the variable', async () => {
    const cases: [NodeJS.ProcessEnv, RegExp][] = [
      [{ METRICS_PORT: '9464x' }, /METRICS_PORT: expected a whole number \(got "9464x"\)/],
      [{ METRICS_PORT: '70000' }, /METRICS_PORT: expected at most 65535/],
      [{ METRICS_HOST: 'http://10.0.0.5' }, /METRICS_HOST: expected an IP address or host name/],
      [{ PORT: '9100', METRICS_PORT: '9100' }, /METRICS_PORT: must differ from PORT \(9100\)/],
    ];
    for (const [env, message] of cases) {
      const { code, output } = await runHoldout(['api'], { ...developmentEnv, ...env });
      expect(output, JSON.stringify(env)).toMatch(message);
      expect(code, JSON.stringify(env)).toBe(2);
    }
  });

  it('names METRICS_PORT when its port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const { code, output } = await runHoldout(['api'], {
        ...developmentEnv,
        DATABASE_URL: database.url,
        PORT: String(await freePort()),
        METRICS_PORT: String(port),
      });
      expect(output).toMatch(
        `holdout: 127.0.0.1:${port} is already in use by another process: stop it, or set METRICS_PORT (or METRICS_HOST) to a free one`,
      );
      expect(code).toBe(2);
    } finally {
      blocker.close();
    }
  }, 120_000);
});
