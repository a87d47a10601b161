import type { Database } from '../durable/database.js';
import { redrawPerkOffers } from '../durable/perk-offer-draws.js';
import { reviveSurvivor } from '../durable/revive-survivor.js';
import { readStash, spendSupplies } from '../durable/stash.js';
import {
  lockOwnSurvivor,
  restoreSurvivor,
  type SurvivorRecord,
  wakeRecoveredSurvivors,
} from '../durable/survivors.js';
import { lockUser } from '../durable/users.js';
import type { ViewerCache } from '../ephemeral/viewer-cache.js';
import { type Content, type Purchase, purchasePrice, redrawnPerkOffers } from '../game/index.js';
import { NotEnoughSuppliesError, SurvivorNotFoundError } from './engine-errors.js';

export interface PurchaseOutcome {
  survivor: SurvivorRecord;
  /** Supplies taken from the stash. */
  spent: number;
  /** Supplies left in it. */
  supplies: number;
}

/** What a purchase uses: Postgres, the game's content, the roster cache to drop, the clock. */
export interface PurchaseDeps {
  db: Database;
  content: Content;
  viewerCache: Pick<ViewerCache, 'invalidate'>;
  clock: () => number;
}

/**
 * Buys `purchase` for one of the caller's survivors with stash supplies, in one Postgres transaction:
 * the game's rules first (a rule error changes nothing), then the supplies are taken by a guarded
 * update (too few: NotEnoughSuppliesError, and nothing changes), then the survivor is changed. The
 * user's row is locked first, so one viewer's purchases run one at a time: parallel requests never
 * spend the same supplies twice.
 */
export async function buyForSurvivor(
  ctx: PurchaseDeps,
  userId: string,
  survivorId: string,
  purchase: Purchase,
): Promise<PurchaseOutcome> {
  // A recovery already over is not for sale: the survivor wakes first, as on every roster read.
  await wakeRecoveredSurvivors(ctx.db, userId, ctx.clock());
  const outcome = await ctx.db.transaction(async (tx) => {
    await lockUser(tx, userId);
    const survivor = await lockOwnSurvivor(tx, userId, survivorId);
    if (!survivor) throw new SurvivorNotFoundError(survivorId);
    const price = purchasePrice(purchase, survivor, ctx.clock(), ctx.content.rules);
    // A revive is checked (and made) first: its rule needs the roster, and the rollback undoes it if the
    // supplies fall short.
    const revived = purchase === 'revive' ? await reviveSurvivor(tx, userId, survivorId) : null;
    const supplies = await spendSupplies(tx, userId, price);
    if (supplies === null) throw new NotEnoughSuppliesError(price, (await readStash(tx, userId)).supplies);
    const changed =
      revived ??
      (purchase === 'recover'
        ? await restoreSurvivor(tx, survivor.id)
        : await redrawPerkOffers(tx, userId, survivor.id, (n) =>
            redrawnPerkOffers(survivor, n, ctx.content),
          ));
    return { survivor: changed, spent: price, supplies };
  });
  await ctx.viewerCache.invalidate([userId]);
  return outcome;
}
