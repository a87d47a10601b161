import type { Database } from '../durable/database.js';
import { ensureUser } from '../durable/users.js';
import type { EphemeralConnection, PlainValues } from '../ephemeral/ephemeral-store.js';

/** Opaque ids remembered in this process; an id never changes, so this cache is never wrong. */
const MEMORY_ENTRIES = 100_000;
/** How long Redis remembers an opaque id → user id, in ms. */
const REDIS_TTL_MS = 24 * 60 * 60 * 1000;

/** Who a Twitch token says the viewer is: its opaque id, and its Twitch user id when shared. */
export interface TwitchIdentity {
  opaqueUserId: string;
  twitchUserId: string | null;
}

interface Known {
  id: string;
  twitchUserId: string | null;
}

/** A remembered id still holds unless the token now names a different Twitch user for the opaque id. */
function isFreshFor(viewer: TwitchIdentity, known: Known): boolean {
  return viewer.twitchUserId === null || known.twitchUserId === viewer.twitchUserId;
}

/**
 * Finds the internal user id behind a Twitch opaque id — in this process, then Redis, then Postgres
 * (where a user is created on first sight) — so that the hot path reads no Postgres.
 */
export class UserDirectory {
  private readonly known = new Map<string, Known>();

  constructor(
    private readonly db: Database,
    private readonly store: PlainValues & Pick<EphemeralConnection, 'keys'>,
  ) {}

  /** The user id of a logged-in viewer, creating the user on first sight. */
  async userIdOf(viewer: TwitchIdentity): Promise<string> {
    const local = this.knownUserIdOf(viewer);
    if (local !== null) return local;
    const key = this.store.keys.userIdByOpaqueId(viewer.opaqueUserId);
    const cached = await this.store.getValue(key);
    if (cached !== null) {
      const parsed = JSON.parse(cached) as Known;
      if (isFreshFor(viewer, parsed)) return this.remember(viewer.opaqueUserId, parsed);
    }
    const user = await ensureUser(this.db, viewer.opaqueUserId, viewer.twitchUserId);
    const known = { id: user.id, twitchUserId: user.twitchUserId };
    await this.store.setValue(key, JSON.stringify(known), REDIS_TTL_MS);
    return this.remember(viewer.opaqueUserId, known);
  }

  /** The user id when this process knows it already, without a promise (the poll's hot path); else null. */
  knownUserIdOf(viewer: TwitchIdentity): string | null {
    const local = this.known.get(viewer.opaqueUserId);
    return local !== undefined && isFreshFor(viewer, local) ? local.id : null;
  }

  private remember(opaqueUserId: string, known: Known): string {
    if (this.known.size >= MEMORY_ENTRIES) this.known.delete(this.known.keys().next().value!);
    this.known.set(opaqueUserId, known);
    return known.id;
  }
}
