import { randomBytes } from 'node:crypto';
import type { Queryable } from '../durable/database.js';
import { isDurableId } from '../durable/durable-id.js';
import { insertMission } from '../durable/missions.js';
import { takeStashItems } from '../durable/stash.js';
import { sendSurvivorsOnMission } from '../durable/survivor-missions.js';
import { lockSurvivors, type SurvivorRecord } from '../durable/survivors.js';
import {
  type MissionLength,
  newMissionSeed,
  type Survivor,
  SurvivorBusyError,
  scaledMissionLength,
  startMission as startGameMission,
  UnknownItemError,
  wakeIfRecovered,
} from '../game/index.js';
import {
  type ActiveMissionRecord,
  type MissionMember,
  scheduledAt,
  serializeRecord,
} from './active-mission-record.js';
import { type EngineDeps, now } from './engine-deps.js';
import { ItemNotInStashError, SurvivorNotFoundError } from './engine-errors.js';

export interface StartMissionInput {
  channelId: string;
  kind: 'solo' | 'group';
  location: string;
  difficulty: number;
  /** @default 'standard' */
  length?: MissionLength;
  /** One member for a solo mission, 2–4 for a group; slots follow this order. */
  members: MissionMember[];
  /** The state every survivor must be in: idle for a solo start, in_lobby for a lobby's start. */
  fromState: 'idle' | 'in_lobby';
  /** Items each survivor (by id) carries, taken from its owner's stash at the start and used up. */
  carry?: Record<string, string[]>;
}

export interface StartedMission {
  missionId: string;
  /** ms since the epoch */
  startedAt: number;
  /** When the first tick is due, ms since the epoch. */
  nextTickAt: number;
}

/** The game's view of a survivor: what the rules read, and what the mission's snapshot keeps. */
export function survivorOf(record: SurvivorRecord): Survivor {
  const { userId, perkOffers, lobbyId, createdAt, diedAt, retiredAt, ...survivor } = record;
  return survivor;
}

async function lockParty(tx: Queryable, input: StartMissionInput, at: number): Promise<Survivor[]> {
  const ids = input.members.map((member) => member.survivorId);
  for (const id of ids) if (!isDurableId(id)) throw new SurvivorNotFoundError(id);
  // Locked: two starts racing for one survivor serialize here, and the second sees it busy.
  const byId = new Map((await lockSurvivors(tx, ids)).map((row) => [row.id, row]));
  return input.members.map((member) => {
    const row = byId.get(member.survivorId);
    if (!row || row.userId !== member.userId || row.retiredAt !== null) {
      throw new SurvivorNotFoundError(member.survivorId);
    }
    // A survivor whose recovery is over starts healed and rested, as the wake-up would have left it.
    const survivor = wakeIfRecovered(survivorOf(row), at);
    if (survivor.state !== input.fromState) throw new SurvivorBusyError(row.id, row.state);
    return { ...survivor, state: 'idle' };
  });
}

/**
 * Takes each survivor's carried items out of its owner's stash (after the survivors' locks: the lock
 * order, transaction-retry.ts) and puts them in its starting snapshot, where the rules read them.
 */
async function packItems(tx: Queryable, input: StartMissionInput, party: Survivor[], deps: EngineDeps) {
  for (const [i, member] of input.members.entries()) {
    const items = input.carry?.[member.survivorId] ?? [];
    if (items.length === 0) continue;
    // Checked before the stash is touched; the game's start checks them again with the party.
    for (const id of items) if (!Object.hasOwn(deps.content.items, id)) throw new UnknownItemError(id);
    const missing = await takeStashItems(tx, member.userId, items);
    if (missing !== null) throw new ItemNotInStashError(missing);
    party[i] = { ...party[i]!, carry: [...items] };
  }
}

/**
 * Starts a mission: one Postgres transaction creates it with its participants, starting snapshot and
 * seed, and moves the survivors to on_mission only if they were in `fromState`; then the mission is
 * written to Redis and scheduled. If the process dies between the two, the reconciler finishes the job.
 */
export async function startMission(deps: EngineDeps, input: StartMissionInput): Promise<StartedMission> {
  const startedAt = now(deps);
  const intervalMs = deps.tickIntervalMs;
  const seed = newMissionSeed(randomBytes(8));
  const { missionId, state } = await deps.db.transaction(async (tx) => {
    const party = await lockParty(tx, input, startedAt);
    await packItems(tx, input, party, deps);
    const initial = startGameMission(
      { party, location: input.location, difficulty: input.difficulty, seed },
      deps.content,
    );
    const state = { ...initial, length: scaledMissionLength(initial.length, input.length ?? 'standard') };
    const missionId = await insertMission(tx, {
      channelId: input.channelId,
      kind: input.kind,
      location: input.location,
      difficulty: input.difficulty,
      seed,
      contentVersion: deps.content.version,
      lengthTicks: state.length,
      tickIntervalMs: intervalMs,
      snapshot: { party, members: input.members, length: state.length },
      startedAt,
      members: input.members,
    });
    await sendSurvivorsOnMission(
      tx,
      input.members.map((m) => m.survivorId),
    );
    return { missionId, state };
  });

  const record: ActiveMissionRecord = {
    tick: 0,
    id: missionId,
    channelId: input.channelId,
    kind: input.kind,
    startedAt,
    intervalMs,
    nextTickAt: scheduledAt({ startedAt, intervalMs }, 1),
    members: input.members,
    state,
    recent: [],
  };
  await deps.store.restoreActiveMission(missionId, serializeRecord(record), record.nextTickAt!);
  await deps.store.deleteKeys(input.members.map((m) => deps.store.keys.viewer(m.userId)));
  return { missionId, startedAt, nextTickAt: record.nextTickAt! };
}
