import { HelixError, HelixUnavailableError, TwitchNotConfiguredError } from './twitch-errors.js';

/** Renew an app token this long before Twitch says it expires, in ms. */
const RENEW_BEFORE_MS = 60_000;

export interface AppTokenOptions {
  /** Twitch's OAuth base, e.g. https://id.twitch.tv/oauth2 (the token endpoint is `${authUrl}/token`). */
  authUrl: string;
  clientId: string;
  clientSecret: string | undefined;
  clock?: () => number;
  fetch?: typeof fetch;
}

interface Held {
  token: string;
  /** ms since the epoch */
  expiresAt: number;
}

/**
 * An app access token from Twitch's client-credentials flow, fetched on first use, shared by every
 * concurrent caller (one request in flight at most), and renewed before it expires or when Twitch
 * says it is no longer valid (`invalidate`).
 */
export class AppTokenSource {
  private held: Held | null = null;
  private pending: Promise<Held> | null = null;
  private readonly clock: () => number;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: AppTokenOptions) {
    this.clock = options.clock ?? Date.now;
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  get configured(): boolean {
    return this.options.clientSecret !== undefined;
  }

  async token(): Promise<string> {
    if (this.held && this.held.expiresAt - RENEW_BEFORE_MS > this.clock()) return this.held.token;
    this.pending ??= this.request().finally(() => {
      this.pending = null;
    });
    this.held = await this.pending;
    return this.held.token;
  }

  /** Forget a token Twitch refused (401): the next call fetches a new one. */
  invalidate(token: string): void {
    if (this.held?.token === token) this.held = null;
  }

  private async request(): Promise<Held> {
    const { authUrl, clientId, clientSecret } = this.options;
    if (clientSecret === undefined) {
      throw new TwitchNotConfiguredError('TWITCH_CLIENT_SECRET is not set: no app access token');
    }
    const path = '/token';
    let response: Response;
    try {
      response = await this.fetch(`${authUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          client_id: clientId,
          client_secret: clientSecret,
          grant_type: 'client_credentials',
        }).toString(),
      });
    } catch (error) {
      throw new HelixUnavailableError(path, String(error));
    }
    const body = (await response.json().catch(() => ({}))) as {
      access_token?: string;
      expires_in?: number;
      message?: string;
    };
    if (response.status >= 500) throw new HelixUnavailableError(path, `status ${response.status}`);
    if (!response.ok || typeof body.access_token !== 'string' || typeof body.expires_in !== 'number') {
      throw new HelixError(response.status, path, body.message ?? 'no access token in the answer');
    }
    return { token: body.access_token, expiresAt: this.clock() + body.expires_in * 1000 };
  }
}
