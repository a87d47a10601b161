import { randomBytes } from 'node:crypto';
import { announce } from '../channel-announcer.js';
import { type ChannelEventRecord, getChannelEvent, insertChannelEvent } from '../durable/channel-events.js';
import type { Queryable } from '../durable/database.js';
import { isDurableId } from '../durable/durable-id.js';
import {
  cancelEvent,
  closeSignupAt,
  countSignups,
  deleteSignup,
  lockEventForSignup,
  signupCount,
  survivorForSignup,
  upsertSignup,
} from '../durable/event-signups.js';
import {
  assertEventKind,
  DEFAULT_SIGNUP_SECONDS,
  EVENT_LENGTH_TICKS,
  MAX_EVENT_PARTICIPANTS,
  MAX_SIGNUP_SECONDS,
  MIN_SIGNUP_SECONDS,
} from '../game/channel-event.js';
import { newMissionSeed, SurvivorDeadError, UnknownLocationError } from '../game/index.js';
import { assertDifficulty } from '../game/start-mission.js';
import {
  EventAlreadyOpenError,
  EventFullError,
  EventNotFoundError,
  EventSignupClosedError,
  NotParticipatingError,
} from './channel-event-errors.js';
import { type EngineDeps, now } from './engine-deps.js';
import { SurvivorNotFoundError } from './engine-errors.js';

export interface OpenChannelEventInput {
  channelId: string;
  kind: string;
  location: string;
  difficulty: number;
  /** @default 120 */
  signupSeconds?: number;
  /** Who opened it: the broadcaster's or an allowed moderator's Twitch (or opaque) id. */
  openedBy: string;
}

/** Opens a channel event's sign-up window; refused while the channel has another open event. */
export async function openChannelEvent(
  deps: EngineDeps,
  input: OpenChannelEventInput,
): Promise<ChannelEventRecord> {
  const kind = assertEventKind(input.kind);
  if (!Object.hasOwn(deps.content.locations, input.location)) throw new UnknownLocationError(input.location);
  const difficulty = assertDifficulty(input.difficulty, deps.content);
  const signupSeconds = Math.min(
    MAX_SIGNUP_SECONDS,
    Math.max(MIN_SIGNUP_SECONDS, Math.round(input.signupSeconds ?? DEFAULT_SIGNUP_SECONDS)),
  );
  const createdAt = now(deps);
  const id = await insertChannelEvent(deps.db, {
    channelId: input.channelId,
    kind,
    location: input.location,
    difficulty,
    seed: newMissionSeed(randomBytes(8)),
    contentVersion: deps.content.version,
    lengthTicks: EVENT_LENGTH_TICKS,
    tickIntervalMs: deps.tickIntervalMs,
    openedBy: input.openedBy,
    createdAt,
    signupEndsAt: createdAt + signupSeconds * 1000,
  });
  if (id === null) throw new EventAlreadyOpenError();
  const event = (await getChannelEvent(deps.db, id))!;
  const announcer = deps.announcer;
  if (announcer) {
    announce(deps.logger, () =>
      announcer.eventStarted({
        channelId: event.channelId,
        eventId: event.id,
        kind: event.kind,
        location: event.location,
        difficulty: event.difficulty,
        signupEndsAt: event.signupEndsAt,
        goal: event.goal ?? 0,
      }),
    );
  }
  return event;
}

/** Locks an event of the channel that is still signing up; the launch takes the same lock. */
async function lockSignup(tx: Queryable, channelId: string, eventId: string): Promise<void> {
  if (!isDurableId(eventId)) throw new EventNotFoundError(eventId);
  const event = await lockEventForSignup(tx, eventId);
  if (!event || event.channel_id !== channelId) throw new EventNotFoundError(eventId);
  if (event.status !== 'signup') throw new EventSignupClosedError(event.status);
}

/**
 * Commits one of the viewer's survivors to the event (one per viewer: joining again swaps the
 * survivor). The survivor stays free until the event starts; one busy or fallen by then stays home.
 */
export async function joinChannelEvent(
  deps: EngineDeps,
  input: { channelId: string; eventId: string; userId: string; survivorId: string },
): Promise<void> {
  if (!isDurableId(input.survivorId)) throw new SurvivorNotFoundError(input.survivorId);
  await deps.db.transaction(async (tx) => {
    await lockSignup(tx, input.channelId, input.eventId);
    const survivor = await survivorForSignup(tx, input.survivorId);
    if (!survivor || survivor.user_id !== input.userId || survivor.retired_at !== null) {
      throw new SurvivorNotFoundError(input.survivorId);
    }
    if (survivor.state === 'dead') throw new SurvivorDeadError(input.survivorId);
    const counted = await countSignups(tx, input.eventId, input.userId);
    if (!counted.includesUser && counted.count >= MAX_EVENT_PARTICIPANTS) {
      throw new EventFullError(MAX_EVENT_PARTICIPANTS);
    }
    await upsertSignup(tx, { ...input, joinedAt: now(deps) });
  });
}

/** Takes a participant out of the sign-up: the viewer leaving, or a moderator removing them. */
export async function removeEventParticipant(
  deps: EngineDeps,
  input: { channelId: string; eventId: string; userId: string },
): Promise<void> {
  await deps.db.transaction(async (tx) => {
    await lockSignup(tx, input.channelId, input.eventId);
    if (!isDurableId(input.userId)) throw new NotParticipatingError();
    if (!(await deleteSignup(tx, input.eventId, input.userId))) throw new NotParticipatingError();
  });
}

/**
 * Closes the sign-up now (the host does not wait for the window to run out): the event keeper
 * launches it on its next pass, exactly as when the window closes on its own.
 */
export async function closeEventSignup(
  deps: EngineDeps,
  input: { channelId: string; eventId: string },
): Promise<void> {
  await deps.db.transaction(async (tx) => {
    await lockSignup(tx, input.channelId, input.eventId);
    await closeSignupAt(tx, input.eventId, now(deps));
  });
}

/** Calls off an event that is still signing up. */
export async function cancelChannelEvent(
  deps: EngineDeps,
  input: { channelId: string; eventId: string },
): Promise<ChannelEventRecord> {
  await deps.db.transaction(async (tx) => {
    await lockSignup(tx, input.channelId, input.eventId);
    const participants = await signupCount(tx, input.eventId);
    const result = { outcome: 'cancelled', progress: 0, goal: 0, participants, top: [] };
    await cancelEvent(tx, input.eventId, now(deps), result);
  });
  const event = (await getChannelEvent(deps.db, input.eventId))!;
  const announcer = deps.announcer;
  if (announcer) {
    announce(deps.logger, () =>
      announcer.eventEnded({
        channelId: event.channelId,
        eventId: event.id,
        kind: event.kind,
        location: event.location,
        difficulty: event.difficulty,
        outcome: 'cancelled',
        progress: 0,
        goal: 0,
        participants: event.participants,
        top: [],
      }),
    );
  }
  return event;
}
