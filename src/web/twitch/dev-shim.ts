import { API_BASE } from '../api/holdout-api.js';
import type { TwitchAuth, TwitchContext, TwitchExt } from './twitch-ext.js';

/*
 * Stands in for window.Twitch.ext off Twitch (the local play page, `holdout serve` opened directly):
 * it mints development tokens from POST /dev/token. The page's query chooses who it is:
 *   ?viewer=Ualice  the opaque id (A… = logged out); default: one kept in this browser
 *   &role=broadcaster  &channel=1000  &theme=light|dark
 */

/** Ask for a fresh token this long before the current one expires, in ms. */
const REFRESH_BEFORE_MS = 60_000;
const TOKEN_TTL_SECONDS = 3_600;
const RETRY_MS = 3_000;
const STORAGE_KEY = 'holdout.devViewer';

function defaultViewer(): string {
  try {
    const kept = localStorage.getItem(STORAGE_KEY);
    if (kept) return kept;
    const fresh = `Udev${Math.random().toString(36).slice(2, 10)}`;
    localStorage.setItem(STORAGE_KEY, fresh);
    return fresh;
  } catch {
    return `Udev${Math.random().toString(36).slice(2, 10)}`;
  }
}

interface DevToken {
  token: string;
  opaqueUserId: string;
  channelId: string;
  expiresAt: number;
}

export function createDevExt(): TwitchExt {
  const query = new URLSearchParams(location.search);
  let viewer = query.get('viewer') ?? defaultViewer();
  const role = query.get('role') ?? 'viewer';
  const channelId = query.get('channel') ?? '1000';
  const context: TwitchContext = { theme: query.get('theme') === 'light' ? 'light' : 'dark' };
  const authorized = new Set<(auth: TwitchAuth) => void>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let current: TwitchAuth | null = null;

  async function authorize(): Promise<void> {
    clearTimeout(timer);
    try {
      const response = await fetch(`${API_BASE}/dev/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ opaqueUserId: viewer, role, channelId, ttlSeconds: TOKEN_TTL_SECONDS }),
      });
      if (!response.ok) throw new Error(`POST /dev/token answered ${response.status}`);
      const minted = (await response.json()) as DevToken;
      current = { channelId, clientId: 'holdoutdev', token: minted.token, userId: minted.opaqueUserId };
      for (const callback of authorized) callback(current);
      timer = setTimeout(authorize, Math.max(RETRY_MS, minted.expiresAt - Date.now() - REFRESH_BEFORE_MS));
    } catch {
      // The server is restarting or development tokens are off: keep asking, as Twitch would.
      timer = setTimeout(authorize, RETRY_MS);
    }
  }
  void authorize();

  return {
    onAuthorized(callback) {
      authorized.add(callback);
      if (current) callback(current);
    },
    onContext(callback) {
      callback(context, ['theme']);
    },
    onVisibilityChanged(callback) {
      document.addEventListener('visibilitychange', () => callback(!document.hidden, {}));
    },
    actions: {
      // On Twitch this asks the viewer to log in and share their identity; here it just logs in.
      requestIdShare() {
        if (viewer.startsWith('A')) viewer = `U${viewer.slice(1)}`;
        void authorize();
      },
    },
  };
}
