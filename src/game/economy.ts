import type { Content, Rules } from './content-types.js';
import { NoFreePerkSlotError, NotRecoveringError, NotRevivableError, SurvivorDeadError } from './errors.js';
import { drawPerkOffers } from './perk-offers.js';
import { recoveryPrice } from './recovery-price.js';
import { hashString } from './rng.js';
import { MAX_LIVING_SURVIVORS, type Survivor } from './survivor.js';

/*
 * What a viewer's stash supplies buy for a survivor, and what each costs (rules.json `prices`).
 * Pure: the API checks and prices a purchase here, then takes the supplies and applies the change in
 * one Postgres transaction.
 */

export const PURCHASES = ['recover', 'revive', 'reroll_offers'] as const;
export type Purchase = (typeof PURCHASES)[number];

/**
 * The one revive rule, for supplies and Bits alike: a survivor that fell on a mission (or is still
 * recovering) stands up again, healed and idle; a retired one stays retired (that was the player's
 * choice), and a fallen one comes back only if the roster has room for another living survivor.
 * Throws NotRevivableError saying why not.
 */
export function assertRevivable(
  s: Pick<Survivor, 'id' | 'state'> & { retired: boolean },
  livingSurvivors: number,
): void {
  if (s.retired) throw new NotRevivableError(s.id, 'it retired');
  if (s.state !== 'dead' && s.state !== 'recovering')
    throw new NotRevivableError(s.id, `it is ${s.state.replace('_', ' ')}, not fallen or recovering`);
  if (s.state === 'dead' && livingSurvivors >= MAX_LIVING_SURVIVORS)
    throw new NotRevivableError(s.id, `you already keep ${MAX_LIVING_SURVIVORS} living survivors`);
}

/**
 * The price of `purchase` for survivor `s` at `now`, or the rule error saying why it cannot be bought
 * (a revive is checked in full by assertRevivable, which needs the roster).
 */
export function purchasePrice(purchase: Purchase, s: Survivor, now: number, rules: Rules): number {
  switch (purchase) {
    case 'recover':
      if (s.state !== 'recovering' || s.stateUntil === null || s.stateUntil <= now)
        throw new NotRecoveringError(s.id, s.state);
      return recoveryPrice(s.stateUntil, now, rules.prices.recoverPerMinute);
    case 'revive':
      return rules.prices.revive;
    case 'reroll_offers':
      if (s.state === 'dead') throw new SurvivorDeadError(s.id);
      if (s.perks.length >= s.perkSlots) throw new NoFreePerkSlotError(s.id);
      return rules.prices.rerollOffers;
  }
}

/**
 * The seed of a survivor's perk-offer draw: its id and how many draws it had before, so each draw is
 * reproducible and repeating a request cannot fish for another (every redraw is paid for).
 */
export function perkOfferSeed(survivorId: string, draw: number): string {
  return hashString(`perk-offers:${survivorId}:${draw}`).toString();
}

/**
 * The offers of a survivor's n-th paid redraw: perks it neither has nor was just offered, so a redraw
 * shows something new (or, when nothing new is left, any perk it does not have).
 */
export function redrawnPerkOffers(
  s: Pick<Survivor, 'id' | 'level' | 'perks'> & { perkOffers: readonly string[] },
  n: number,
  content: Content,
): string[] {
  const seed = perkOfferSeed(s.id, n);
  const fresh = drawPerkOffers(seed, s.level, [...s.perks, ...s.perkOffers], content);
  return fresh.length > 0 ? fresh : drawPerkOffers(seed, s.level, s.perks, content);
}
