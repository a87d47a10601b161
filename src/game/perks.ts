import type { Content } from './content-types.js';
import {
  PerkAlreadyEquippedError,
  PerkLockedError,
  PerkNotEquippedError,
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
