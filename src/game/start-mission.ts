import type { Content, Modifier } from './content-types.js';
import {
  DuplicateSurvivorError,
  InvalidDifficultyError,
  PartySizeError,
  SurvivorBusyError,
  SurvivorDeadError,
  TooManyItemsError,
  UnknownItemError,
  UnknownLocationError,
} from './errors.js';
import { DEFAULT_STANCE, type MissionState, type PartyMember } from './mission-state.js';
import { parseSeed, Rng, tickSeed } from './rng.js';
import { MAX_CARRIED_ITEMS, type Survivor } from './survivor.js';

export const MIN_PARTY_SIZE = 1;
export const MAX_PARTY_SIZE = 4;
export const MIN_DIFFICULTY = 1;
export const MAX_DIFFICULTY = 5;
const MODIFIER_KINDS = ['weather', 'time'] as const;

export function assertDifficulty(difficulty: unknown, content: Content): number {
  if (
    typeof difficulty !== 'number' ||
    !Number.isInteger(difficulty) ||
    difficulty < MIN_DIFFICULTY ||
    difficulty > MAX_DIFFICULTY ||
    content.difficulties[difficulty - 1] === undefined
  ) {
    throw new InvalidDifficultyError(difficulty);
  }
  return difficulty;
}

function toPartyMember(s: Survivor): PartyMember {
  return {
    id: s.id,
    name: s.name,
    grit: s.attributes.grit,
    wits: s.attributes.wits,
    agility: s.attributes.agility,
    // A survivor never sets out at 0: recovery restores health before it can leave again.
    health: Math.max(1, Math.min(s.health, s.maxHealth)),
    maxHealth: s.maxHealth,
    stamina: Math.max(0, Math.min(s.stamina, s.maxStamina)),
    maxStamina: s.maxStamina,
    perks: [...s.perks],
    xp: 0,
    downed: false,
    dead: false,
    status: {},
    retreatAt: Math.max(0, Math.floor(s.retreatAt ?? 0)),
    items: [...(s.carry ?? [])],
  };
}

/** One weather and one time of day, drawn by weight from the set-up stream (tick 0). */
function drawModifiers(seed: string, content: Content): string[] {
  const rng = Rng.fromSeedString(tickSeed(seed, 0));
  const drawn: string[] = [];
  for (const kind of MODIFIER_KINDS) {
    const candidates: [string, Modifier][] = Object.entries(content.modifiers).filter(
      ([, m]) => m.kind === kind,
    );
    const index = rng.weightedIndex(candidates.map(([, m]) => m.weight));
    const chosen = candidates[index];
    if (chosen) drawn.push(chosen[0]);
  }
  return drawn;
}

/** The initial state of a mission; validates the party, location, difficulty and seed. */
export function startMission(
  input: { party: Survivor[]; location: string; difficulty: number; seed: string },
  content: Content,
): MissionState {
  const { party, location, seed } = input;
  if (party.length < MIN_PARTY_SIZE || party.length > MAX_PARTY_SIZE) {
    throw new PartySizeError(party.length, MIN_PARTY_SIZE, MAX_PARTY_SIZE);
  }
  const seen = new Set<string>();
  for (const s of party) {
    if (seen.has(s.id)) throw new DuplicateSurvivorError(s.id);
    seen.add(s.id);
    if (s.state === 'dead') throw new SurvivorDeadError(s.id);
    if (s.state === 'recovering') throw new SurvivorBusyError(s.id, s.state);
    const carry = s.carry ?? [];
    if (carry.length > MAX_CARRIED_ITEMS) throw new TooManyItemsError(s.id, MAX_CARRIED_ITEMS);
    for (const id of carry) if (!Object.hasOwn(content.items, id)) throw new UnknownItemError(id);
  }
  if (!Object.hasOwn(content.locations, location)) throw new UnknownLocationError(location);
  const difficulty = assertDifficulty(input.difficulty, content);
  parseSeed(seed);
  const level = content.difficulties[difficulty - 1]!;
  return {
    seed,
    contentVersion: content.version,
    location,
    difficulty,
    length: level.length,
    tick: 0,
    status: 'active',
    party: party.map(toPartyMember),
    supplies: content.rules.startingSupplies,
    modifiers: drawModifiers(seed, content),
    recent: [],
    told: [],
    stance: DEFAULT_STANCE,
    found: [],
  };
}
