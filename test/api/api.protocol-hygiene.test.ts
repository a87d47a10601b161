import { connect } from 'node:net';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFixture, openApiFixture } from './api-fixture.js';

/** Sends `raw` on a fresh connection and collects everything until the server closes it. */
function rawExchange(
  port: number,
  raw: string,
  giveUpMs: number,
): Promise<{ response: string; closedAfterMs: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1');
    let response = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server kept the connection open for ${giveUpMs} ms: ${response.slice(0, 200)}`));
    }, giveUpMs);
    socket.on('data', (chunk) => {
      response += chunk.toString();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ response, closedAfterMs: Date.now() - started });
    });
    socket.write(raw);
  });
}

/** The JSON body of a raw HTTP response, and its content type. */
function parseRaw(response: string): { status: number; type: string; body: Record<string, unknown> } {
  const [head, body = ''] = response.split('\r\n\r\n');
  const status = Number(head!.split(' ')[1]);
  const type = /content-type: ([^\r\n]+)/i.exec(head!)?.[1] ?? '';
  return { status, type, body: JSON.parse(body) };
}

// Timeouts sized from measurements: on an idle machine the half-sent request is cut after ~1.0-1.5 s
// (1 s timeout, checked every second); 15 s leaves room for a loaded one. Node's default is 300 s.
const REQUEST_TIMEOUT_MS = 1_000;
const CUT_WITHIN_MS = 15_000;

describe('protocol hygiene', () => {
  let f: ApiFixture;
  let port: number;

  beforeAll(async () => {
    f = await openApiFixture('real', {
      HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
      HTTP_HEADERS_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
      RATE_LIMIT_NEW_TOKENS_PER_IP: '5',
    });
    await f.app.listen({ host: '127.0.0.1', port: 0 });
    port = (f.app.server.address() as { port: number }).port;
  }, 60_000);
  afterAll(async () => {
    await f?.close();
  });

  it('cuts a half-sent body after the request timeout, with a 408 problem', async () => {
    const { token } = await f.viewer();
    const { response, closedAfterMs } = await rawExchange(
      port,
      `POST /v1/survivors HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\n` +
        'Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"na',
      CUT_WITHIN_MS,
    );
    expect(closedAfterMs).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 50);
    const reply = parseRaw(response);
    expect(reply.status).toBe(408);
    expect(reply.type).toBe('application/problem+json');
    expect(reply.body.code).toBe('request_timeout');
  });

  it("answers Node's own refusals as problems: a broken request line and oversized headers", async () => {
    const garbage = parseRaw((await rawExchange(port, 'HELLO\r\n\r\n', CUT_WITHIN_MS)).response);
    expect(garbage).toMatchObject({ status: 400, type: 'application/problem+json' });
    expect(garbage.body.code).toBe('malformed_request');
    const huge = `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Padding: ${'a'.repeat(20_000)}\r\n\r\n`;
    const overflow = parseRaw((await rawExchange(port, huge, CUT_WITHIN_MS)).response);
    expect(overflow).toMatchObject({ status: 431, type: 'application/problem+json' });
    expect(overflow.body.code).toBe('headers_too_large');
  });

  it('puts security headers on answers, errors and unknown routes alike', async () => {
    const me = await f.call(await f.viewer(), 'GET', '/v1/me');
    const anonymous = await f.call(null, 'GET', '/v1/me');
    const unknown = await f.call(null, 'GET', '/nowhere');
    for (const response of [me, anonymous, unknown]) {
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['referrer-policy']).toBe('no-referrer');
      expect(response.headers['content-security-policy']).toBe("default-src 'none';frame-ancestors 'none'");
      expect(response.headers['strict-transport-security']).toMatch(/^max-age=\d+$/);
      // Not DENY: it cannot name Twitch as an allowed parent of the pages; CSP decides framing.
      expect(response.headers['x-frame-options']).toBeUndefined();
      // The panel on *.ext-twitch.tv reads these answers across origins.
      expect(response.headers['cross-origin-resource-policy']).toBe('cross-origin');
    }
    expect(me.statusCode).toBe(200);
    expect(anonymous.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(404);
  });

  it('keeps a short, plain X-Request-Id and replaces a long or strange one', async () => {
    const kept = await f.call(null, 'GET', '/healthz', undefined, { 'x-request-id': 'lb-7f3a.42:9' });
    expect(kept.headers['x-request-id']).toBe('lb-7f3a.42:9');
    for (const given of ['x'.repeat(8_000), 'x'.repeat(65), 'id with spaces', 'id"<script>']) {
      const replaced = await f.call(null, 'GET', '/healthz', undefined, { 'x-request-id': given });
      const id = String(replaced.headers['x-request-id']);
      expect(id).not.toBe(given);
      expect(id).toMatch(/^[A-Za-z0-9._:-]{1,64}$/);
    }
  });

  it('refuses an address past its budget of new tokens before verifying them, not a known token', async () => {
    const known = await f.viewer();
    const fromAddress = (remoteAddress: string, token: string) =>
      f.app.inject({
        method: 'GET',
        url: '/v1/me',
        remoteAddress,
        headers: { authorization: `Bearer ${token}` },
      });
    expect((await fromAddress('203.0.113.7', known.token)).statusCode).toBe(200);
    const key = new Uint8Array(32);
    const forged = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        new SignJWT({ opaque_user_id: `Uforged${i}`, channel_id: '1', role: 'viewer' })
          .setProtectedHeader({ alg: 'HS256' })
          .setExpirationTime('1h')
          .sign(key),
      ),
    );
    // The known token took one of the 5; four forged tokens are verified (and refused), then 429.
    const codes: string[] = [];
    for (const token of forged) codes.push((await fromAddress('203.0.113.7', token)).json().code);
    expect(codes).toEqual([
      'invalid_token',
      'invalid_token',
      'invalid_token',
      'invalid_token',
      'rate_limited',
      'rate_limited',
    ]);
    const refused = await fromAddress('203.0.113.7', forged[0]!);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // A token verified before costs nothing and still passes; another address has its own budget.
    expect((await fromAddress('203.0.113.7', known.token)).statusCode).toBe(200);
    expect((await fromAddress('198.51.100.9', forged[0]!)).json().code).toBe('invalid_token');
  });
});
