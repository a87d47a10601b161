import type { Content } from './content-types.js';
import {
  PerkAlreadyEquippedError,
  PerkLockedError,
  PerkNotEquippedError,
  PerkNotOfferedError,
  PerkSlotsFullError,
  SurvivorBusyError,
  SurvivorDeadError,
  UnknownPerkError,
} from './errors.js';
import type { Survivor } from './survivor.js';

// Perks change only between missions, so a survivor in a lobby or out there keeps what it left with.
function assertIdle(s: Survivor): void {
  if (s.state === 'dead') throw new SurvivorDeadError(s.id);
  if (s.state !== 'idle') throw new SurvivorBusyError(s.id, s.state);
}

export function equipPerk(s: Survivor, perkId: string, content: Content): Survivor {
  assertIdle(s);
  const perk = content.perks[perkId];
  if (!perk) throw new UnknownPerkError(perkId);
  if (s.perks.includes(perkId)) throw new PerkAlreadyEquippedError(perkId);
  if (s.level < perk.minLevel) throw new PerkLockedError(perkId, perk.minLevel);
  if (s.perks.length >= s.perkSlots) throw new PerkSlotsFullError(s.perkSlots);
  return { ...s, perks: [...s.perks, perkId] };
}

export function unequipPerk(s: Survivor, perkId: string): Survivor {
  assertIdle(s);
  if (!s.perks.includes(perkId)) throw new PerkNotEquippedError(perkId);
  return { ...s, perks: s.perks.filter((p) => p !== perkId) };
}

/** A survivor with the perk offers it may take from (the durable record keeps them). */
type Offered = Survivor & { perkOffers: readonly string[] };

/**
 * Offers are binding: a survivor equips only a perk it was offered (when a slot opened, at creation,
 * or by a paid redraw), and taking it uses the offer up. The perk rules above apply as well.
 */
export function takeOfferedPerk<S extends Offered>(s: S, perkId: string, content: Content): S {
  const equipped = equipPerk(s, perkId, content);
  if (!s.perkOffers.includes(perkId)) throw new PerkNotOfferedError(perkId);
  return { ...s, perks: equipped.perks, perkOffers: s.perkOffers.filter((p) => p !== perkId) };
}

/** Unequips a perk and puts it back among the offers, so that taking it off loses nothing. */
export function returnPerkToOffers<S extends Offered>(s: S, perkId: string): S {
  const unequipped = unequipPerk(s, perkId);
  return { ...s, perks: unequipped.perks, perkOffers: [...s.perkOffers.filter((p) => p !== perkId), perkId] };
}
