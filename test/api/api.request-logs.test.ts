import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFixture, openApiFixture } from './api-fixture.js';

describe('request logs at LOG_LEVEL=info', () => {
  const lines: { msg?: string; req?: { url?: string }; reqId?: string }[] = [];
  let f: ApiFixture;
  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    f = await openApiFixture('embedded', {}, { logger: pino({ level: 'info' }, sink) });
  });
  afterAll(async () => {
    await f?.close();
  });

  it('name every request but the polls, which come once per tick from every panel', async () => {
    const v = await f.viewer();
    expect((await f.call(v, 'POST', '/v1/survivors', { name: 'Logged' })).statusCode).toBe(201);
    const first = await f.call(v, 'GET', '/v1/poll');
    expect(first.statusCode).toBe(200);
    const notModified = await f.call(v, 'GET', '/v1/poll', undefined, {
      'if-none-match': first.headers.etag!,
    });
    expect(notModified.statusCode).toBe(304);

    const incoming = lines.filter((l) => l.msg === 'incoming request').map((l) => l.req?.url);
    expect(incoming).toContain('/v1/survivors');
    expect(incoming).not.toContain('/v1/poll');
    const pollIds = [first, notModified].map((r) => r.headers['x-request-id']);
    expect(lines.filter((l) => pollIds.includes(l.reqId))).toEqual([]);
  });
});
