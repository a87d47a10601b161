import type { AppTokenSource } from './app-token.js';
import { HelixError, HelixRateLimitedError, HelixUnavailableError } from './twitch-errors.js';

/** Network errors and 5xx answers are retried this many times, with doubling waits. */
const DEFAULT_MAX_RETRIES = 3;
/** The first wait before retrying a failed call, in ms (then 2×, 4×, with ±25 % jitter). */
const FIRST_BACKOFF_MS = 250;
/** A 429 whose Ratelimit-Reset is at most this far away is waited out and retried, in ms. */
const DEFAULT_RATE_LIMIT_WAIT_MS = 5_000;
/** Without a usable Ratelimit-Reset on a 429, wait this long, in ms. */
const FALLBACK_RATE_LIMIT_MS = 1_000;
/** One attempt's deadline, in ms. */
const DEFAULT_TIMEOUT_MS = 10_000;

/** The rate-limit headers Twitch sends with every Helix answer. */
export interface HelixRateLimit {
  limit: number;
  remaining: number;
  /** When the bucket is full again, ms since the epoch (Ratelimit-Reset is in seconds). */
  resetAt: number;
}

export type HelixAuth = { kind: 'app' } | { kind: 'jwt'; token: string };

export interface HelixCall {
  method: 'GET' | 'POST';
  /** Below the Helix base URL, e.g. `/users`. */
  path: string;
  query?: [string, string][];
  body?: unknown;
  auth: HelixAuth;
  /** Wait out a 429 that resets within this many ms, then retry; 0 throws at once. @default 5000 */
  rateLimitWaitMs?: number;
  /** Network errors and 5xx retried this many times. @default the client's (3) */
  maxRetries?: number;
  /** One attempt's deadline, in ms. @default 10000 */
  timeoutMs?: number;
}

export interface HelixAnswer<T> {
  status: number;
  body: T | null;
  rateLimit: HelixRateLimit | null;
}

export interface HelixClientOptions {
  /** e.g. https://api.twitch.tv/helix */
  apiUrl: string;
  clientId: string;
  appToken: AppTokenSource;
  maxRetries?: number;
  clock?: () => number;
  sleep?: (ms: number) => Promise<void>;
  fetch?: typeof fetch;
  random?: () => number;
}

function readRateLimit(headers: Headers): HelixRateLimit | null {
  const limit = Number(headers.get('ratelimit-limit'));
  const remaining = Number(headers.get('ratelimit-remaining'));
  const reset = Number(headers.get('ratelimit-reset'));
  if (!headers.has('ratelimit-reset') || !Number.isFinite(reset)) return null;
  return { limit, remaining, resetAt: reset * 1000 };
}

/**
 * Calls Twitch's Helix API: the Client-Id header and the bearer token (an app access token or an EBS
 * JWT), Twitch's rate-limit headers read on every answer, a 429 waited out until Ratelimit-Reset
 * when that is soon, network errors and 5xx retried with back-off, and an app token Twitch refused
 * (401) renewed once.
 */
export class HelixClient {
  private readonly clock: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly fetch: typeof fetch;
  private readonly random: () => number;
  /** What the last answer's rate-limit headers said (for metrics and tests). */
  lastRateLimit: HelixRateLimit | null = null;

  constructor(private readonly options: HelixClientOptions) {
    this.clock = options.clock ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.fetch = options.fetch ?? globalThis.fetch;
    this.random = options.random ?? Math.random;
  }

  async call<T>(call: HelixCall): Promise<HelixAnswer<T>> {
    const maxRetries = call.maxRetries ?? this.options.maxRetries ?? DEFAULT_MAX_RETRIES;
    const waitLimit = call.rateLimitWaitMs ?? DEFAULT_RATE_LIMIT_WAIT_MS;
    let renewedToken = false;
    let failures = 0;
    for (;;) {
      const bearer = call.auth.kind === 'app' ? await this.options.appToken.token() : call.auth.token;
      let response: Response;
      try {
        response = await this.send(call, bearer);
      } catch (error) {
        if (++failures > maxRetries) throw new HelixUnavailableError(call.path, String(error));
        await this.sleep(this.backoff(failures));
        continue;
      }
      const rateLimit = readRateLimit(response.headers);
      if (rateLimit) this.lastRateLimit = rateLimit;
      if (response.status === 429) {
        await response.body?.cancel();
        const retryAt = rateLimit ? rateLimit.resetAt : this.clock() + FALLBACK_RATE_LIMIT_MS;
        const wait = Math.max(0, retryAt - this.clock());
        if (wait > waitLimit || ++failures > maxRetries) throw new HelixRateLimitedError(call.path, retryAt);
        await this.sleep(wait);
        continue;
      }
      if (response.status >= 500) {
        await response.body?.cancel();
        if (++failures > maxRetries) throw new HelixUnavailableError(call.path, `status ${response.status}`);
        await this.sleep(this.backoff(failures));
        continue;
      }
      const text = await response.text();
      const body = text === '' ? null : (JSON.parse(text) as T & { message?: string });
      if (response.status === 401 && call.auth.kind === 'app' && !renewedToken) {
        // App tokens expire or get revoked; Twitch's advice is to fetch a new one and try again.
        this.options.appToken.invalidate(bearer);
        renewedToken = true;
        continue;
      }
      if (response.status >= 400) {
        const message = (body as { message?: string } | null)?.message ?? 'no message';
        throw new HelixError(response.status, call.path, message);
      }
      return { status: response.status, body, rateLimit };
    }
  }

  private send(call: HelixCall, bearer: string): Promise<Response> {
    const query = call.query && call.query.length > 0 ? `?${new URLSearchParams(call.query)}` : '';
    const headers: Record<string, string> = {
      authorization: `Bearer ${bearer}`,
      'client-id': this.options.clientId,
    };
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    return this.fetch(`${this.options.apiUrl}${call.path}${query}`, {
      method: call.method,
      headers,
      signal: AbortSignal.timeout(call.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      ...(call.body !== undefined ? { body: JSON.stringify(call.body) } : {}),
    });
  }

  private backoff(failures: number): number {
    return FIRST_BACKOFF_MS * 2 ** (failures - 1) * (0.75 + this.random() * 0.5);
  }
}
