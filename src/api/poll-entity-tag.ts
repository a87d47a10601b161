import { hash } from 'node:crypto';
import type { PlayerName } from '../durable/player-names.js';
import type { StoredLobby } from '../ephemeral/lobby-store.js';
import type { LiveVotes } from './live-votes.js';

/** The tag of every logged-out viewer's poll: they all see the same empty state. */
export const ANONYMOUS_ETAG = '"anonymous"';

/**
 * The entity tag of a viewer's state: a hash of the raw Redis values the poll reads, before any
 * parsing, and of the names and votes it shows.
 */
export function entityTag(
  roster: string,
  missions: readonly (string | null)[],
  lobby: StoredLobby | null,
  names: ReadonlyMap<string, PlayerName>,
  votes: readonly LiveVotes[],
): string {
  let state = roster;
  for (const m of missions) state += `\n${m ?? '-'}`;
  if (votes.some((v) => v.choice || v.retreat)) state += `\n${JSON.stringify(votes)}`;
  state += lobby ? `\n${lobby.lobby.id}:${lobby.version}` : '\n-';
  // The names shown: one fetched (or a title bought) later changes the tag.
  for (const [id, name] of names) state += `\n${id}=${name.player ?? ''}|${name.playerTitle ?? ''}`;
  // One-shot hashing: one call into the crypto binding instead of one per part.
  return `"${hash('sha1', state, 'base64url')}"`;
}
