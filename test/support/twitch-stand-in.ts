import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jwtVerify, SignJWT } from 'jose';

/*
 * A stand-in for Twitch's Helix API and OAuth token endpoint, for tests (Twitch cannot be reached from
 * here). It follows Twitch's published reference for the endpoints Holdout calls: their request and
 * response bodies, the app-token and EBS-JWT checks, the rate limits with Ratelimit-* headers and 429
 * bodies, and the error bodies ({"error","status","message"}). docs/twitch.md lists what it covers.
 */

export interface StandInOptions {
  clientId: string;
  clientSecret: string;
  /** Base64 extension secret: EBS tokens must be signed with it; Bits receipts are. */
  extensionSecret: string;
  ownerId: string;
  /** Points per minute of the app token's bucket (Helix default 800). */
  appBucketPerMinute?: number;
  /** Extension PubSub messages per minute per channel (Twitch: 100). */
  pubsubPerMinute?: number;
  /** Extension chat messages per minute per channel. */
  chatPerMinute?: number;
  /** How long the stand-in takes to answer a PubSub message, in ms (widens race windows). */
  pubsubLatencyMs?: number;
  /** An app token's `expires_in`, in s; the stand-in refuses it (401) once expired. @default 5,000,000 */
  appTokenTtlS?: number;
  /** Twitch's clock (token expiry, rate-limit buckets and their Ratelimit-Reset), ms. @default Date.now */
  clock?: () => number;
}

export interface PubSubRecord {
  channelId: string;
  message: string;
  at: number;
}

export interface ChatRecord {
  channelId: string;
  text: string;
  at: number;
}

interface Bucket {
  capacity: number;
  tokens: number;
  /** ms */
  updatedAt: number;
}

/** What every handler returns once it has answered (lets a guard clause `return this.error(…)`). */
type Answered = true;

const MINUTE_MS = 60_000;
const PUBSUB_MAX_BYTES = 5 * 1024;
const CHAT_MAX_CHARS = 280;
const APP_TOKEN_TTL_S = 5_000_000;

function statusText(status: number): string {
  return (
    { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 429: 'Too Many Requests' }[
      status
    ] ?? 'Internal Server Error'
  );
}

export class TwitchStandIn {
  readonly pubsub: PubSubRecord[] = [];
  readonly chat: ChatRecord[] = [];
  readonly users = new Map<string, { id: string; login: string; display_name: string }>();
  readonly transactions: Record<string, unknown>[] = [];
  /** Requests seen, by `METHOD path`. */
  readonly calls = new Map<string, number>();
  /** App-token calls refused with 401 (an unknown, revoked or expired token). */
  refusedAppTokens = 0;
  /** Most PubSub calls one channel had in flight at once (the single-sender guarantee says 1). */
  maxConcurrentPubSub = 0;
  private readonly inFlightPubSub = new Map<string, number>();
  /** App tokens Twitch accepts, with when each expires (ms). */
  private readonly appTokens = new Map<string, number>();
  private readonly buckets = new Map<string, Bucket>();
  private readonly faults: { path: string; status: number; left: number }[] = [];
  private pubsubListeners: ((record: PubSubRecord) => void)[] = [];
  private server: Server | null = null;
  private readonly key: Uint8Array;
  baseUrl = '';

  constructor(readonly options: StandInOptions) {
    this.key = new Uint8Array(Buffer.from(options.extensionSecret, 'base64'));
  }

  private now(): number {
    return this.options.clock?.() ?? Date.now();
  }

  get helixUrl(): string {
    return `${this.baseUrl}/helix`;
  }

  get authUrl(): string {
    return `${this.baseUrl}/oauth2`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error) => this.error(res, 500, String(error)));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  /** The next `count` calls to `path` (e.g. `/helix/users`) answer `status`. */
  failNext(path: string, status: number, count = 1): void {
    this.faults.push({ path, status, left: count });
  }

  /** Revokes every app token (as Twitch does when they expire): the next call with one gets a 401. */
  revokeAppTokens(): void {
    this.appTokens.clear();
  }

  onPubSub(listener: (record: PubSubRecord) => void): void {
    this.pubsubListeners.push(listener);
  }

  addUser(id: string, displayName: string): void {
    this.users.set(id, { id, login: displayName.toLowerCase(), display_name: displayName });
  }

  /**
   * What Twitch does when a viewer confirms a Bits purchase: records the transaction (Get Extension
   * Transactions lists it) and returns the transaction receipt JWT that onTransactionComplete hands to
   * the panel, signed with the extension secret.
   */
  async purchase(p: {
    userId: string;
    channelId: string;
    sku: string;
    bits: number;
    displayName?: string;
    transactionId?: string;
    now?: number;
  }): Promise<{ transactionId: string; receipt: string }> {
    const transactionId = p.transactionId ?? randomUUID();
    const now = p.now ?? Date.now();
    const time = new Date(now).toISOString();
    this.transactions.push({
      id: transactionId,
      timestamp: time,
      broadcaster_id: p.channelId,
      broadcaster_login: `channel${p.channelId}`,
      broadcaster_name: `Channel${p.channelId}`,
      user_id: p.userId,
      user_login: `user${p.userId}`,
      user_name: `User${p.userId}`,
      product_type: 'BITS_IN_EXTENSION',
      product_data: {
        sku: p.sku,
        domain: `twitch.ext.${this.options.clientId}`,
        cost: { amount: p.bits, type: 'bits' },
        inDevelopment: false,
        displayName: p.displayName ?? p.sku,
        expiration: '',
        broadcast: false,
      },
    });
    const receipt = await new SignJWT({
      topic: 'bits_transaction_receipt',
      data: {
        transactionId,
        time,
        userId: p.userId,
        product: {
          domainId: `twitch.ext.${this.options.clientId}`,
          sku: p.sku,
          displayName: p.displayName ?? p.sku,
          cost: { amount: p.bits, type: 'bits' },
        },
      },
    })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setExpirationTime(Math.floor(now / 1000) + 3600)
      .sign(this.key);
    return { transactionId, receipt };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<Answered> {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const route = `${req.method} ${url.pathname}`;
    this.calls.set(route, (this.calls.get(route) ?? 0) + 1);
    const body = await readBody(req);
    const fault = this.faults.find((f) => f.path === url.pathname && f.left > 0);
    if (fault) {
      fault.left--;
      if (fault.status === 429)
        return this.tooMany(res, { capacity: 1, tokens: 0, updatedAt: this.now() }, 60);
      return this.error(res, fault.status, 'injected fault');
    }
    switch (route) {
      case 'POST /oauth2/token':
        return this.token(res, new URLSearchParams(body));
      case 'GET /helix/users':
        return this.withAppToken(req, res, () => this.getUsers(res, url));
      case 'GET /helix/extensions/transactions':
        return this.withAppToken(req, res, () => this.getTransactions(res, url));
      case 'POST /helix/extensions/pubsub':
        return this.postPubSub(req, res, body);
      case 'POST /helix/extensions/chat':
        return this.postChat(req, res, url, body);
      default:
        return this.error(res, 404, 'Not Found');
    }
  }

  private token(res: ServerResponse, form: URLSearchParams): Answered {
    if (form.get('grant_type') !== 'client_credentials')
      return this.oauthError(res, 400, 'unsupported grant type');
    if (form.get('client_id') !== this.options.clientId) return this.oauthError(res, 400, 'invalid client');
    if (!form.get('client_secret')) return this.oauthError(res, 400, 'missing client secret');
    if (form.get('client_secret') !== this.options.clientSecret) {
      return this.oauthError(res, 403, 'invalid client secret');
    }
    const token = randomBytes(15).toString('hex');
    const ttlS = this.options.appTokenTtlS ?? APP_TOKEN_TTL_S;
    this.appTokens.set(token, this.now() + ttlS * 1000);
    return this.json(res, 200, { access_token: token, expires_in: ttlS, token_type: 'bearer' });
  }

  private withAppToken(req: IncomingMessage, res: ServerResponse, then: () => Answered): Answered {
    const token = bearerOf(req);
    if (req.headers['client-id'] !== this.options.clientId) {
      return this.error(res, 401, 'Client ID and OAuth token do not match');
    }
    const expiresAt = token ? this.appTokens.get(token) : undefined;
    if (expiresAt === undefined || expiresAt <= this.now()) {
      this.refusedAppTokens++;
      return this.error(res, 401, 'Invalid OAuth token');
    }
    const bucket = this.take(`app:${token}`, this.options.appBucketPerMinute ?? 800);
    if (!bucket.ok) return this.tooMany(res, bucket.bucket, this.options.appBucketPerMinute ?? 800);
    this.rateHeaders(res, bucket.bucket, this.options.appBucketPerMinute ?? 800);
    return then();
  }

  private getUsers(res: ServerResponse, url: URL): Answered {
    const ids = url.searchParams.getAll('id');
    if (ids.length === 0 && url.searchParams.getAll('login').length === 0) {
      return this.error(res, 400, 'The request must include id or login when using an app access token');
    }
    if (ids.length > 100) return this.error(res, 400, 'The request may include at most 100 id parameters');
    const data = ids.flatMap((id) => {
      const user = this.users.get(id);
      if (!user) return [];
      return [
        {
          ...user,
          type: '',
          broadcaster_type: '',
          description: '',
          profile_image_url: '',
          offline_image_url: '',
          view_count: 0,
          created_at: '2020-01-01T00:00:00Z',
        },
      ];
    });
    return this.json(res, 200, { data });
  }

  private getTransactions(res: ServerResponse, url: URL): Answered {
    if (url.searchParams.get('extension_id') !== this.options.clientId) {
      return this.error(res, 400, 'extension_id must be the client id of the token');
    }
    const first = Number(url.searchParams.get('first') ?? 20);
    if (!Number.isInteger(first) || first < 1 || first > 100)
      return this.error(res, 400, 'first must be 1-100');
    const ids = url.searchParams.getAll('id');
    const all =
      ids.length > 0 ? this.transactions.filter((t) => ids.includes(String(t.id))) : this.transactions;
    const start = Number(Buffer.from(url.searchParams.get('after') ?? 'MA==', 'base64').toString()) || 0;
    const data = all.slice(start, start + first);
    const next =
      start + first < all.length ? Buffer.from(String(start + first)).toString('base64') : undefined;
    return this.json(res, 200, { data, pagination: next ? { cursor: next } : {} });
  }

  /** Verifies an EBS token as Twitch does: HS256 with the secret, role external, exp, the owner. */
  private async ebsClaims(req: IncomingMessage): Promise<Record<string, unknown> | string> {
    if (req.headers['client-id'] !== this.options.clientId) return 'Client-Id header is missing or wrong';
    const token = bearerOf(req);
    if (!token) return 'missing JWT';
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: ['HS256'],
        requiredClaims: ['exp'],
      });
      if (payload.role !== 'external') return 'JWT role must be external';
      if (payload.user_id !== this.options.ownerId) return 'JWT user_id must be the extension owner';
      return payload as Record<string, unknown>;
    } catch (error) {
      return `invalid JWT: ${String(error)}`;
    }
  }

  private async postPubSub(req: IncomingMessage, res: ServerResponse, raw: string): Promise<Answered> {
    const claims = await this.ebsClaims(req);
    if (typeof claims === 'string') return this.error(res, 401, claims);
    if (req.headers['content-type'] !== 'application/json')
      return this.error(res, 400, 'Content-Type must be JSON');
    const body = parseJson(raw) as { target?: unknown; broadcaster_id?: unknown; message?: unknown } | null;
    if (!body || !Array.isArray(body.target) || typeof body.message !== 'string') {
      return this.error(res, 400, 'target and message are required');
    }
    const channelId = String(body.broadcaster_id ?? '');
    if (claims.channel_id !== channelId)
      return this.error(res, 401, 'JWT channel_id does not match broadcaster_id');
    const perms = (claims.pubsub_perms as { send?: string[] } | undefined)?.send ?? [];
    if (!body.target.every((t) => perms.includes(String(t)))) {
      return this.error(res, 401, 'JWT pubsub_perms.send does not allow the target');
    }
    if (Buffer.byteLength(body.message) > PUBSUB_MAX_BYTES) {
      return this.error(res, 400, 'message must not exceed 5 KB');
    }
    const perMinute = this.options.pubsubPerMinute ?? 100;
    const bucket = this.take(`pubsub:${channelId}`, perMinute);
    if (!bucket.ok) return this.tooMany(res, bucket.bucket, perMinute);
    const inFlight = (this.inFlightPubSub.get(channelId) ?? 0) + 1;
    this.inFlightPubSub.set(channelId, inFlight);
    this.maxConcurrentPubSub = Math.max(this.maxConcurrentPubSub, inFlight);
    try {
      if (this.options.pubsubLatencyMs) await new Promise((r) => setTimeout(r, this.options.pubsubLatencyMs));
    } finally {
      this.inFlightPubSub.set(channelId, (this.inFlightPubSub.get(channelId) ?? 1) - 1);
    }
    const record = { channelId, message: body.message, at: this.now() };
    this.pubsub.push(record);
    for (const listener of this.pubsubListeners) listener(record);
    this.rateHeaders(res, bucket.bucket, perMinute);
    res.writeHead(204).end();
    return true;
  }

  private async postChat(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    raw: string,
  ): Promise<Answered> {
    const claims = await this.ebsClaims(req);
    if (typeof claims === 'string') return this.error(res, 401, claims);
    const channelId = url.searchParams.get('broadcaster_id') ?? '';
    if (claims.channel_id !== channelId)
      return this.error(res, 401, 'JWT channel_id does not match broadcaster_id');
    const body = parseJson(raw) as {
      text?: unknown;
      extension_id?: unknown;
      extension_version?: unknown;
    } | null;
    if (!body || typeof body.text !== 'string' || typeof body.extension_version !== 'string') {
      return this.error(res, 400, 'text, extension_id and extension_version are required');
    }
    if (body.extension_id !== this.options.clientId) return this.error(res, 400, 'extension_id is wrong');
    if ([...body.text].length > CHAT_MAX_CHARS)
      return this.error(res, 400, 'text is limited to 280 characters');
    const perMinute = this.options.chatPerMinute ?? 12;
    const bucket = this.take(`chat:${channelId}`, perMinute);
    if (!bucket.ok) return this.tooMany(res, bucket.bucket, perMinute);
    this.chat.push({ channelId, text: body.text, at: this.now() });
    this.rateHeaders(res, bucket.bucket, perMinute);
    res.writeHead(204).end();
    return true;
  }

  /** Twitch's token bucket: `perMinute` points, refilled continuously. */
  private take(name: string, perMinute: number): { ok: boolean; bucket: Bucket } {
    const now = this.now();
    const bucket = this.buckets.get(name) ?? { capacity: perMinute, tokens: perMinute, updatedAt: now };
    bucket.tokens = Math.min(
      bucket.capacity,
      bucket.tokens + ((now - bucket.updatedAt) * perMinute) / MINUTE_MS,
    );
    bucket.updatedAt = now;
    this.buckets.set(name, bucket);
    if (bucket.tokens < 1) return { ok: false, bucket };
    bucket.tokens -= 1;
    return { ok: true, bucket };
  }

  private rateHeaders(res: ServerResponse, bucket: Bucket, perMinute: number): void {
    const missing = bucket.capacity - bucket.tokens;
    res.setHeader('Ratelimit-Limit', String(perMinute));
    res.setHeader('Ratelimit-Remaining', String(Math.floor(bucket.tokens)));
    res.setHeader(
      'Ratelimit-Reset',
      String(Math.ceil((this.now() + (missing * MINUTE_MS) / perMinute) / 1000)),
    );
  }

  private tooMany(res: ServerResponse, bucket: Bucket, perMinute: number): Answered {
    this.rateHeaders(res, bucket, perMinute);
    return this.json(res, 429, { error: 'Too Many Requests', status: 429, message: 'Too Many Requests' });
  }

  private error(res: ServerResponse, status: number, message: string): Answered {
    if (res.headersSent) return true;
    return this.json(res, status, { error: statusText(status), status, message });
  }

  private oauthError(res: ServerResponse, status: number, message: string): Answered {
    return this.json(res, status, { status, message });
  }

  private json(res: ServerResponse, status: number, body: unknown): Answered {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    return true;
  }
}

function bearerOf(req: IncomingMessage): string | null {
  const header = req.headers.authorization ?? '';
  return header.startsWith('Bearer ') ? header.slice(7) : null;
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return null;
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** A stand-in with the test defaults: client id, secrets and owner as the tests' config sets them. */
export function standInEnv(standIn: TwitchStandIn): NodeJS.ProcessEnv {
  return {
    TWITCH_API_URL: standIn.helixUrl,
    TWITCH_AUTH_URL: standIn.authUrl,
    TWITCH_CLIENT_ID: standIn.options.clientId,
    TWITCH_CLIENT_SECRET: standIn.options.clientSecret,
    TWITCH_EXTENSION_SECRET: standIn.options.extensionSecret,
    TWITCH_OWNER_ID: standIn.options.ownerId,
  };
}

export const STAND_IN_DEFAULTS: StandInOptions = {
  clientId: 'holdoutstandin',
  clientSecret: 'stand-in-client-secret',
  extensionSecret: Buffer.from('holdout-stand-in-extension-secret').toString('base64'),
  ownerId: '424242',
};
