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

/** Get Users (GET /users?id=…) with the app access token; users Twitch does not know are left out. */
export async function getUsers(api: TwitchApi, ids: readonly string[]): Promise<TwitchUser[]> {
  if (ids.length === 0) return [];
  if (ids.length > GET_USERS_MAX_IDS) throw new RangeError(`at most ${GET_USERS_MAX_IDS} ids per call`);
  const answer = await api.helix.call<{ data: HelixUser[] }>({
    method: 'GET',
    path: '/users',
    query: ids.map((id) => ['id', id]),
    auth: { kind: 'app' },
  });
  return (answer.body?.data ?? []).map((u) => ({ id: u.id, login: u.login, displayName: u.display_name }));
}
