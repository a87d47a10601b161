import { growAttributes } from './attribute-growth.js';
import type { Content } from './content-types.js';
import { MissionStillActiveError } from './errors.js';
import type { MissionState, MissionStatus, PartyMember } from './mission-state.js';
import { drawPerkOffers } from './perk-offers.js';
import { levelForXp, perkSlotsForLevel } from './progression.js';
import { suppliesText } from './render-text.js';
import { deriveSeed } from './rng.js';
import { type Attributes, maxHealthFor, maxStaminaFor, type Survivor } from './survivor.js';

export interface SurvivorOutcome {
  survivorId: string;
  xpGained: number;
  /** Total XP after the mission. */
  xp: number;
  level: number;
  levelsGained: number;
  perkSlots: number;
  /** Perk ids offered because a slot opened (empty when none did), drawn from the mission seed. */
  perkOffers: string[];
  /** Attributes after the level-ups (they grow every few levels), and the maxima they give. */
  attributes: Attributes;
  maxHealth: number;
  maxStamina: number;
  health: number;
  stamina: number;
  dead: boolean;
  /** How long the survivor recovers, in ms: proportional to health lost; 0 when unhurt or dead. */
  recoveryMs: number;
}

export interface MissionResult {
  status: Exclude<MissionStatus, 'active'>;
  ticks: number;
  /** Supplies brought home: each member's stash receives them all (group loot is everyone's). */
  supplies: number;
  /** Item ids brought home; each member's stash receives them all. */
  items: string[];
  /** Supplies plus the value of the items: what the leaderboard counts as loot. */
  lootValue: number;
  survivors: SurvivorOutcome[];
  summary: string;
}

const PERK_OFFER_SALT = 'perk-offers';

function summarize(state: MissionState, content: Content, supplies: number): string {
  const place = content.locations[state.location]?.name ?? state.location;
  const level = content.difficulties[state.difficulty - 1]?.name ?? `difficulty ${state.difficulty}`;
  const solo = state.party.length === 1;
  const verdict = {
    succeeded: 'held out at',
    failed: solo ? 'was overrun at' : 'were overrun at',
    retreated: 'retreated from',
    active: 'is still at',
  }[state.status];
  const dead = state.party.filter((m) => m.dead).length;
  const carried = supplies > 0 ? `${suppliesText(supplies)} brought home` : 'no supplies brought home';
  const where = `${place} (${level}) after ${state.tick} of ${state.length} ticks`;
  if (solo) {
    const name = state.party[0]?.name ?? 'The survivor';
    const back = dead > 0 ? 'did not come back' : 'came back';
    return `${name} ${verdict} ${where} and ${back}; ${carried}.`;
  }
  const losses = dead > 0 ? `, ${dead} died` : '';
  return `The party of ${state.party.length} ${verdict} ${where}: ${state.party.length - dead} came back${losses}; ${carried}.`;
}

/**
 * The end of a mission: XP (with shares for a retreat or a failure and a bonus for holding out),
 * level-ups, perk offers, supplies and recovery. `party` is the survivors as they were at start.
 */
export function finishMission(state: MissionState, party: Survivor[], content: Content): MissionResult {
  if (state.status === 'active') throw new MissionStillActiveError();
  const status = state.status;
  const { rules } = content;
  const reward = content.difficulties[state.difficulty - 1]?.reward ?? 1;
  const xpShare =
    status === 'succeeded' ? 1 : status === 'retreated' ? rules.retreatXpShare : rules.failedXpShare;
  const bonus = status === 'succeeded' ? Math.round(rules.completionXpPerTick * state.tick * reward) : 0;
  const suppliesShare =
    status === 'succeeded'
      ? 1
      : status === 'retreated'
        ? rules.retreatSuppliesShare
        : rules.failedSuppliesShare;
  const supplies = Math.floor(state.supplies * suppliesShare);
  // What was found is carried out on a retreat, and lost with the party.
  const items = status === 'failed' ? [] : [...(state.found ?? [])];
  let lootValue = supplies;
  for (const id of items) lootValue += content.items[id]?.value ?? 0;

  const survivors = state.party.map((m: PartyMember, index): SurvivorOutcome => {
    const s = party.find((p) => p.id === m.id);
    if (!s) throw new RangeError(`Survivor ${m.id} of the mission is not in the party given`);
    const xpGained = Math.floor(m.xp * xpShare) + bonus;
    const xp = s.xp + xpGained;
    const level = levelForXp(xp);
    const levelsGained = Math.max(0, level - s.level);
    const health = m.dead ? 0 : m.health;
    const attributes = m.dead ? s.attributes : growAttributes(s.attributes, s.level, level);
    const perkSlots = perkSlotsForLevel(level);
    const slotOpened = perkSlots > s.perkSlots && !m.dead;
    return {
      survivorId: m.id,
      xpGained,
      xp,
      level,
      levelsGained,
      perkSlots,
      perkOffers: slotOpened
        ? drawPerkOffers(deriveSeed(state.seed, PERK_OFFER_SALT, index), level, s.perks, content)
        : [],
      attributes,
      maxHealth: maxHealthFor(attributes),
      maxStamina: maxStaminaFor(attributes),
      health,
      stamina: m.dead ? 0 : m.stamina,
      dead: m.dead,
      recoveryMs: m.dead ? 0 : (m.maxHealth - health) * rules.recoveryMsPerHealth,
    };
  });
  return {
    status,
    ticks: state.tick,
    supplies,
    items,
    lootValue,
    survivors,
    summary: summarize(state, content, supplies),
  };
}
