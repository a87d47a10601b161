/*
 * The state of a mission in progress. It lives in Redis for every active mission, so it is
 * JSON-serializable (no bigint, Map or undefined) and compact: ids, not content.
 */

export type MissionStatus = 'active' | 'succeeded' | 'failed' | 'retreated';

/** One survivor's mutable stats during a mission. */
export interface PartyMember {
  id: string;
  name: string;
  grit: number;
  wits: number;
  agility: number;
  health: number;
  maxHealth: number;
  stamina: number;
  maxStamina: number;
  /** Equipped perk ids, frozen at mission start. */
  perks: string[];
  /** XP earned on this mission so far (before end-of-mission shares and bonuses). */
  xp: number;
  /** At 0 health: out of action until revived. */
  downed: boolean;
  dead: boolean;
  /** Status effect id → ticks left. */
  status: Record<string, number>;
  /** Auto-retreat: the party falls back once this member's health is at or below it; 0 never. */
  retreatAt: number;
  /** Item ids carried from the stash, used up by the mission; their rules apply like perks. */
  items: string[];
}

export interface MissionState {
  /** Unsigned 64-bit seed, in decimal. */
  seed: string;
  /** Content version the mission started on: replays must use the same content. */
  contentVersion: string;
  location: string;
  /** 1..5 */
  difficulty: number;
  /** Total ticks. */
  length: number;
  /** Ticks completed so far; 0 at start. */
  tick: number;
  status: MissionStatus;
  party: PartyMember[];
  supplies: number;
  /** Weather and time-of-day modifier ids drawn at start: [weather, time]. */
  modifiers: string[];
  /**
   * The text's memory, so that lines do not repeat (choose-encounter.ts, tell-outcome.ts), in
   * positions of text-memory.ts: the last RECENT_ENCOUNTERS_KEPT encounters told, newest last...
   */
  recent: number[];
  /** ...and each outcome slot's memory of templates told (choose-template.ts; missing slots: 0). */
  told: number[];
  /** The party's current stance (a stances.json id): chosen at choice points, a logged input. */
  stance: string;
  /** Item ids found so far, in order; they go to the stash when the mission ends. */
  found: string[];
}

/** Encounters remembered for damping; the newest is never drawn again at once. */
export const RECENT_ENCOUNTERS_KEPT = 4;

/** The stance of a mission that has made no choice yet (and of states from before stances). */
export const DEFAULT_STANCE = 'push';

export function isConscious(m: PartyMember): boolean {
  return !m.downed && !m.dead;
}

function cloneCounts(counts: Record<string, number>): Record<string, number> {
  const copy: Record<string, number> = {};
  for (const id in counts) copy[id] = counts[id]!;
  return copy;
}

function cloneMember(m: PartyMember): PartyMember {
  return {
    id: m.id,
    name: m.name,
    grit: m.grit,
    wits: m.wits,
    agility: m.agility,
    health: m.health,
    maxHealth: m.maxHealth,
    stamina: m.stamina,
    maxStamina: m.maxStamina,
    perks: m.perks.slice(),
    xp: m.xp,
    downed: m.downed,
    dead: m.dead,
    status: cloneCounts(m.status),
    // States written before auto-retreat and items existed lack these fields.
    retreatAt: m.retreatAt ?? 0,
    items: m.items?.slice() ?? [],
  };
}

/**
 * A copy that shares nothing mutable with the original. Fields are listed one by one rather than
 * spread: this runs twice per tick, and object literals of a fixed shape are what V8 copies fastest.
 * Keep the order in step with the interfaces above, so that serialized states keep their key order.
 */
export function cloneMissionState(s: MissionState): MissionState {
  const party: PartyMember[] = [];
  for (const m of s.party) party.push(cloneMember(m));
  return {
    seed: s.seed,
    contentVersion: s.contentVersion,
    location: s.location,
    difficulty: s.difficulty,
    length: s.length,
    tick: s.tick,
    status: s.status,
    party,
    supplies: s.supplies,
    modifiers: s.modifiers.slice(),
    // States saved before the text's memory existed have neither field.
    recent: s.recent ? s.recent.slice() : [],
    told: s.told ? s.told.slice() : [],
    stance: s.stance ?? DEFAULT_STANCE,
    found: s.found?.slice() ?? [],
  };
}
