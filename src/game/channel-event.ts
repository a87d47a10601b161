import { GameRuleError } from './errors.js';
import { deriveSeed } from './rng.js';

/*
 * The rules of a channel event (issue 16): a horde night is held wave by wave, a boss raid wears a
 * boss down. Every participant plays the event as a mission of their own, seeded from the event's
 * seed and their id, and each of their ticks contributes to one shared goal.
 */

export const CHANNEL_EVENT_KINDS = ['horde_night', 'boss_raid'] as const;
export type ChannelEventKind = (typeof CHANNEL_EVENT_KINDS)[number];

/** An event runs this many ticks (2 minutes at the default 5 s tick). */
export const EVENT_LENGTH_TICKS = 24;
/** The sign-up window's bounds and default, in seconds. */
export const MIN_SIGNUP_SECONDS = 15;
export const MAX_SIGNUP_SECONDS = 600;
export const DEFAULT_SIGNUP_SECONDS = 120;
/** Most participants one event takes. */
export const MAX_EVENT_PARTICIPANTS = 10_000;

/**
 * What each participant is expected to add to the goal over the whole event, at difficulty 1 and
 * scaled up per difficulty: tuned so that a channel whose survivors hold most of the night wins,
 * and one whose survivors fall early does not.
 */
const GOAL_PER_PARTICIPANT: Record<ChannelEventKind, number> = { horde_night: 16, boss_raid: 40 };
const GOAL_DIFFICULTY_STEP = 0.1;

export class UnknownEventKindError extends GameRuleError {
  constructor(kind: unknown) {
    super('unknown_event_kind', `Unknown event kind ${JSON.stringify(kind)}`);
  }
}

export function assertEventKind(kind: unknown): ChannelEventKind {
  if (!CHANNEL_EVENT_KINDS.includes(kind as ChannelEventKind)) throw new UnknownEventKindError(kind);
  return kind as ChannelEventKind;
}

/** The shared goal, fixed when the sign-up closes: it grows with the number of participants. */
export function eventGoal(kind: ChannelEventKind, difficulty: number, participants: number): number {
  const perParticipant = GOAL_PER_PARTICIPANT[kind] * (1 + GOAL_DIFFICULTY_STEP * (difficulty - 1));
  return Math.max(1, Math.ceil(perParticipant * Math.max(1, participants)));
}

/**
 * A participant's mission seed: derived from the event's seed and the viewer's id, so that every
 * participant's stream is fixed by the event (fair, and replayable) yet differs from the others'.
 */
export function participantSeed(eventSeed: string, userId: string): string {
  return deriveSeed(eventSeed, `event-participant:${userId}`, 0);
}

/** Top contributors named in an event's result. */
export const EVENT_RESULT_TOP = 10;

/**
 * The XP a participant's survivor earns from the event on top of its mission: what they
 * contributed, doubled when the channel reached its goal.
 */
export function eventRewardXp(contribution: number, won: boolean): number {
  return Math.max(0, Math.round(contribution * (won ? 2 : 1)));
}
