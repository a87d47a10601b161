import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFixture, openApiFixture } from './api-fixture.js';

interface LogLine {
  level: number;
  msg?: string;
  reqId?: string;
  req?: { method?: string; url?: string };
  res?: { statusCode?: number };
  ms?: number;
}

/** An API on a logger at `level` whose lines the test reads back. */
async function logged(level: string, env: NodeJS.ProcessEnv): Promise<{ f: ApiFixture; lines: LogLine[] }> {
  const lines: LogLine[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  const f = await openApiFixture('real', env, { logger: pino({ level }, sink) });
  return { f, lines };
}

/** A recruit, a poll and a poll answered 304: what a panel does first. */
async function play(f: ApiFixture) {
  const v = await f.viewer();
  const created = await f.call(v, 'POST', '/v1/survivors', { name: 'Logged' });
  expect(created.statusCode).toBe(201);
  const first = await f.call(v, 'GET', '/v1/poll');
  const notModified = await f.call(v, 'GET', '/v1/poll', undefined, { 'if-none-match': first.headers.etag! });
  expect(notModified.statusCode).toBe(304);
  return { created, polls: [first, notModified].map((r) => r.headers['x-request-id']) };
}

describe('request logs in production', () => {
  let f: ApiFixture;
  let lines: LogLine[];
  beforeAll(async () => {
    ({ f, lines } = await logged('info', { NODE_ENV: 'production', LOG_LEVEL: 'info' }));
  });
  afterAll(async () => {
    await f?.close();
  });

  it('are one structured line per request at info, except the polls, which come once per tick per panel', async () => {
    const { created, polls } = await play(f);
    const requests = lines.filter((l) => l.msg === 'request completed');
    const recruit = requests.filter((l) => l.reqId === created.headers['x-request-id']);
    expect(recruit).toEqual([
      expect.objectContaining({
        level: 30,
        req: { method: 'POST', url: '/v1/survivors' },
        res: { statusCode: 201 },
        ms: expect.any(Number),
      }),
    ]);
    // Fastify's own pair of lines is off.
    expect(lines.filter((l) => l.msg === 'incoming request')).toEqual([]);
    expect(lines.filter((l) => polls.includes(l.reqId))).toEqual([]);
  });
});

describe('request logs in development', () => {
  it('are off at the default LOG_LEVEL=info', async () => {
    const { f, lines } = await logged('info', { LOG_LEVEL: 'info' });
    try {
      await play(f);
      expect(lines.filter((l) => l.reqId !== undefined)).toEqual([]);
    } finally {
      await f.close();
    }
  }, 120_000);

  it('are one concise line per request at debug', async () => {
    const { f, lines } = await logged('debug', { LOG_LEVEL: 'debug' });
    try {
      const { created } = await play(f);
      const recruit = lines.filter((l) => l.reqId === created.headers['x-request-id']);
      expect(recruit).toHaveLength(1);
      expect(recruit[0]!.level).toBe(20);
      expect(recruit[0]!.msg).toMatch(/^POST \/v1\/survivors 201 \d+(\.\d)? ms$/);
    } finally {
      await f.close();
    }
  }, 120_000);
});
