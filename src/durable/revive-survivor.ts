import { assertRevivable } from '../game/index.js';
import type { Queryable } from './database.js';
import { countLivingSurvivors, lockOwnSurvivor, restoreSurvivor, type SurvivorRecord } from './survivors.js';
import { lockUser } from './users.js';

/**
 * Revives one of `userId`'s survivors under the game's one revive rule (assertRevivable), whoever
 * pays: supplies from the stash or a Bits purchase. Locks the user's row first (the lock order:
 * transaction-retry.ts), so two revives at once cannot both pass the living-survivor limit. Returns
 * null when the user has no such survivor; throws NotRevivableError when the rule says no.
 */
export async function reviveSurvivor(
  tx: Queryable,
  userId: string,
  survivorId: string,
): Promise<SurvivorRecord | null> {
  await lockUser(tx, userId);
  const survivor = await lockOwnSurvivor(tx, userId, survivorId);
  if (!survivor) return null;
  assertRevivable(
    { ...survivor, retired: survivor.retiredAt !== null },
    await countLivingSurvivors(tx, userId),
  );
  return restoreSurvivor(tx, survivor.id);
}
