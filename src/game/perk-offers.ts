import type { Content } from './content-types.js';
import { hashString, Rng } from './rng.js';

/*
 * Perk offers are binding: a survivor equips only a perk it was offered. Offers arrive when a slot
 * opens (at creation, and at the levels that open one), and supplies buy a new draw. Each draw is
 * seeded by the caller (the mission seed, the survivor's seed, the reroll count), so it is
 * reproducible and cannot be fished for by repeating a request.
 */

/** Up to `count` perk ids the survivor may take at `level`, none of those in `exclude`. */
export function drawPerkOffers(
  seed: string,
  level: number,
  exclude: readonly string[],
  content: Content,
): string[] {
  const candidates = Object.keys(content.perks)
    .filter((id) => !exclude.includes(id) && (content.perks[id]?.minLevel ?? 1) <= level)
    .sort();
  const rng = Rng.fromSeedString(seed);
  const offers: string[] = [];
  while (offers.length < content.rules.perkOffers && candidates.length > 0) {
    offers.push(candidates.splice(rng.int(0, candidates.length - 1), 1)[0]!);
  }
  return offers;
}

/** A new survivor's first offers (its first slots are open), drawn from its creation seed. */
export function firstPerkOffers(creationSeed: string, content: Content): string[] {
  return drawPerkOffers(hashString(`first-perk-offers:${creationSeed}`).toString(), 1, [], content);
}
