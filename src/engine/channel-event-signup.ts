import { randomBytes } from 'node:crypto';
import { announce } from '../channel-announcer.js';
import { type ChannelEventRecord, getChannelEvent, insertChannelEvent } from '../durable/channel-events.js';
import type { Queryable } from '../durable/database.js';
import { isDurableId } from '../durable/durable-id.js';
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
  const { rows } = await tx.query<{ status: string; channel_id: string }>(
    'SELECT status, channel_id FROM channel_events WHERE id = $1 FOR NO KEY UPDATE',
    [eventId],
  );
  const event = rows[0];
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
    const { rows } = await tx.query<{ user_id: string; state: string; retired_at: Date | null }>(
      'SELECT user_id::text, state, retired_at FROM survivors WHERE id = $1',
      [input.survivorId],
    );
    const survivor = rows[0];
    if (!survivor || survivor.user_id !== input.userId || survivor.retired_at !== null) {
      throw new SurvivorNotFoundError(input.survivorId);
    }
    if (survivor.state === 'dead') throw new SurvivorDeadError(input.survivorId);
    const { rows: counted } = await tx.query<{ n: number; mine: boolean }>(
      `SELECT count(*)::int AS n, bool_or(user_id = $2) AS mine FROM event_participants WHERE event_id = $1`,
      [input.eventId, input.userId],
    );
    if (!counted[0]?.mine && (counted[0]?.n ?? 0) >= MAX_EVENT_PARTICIPANTS) {
      throw new EventFullError(MAX_EVENT_PARTICIPANTS);
    }
    await tx.query(
      `INSERT INTO event_participants (event_id, user_id, survivor_id, joined_at)
       VALUES ($1, $2, $3, to_timestamp($4::float8 / 1000))
       ON CONFLICT (event_id, user_id) DO UPDATE SET survivor_id = EXCLUDED.survivor_id`,
      [input.eventId, input.userId, input.survivorId, now(deps)],
    );
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
    const { rowCount } = await tx.query(
      'DELETE FROM event_participants WHERE event_id = $1 AND user_id = $2',
      [input.eventId, input.userId],
    );
    if (rowCount === 0) throw new NotParticipatingError();
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
    await tx.query(
      `UPDATE channel_events SET signup_ends_at = LEAST(signup_ends_at, to_timestamp($2::float8 / 1000))
        WHERE id = $1`,
      [input.eventId, now(deps)],
    );
  });
}

/** Calls off an event that is still signing up. */
export async function cancelChannelEvent(
  deps: EngineDeps,
  input: { channelId: string; eventId: string },
): Promise<ChannelEventRecord> {
  await deps.db.transaction(async (tx) => {
    await lockSignup(tx, input.channelId, input.eventId);
    const { rows } = await tx.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM event_participants WHERE event_id = $1',
      [input.eventId],
    );
    const result = { outcome: 'cancelled', progress: 0, goal: 0, participants: rows[0]?.n ?? 0, top: [] };
    await tx.query(
      `UPDATE channel_events SET status = 'cancelled', ended_at = to_timestamp($2::float8 / 1000), result = $3
        WHERE id = $1`,
      [input.eventId, now(deps), JSON.stringify(result)],
    );
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
