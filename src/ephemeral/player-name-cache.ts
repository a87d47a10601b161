import type { PlayerName } from '../durable/player-names.js';
import type { EphemeralConnection, PlainValues } from './ephemeral-store.js';

/**
 * How long Redis keeps a user's name, in ms. Postgres has it durably; the refresher writes a fresh
 * copy whenever it fetches one, and a Bits title drops it. @default 1 h
 */
export const PLAYER_NAME_TTL_MS = 3_600_000;

/**
 * `display_name:{userId}`: how a user is shown (Twitch display name, Bits title), cached from the
 * users table so that lobby and live-mission views read no Postgres. `{"player":null,…}` is cached too:
 * "no name yet" is an answer, not a miss.
 */
export class PlayerNameCache {
  constructor(private readonly store: PlainValues & Pick<EphemeralConnection, 'keys'>) {}

  /** The cached names; users Redis has nothing for are missing from the map. */
  async read(userIds: readonly string[]): Promise<Map<string, PlayerName>> {
    const found = new Map<string, PlayerName>();
    if (userIds.length === 0) return found;
    const values = await this.store.getValues(userIds.map((id) => this.store.keys.displayName(id)));
    values.forEach((value, i) => {
      const parsed = value === null ? null : parse(value);
      if (parsed) found.set(userIds[i]!, parsed);
    });
    return found;
  }

  async write(names: ReadonlyMap<string, PlayerName>): Promise<void> {
    await Promise.all(
      [...names].map(([userId, name]) =>
        this.store.setValue(
          this.store.keys.displayName(userId),
          JSON.stringify({ player: name.player, playerTitle: name.playerTitle }),
          PLAYER_NAME_TTL_MS,
        ),
      ),
    );
  }

  /** Drops the cached names (a title was bought): the next read takes them from Postgres. */
  async forget(userIds: readonly string[]): Promise<void> {
    await this.store.deleteKeys(userIds.map((id) => this.store.keys.displayName(id)));
  }
}

function parse(value: string): PlayerName | null {
  try {
    const raw = JSON.parse(value) as Partial<PlayerName>;
    const ok = (v: unknown) => v === null || typeof v === 'string';
    return ok(raw.player) && ok(raw.playerTitle)
      ? { player: raw.player ?? null, playerTitle: raw.playerTitle ?? null }
      : null;
  } catch {
    // Written by another release or damaged: a miss, rebuilt from Postgres.
    return null;
  }
}
