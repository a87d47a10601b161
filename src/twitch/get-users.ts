import type { HelixRateLimit } from './helix-client.js';
import type { TwitchApi } from './twitch-api.js';

/** Get Users takes at most this many ids per call. */
export const GET_USERS_MAX_IDS = 100;

export interface TwitchUser {
  id: string;
  login: string;
  displayName: string;
}

interface HelixUser {
  id: string;
  login: string;
  display_name: string;
}

export interface GetUsersAnswer {
  users: TwitchUser[];
  /** What this answer's Ratelimit-* headers said of the app token's bucket. */
  rateLimit: HelixRateLimit | null;
}

export interface GetUsersOptions {
  /** Wait out a 429 that resets within this many ms; 0 throws HelixRateLimitedError at once. @default 5000 */
  rateLimitWaitMs?: number;
}

/** Get Users (GET /users?id=…) with the app access token; users Twitch does not know are left out. */
export async function getUsers(
  api: TwitchApi,
  ids: readonly string[],
  options: GetUsersOptions = {},
): Promise<GetUsersAnswer> {
  if (ids.length === 0) return { users: [], rateLimit: null };
  if (ids.length > GET_USERS_MAX_IDS) throw new RangeError(`at most ${GET_USERS_MAX_IDS} ids per call`);
  const answer = await api.helix.call<{ data: HelixUser[] }>({
    method: 'GET',
    path: '/users',
    query: ids.map((id) => ['id', id]),
    auth: { kind: 'app' },
    ...options,
  });
  const users = (answer.body?.data ?? []).map((u) => ({
    id: u.id,
    login: u.login,
    displayName: u.display_name,
  }));
  return { users, rateLimit: answer.rateLimit };
}
