import type {
  BitsOutcome,
  BitsProductView,
  BitsTarget,
  Catalog,
  ChannelEvent,
  ChannelEventKind,
  ChannelSettings,
  CurrentEvent,
  FullLogLine,
  LeaderboardEntry,
  Lobby,
  MissionSummary,
  OpenChoice,
  Poll,
  Purchase,
  Season,
  Stash,
  Survivor,
} from './api-types.js';

/**
 * Where the API lives. Empty: the page's own origin (holdout serve, the local play page). The extension
 * zip is built with HOLDOUT_API_URL, since Twitch serves the files from its own CDN.
 */
export const API_BASE: string = import.meta.env.VITE_HOLDOUT_API_URL ?? '';

import { ApiProblem } from './api-problem.js';

export { ApiProblem };

const NETWORK_MESSAGE = "Can't reach the Holdout server. Check your connection; retrying.";

function retryAfterMs(response: Response): number | null {
  const header = response.headers.get('retry-after');
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now());
}

async function problemOf(response: Response): Promise<ApiProblem> {
  let code = `http_${response.status}`;
  let detail = `The server answered ${response.status} ${response.statusText}`.trim();
  try {
    const body = (await response.json()) as { code?: string; detail?: string };
    if (body.code) code = body.code;
    if (body.detail) detail = body.detail;
  } catch {
    // Not problem+json (a proxy's error page): the status line is all there is to say.
  }
  return new ApiProblem(response.status, code, detail, retryAfterMs(response));
}

export type PollOutcome = { kind: 'changed'; poll: Poll; etag: string | null } | { kind: 'unchanged' };

/** The Holdout API as the panel uses it; every call carries the latest Twitch token. */
export class HoldoutApi {
  constructor(
    private readonly token: () => string | null,
    private readonly base = API_BASE,
  ) {}

  private async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const token = this.token();
    if (!token) throw new ApiProblem(401, 'missing_token', 'Waiting for Twitch to authorize the extension…');
    let response: Response;
    try {
      response = await fetch(`${this.base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        body: body === undefined ? null : JSON.stringify(body),
      });
    } catch {
      throw new ApiProblem(0, 'network', NETWORK_MESSAGE);
    }
    if (response.status >= 400) throw await problemOf(response);
    return response;
  }

  private async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await this.request(method, path, body);
    return (await response.json()) as T;
  }

  async poll(cursor: string, etag: string | null): Promise<PollOutcome> {
    const query = cursor ? `?cursor=${encodeURIComponent(cursor)}` : '';
    const response = await this.request(
      'GET',
      `/v1/poll${query}`,
      undefined,
      etag ? { 'if-none-match': etag } : {},
    );
    if (response.status === 304) return { kind: 'unchanged' };
    return { kind: 'changed', poll: (await response.json()) as Poll, etag: response.headers.get('etag') };
  }

  catalog = () => this.json<Catalog>('GET', '/v1/missions/catalog');
  createSurvivor = (name: string) => this.json<Survivor>('POST', '/v1/survivors', { name });
  retire = (id: string) => this.json<Survivor>('POST', `/v1/survivors/${id}/retire`, { confirm: true });
  equip = (id: string, perkId: string) =>
    this.json<Survivor>('POST', `/v1/survivors/${id}/perks`, { perkId });
  unequip = (id: string, perkId: string) =>
    this.json<Survivor>('DELETE', `/v1/survivors/${id}/perks/${perkId}`);
  stash = () => this.json<Stash>('GET', '/v1/stash');
  spend = (purchase: Purchase, survivorId: string) =>
    this.json<{ survivor: Survivor; spent: number; stash: Stash }>('POST', '/v1/stash/spend', {
      purchase,
      survivorId,
    });
  history = (id: string) =>
    this.json<{ missions: MissionSummary[]; nextBefore: string | null }>(
      'GET',
      `/v1/survivors/${id}/history?limit=10`,
    );
  startMission = (survivorId: string, location: string, difficulty: number, carry: string[] = []) =>
    this.json<{ missionId: string }>('POST', '/v1/missions', {
      survivorId,
      location,
      difficulty,
      ...(carry.length > 0 ? { carry } : {}),
    });
  mission = (missionId: string) => this.json<MissionSummary>('GET', `/v1/missions/${missionId}`);
  retreat = (missionId: string) => this.json<unknown>('POST', `/v1/missions/${missionId}/retreat`);
  choose = (missionId: string, stance: string) =>
    this.json<OpenChoice>('POST', `/v1/missions/${missionId}/choice`, { stance });
  missionLog = (missionId: string, after = 0) =>
    this.json<{ lines: FullLogLine[]; nextAfter: number | null }>(
      'GET',
      `/v1/missions/${missionId}/log?after=${after}&limit=200`,
    );
  lobbies = () => this.json<{ lobbies: Lobby[] }>('GET', '/v1/lobbies');
  createLobby = (survivorId: string, location: string, difficulty: number) =>
    this.json<Lobby>('POST', '/v1/lobbies', { survivorId, location, difficulty });
  joinLobby = (lobbyId: string, survivorId: string) =>
    this.json<Lobby>('POST', `/v1/lobbies/${lobbyId}/join`, { survivorId });
  setReady = (lobbyId: string, ready: boolean) =>
    this.json<Lobby>('PUT', `/v1/lobbies/${lobbyId}/ready`, { ready });
  setLobbyCarry = (lobbyId: string, carry: string[]) =>
    this.json<Lobby>('PUT', `/v1/lobbies/${lobbyId}/carry`, { carry });
  leaveLobby = (lobbyId: string) => this.json<unknown>('POST', `/v1/lobbies/${lobbyId}/leave`);
  startLobby = (lobbyId: string) => this.json<{ missionId: string }>('POST', `/v1/lobbies/${lobbyId}/start`);
  leaderboard = () => this.json<{ entries: LeaderboardEntry[] }>('GET', '/v1/channel/leaderboard?limit=20');
  settings = () => this.json<ChannelSettings>('GET', '/v1/channel/settings');
  overlayUrl = () => this.json<{ secret: string; path: string }>('GET', '/v1/channel/overlay');
  rotateOverlayUrl = () => this.json<{ secret: string; path: string }>('POST', '/v1/channel/overlay/rotate');
  season = () => this.json<Season>('GET', '/v1/channel/season?limit=3');
  bitsProducts = () => this.json<{ products: BitsProductView[] }>('GET', '/v1/bits/products');
  sendBitsReceipt = (receipt: string, target: BitsTarget) =>
    this.json<BitsOutcome>('POST', '/v1/bits/transactions', { receipt, target });
  removeLobbyMember = (lobbyId: string, survivorId: string) =>
    this.json<unknown>('POST', `/v1/lobbies/${lobbyId}/remove`, { survivorId });
  currentEvent = (yours = false) =>
    this.json<CurrentEvent>('GET', `/v1/events/current${yours ? '?yours=true' : ''}`);
  openEvent = (input: {
    kind: ChannelEventKind;
    location: string;
    difficulty: number;
    signupSeconds: number;
  }) => this.json<ChannelEvent>('POST', '/v1/events', input);
  startEvent = (eventId: string) => this.json<ChannelEvent>('POST', `/v1/events/${eventId}/start`);
  cancelEvent = (eventId: string) => this.json<ChannelEvent>('POST', `/v1/events/${eventId}/cancel`);
  removeFromEvent = (eventId: string, survivorId: string) =>
    this.json<ChannelEvent>('POST', `/v1/events/${eventId}/remove`, { survivorId });
  joinEvent = (eventId: string, survivorId: string) =>
    this.json<ChannelEvent>('POST', `/v1/events/${eventId}/join`, { survivorId });
  leaveEvent = (eventId: string) => this.json<ChannelEvent>('POST', `/v1/events/${eventId}/leave`);
  saveSettings = (settings: Partial<ChannelSettings>) =>
    this.json<ChannelSettings>('PUT', '/v1/channel/settings', settings);
}

/** What to show for any failure: the API's own words, or the error's message. */
export function describeError(error: unknown): string {
  if (error instanceof ApiProblem) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}
