import type { ChannelEventKind } from './game/channel-event.js';
import type { Logger } from './logger.js';

export type { ChannelEventKind };

/*
 * How a channel event makes itself heard beyond the panel (issue 16): its lifecycle notices go
 * through this one interface. The default says nothing; the Twitch platform (Extension PubSub,
 * extension chat) implements it. Callers never wait on it and never fail because of it: an
 * announcement is a courtesy, the event's truth is in Postgres.
 */

/** What every notice of an event carries. */
export interface EventNotice {
  channelId: string;
  eventId: string;
  kind: ChannelEventKind;
  location: string;
  /** 1..5 */
  difficulty: number;
}

/** The broadcaster opened an event: viewers may commit a survivor until `signupEndsAt`. */
export interface EventStartedNotice extends EventNotice {
  /** When the sign-up window closes and the event begins, ms since the epoch. */
  signupEndsAt: number;
  /** The shared goal: boss health or waves to hold. */
  goal: number;
}

/** The event is running: the shared goal moved (sent at the start and at milestones, not per tick). */
export interface EventProgressNotice extends EventNotice {
  /** Sum of the participants' contributions so far. */
  progress: number;
  goal: number;
  participants: number;
  /** When the event's time runs out, ms since the epoch. */
  endsAt: number;
}

/** One line worth showing on stream (a survivor downed, a big hit on the boss). */
export interface EventHighlightNotice extends EventNotice {
  text: string;
  /** The internal user id of the viewer whose survivor it is about. */
  userId: string;
  survivorName: string;
}

/** The event ended, once: its channel result. */
export interface EventEndedNotice extends EventNotice {
  outcome: 'succeeded' | 'failed' | 'cancelled';
  progress: number;
  goal: number;
  participants: number;
  /** The best contributors, best first (internal user ids). */
  top: { userId: string; survivorName: string; contribution: number }[];
}

/** Where event notices go. Implementations must not throw for a notice they cannot deliver. */
export interface ChannelAnnouncer {
  eventStarted(notice: EventStartedNotice): Promise<void>;
  eventProgress(notice: EventProgressNotice): Promise<void>;
  eventHighlight(notice: EventHighlightNotice): Promise<void>;
  eventEnded(notice: EventEndedNotice): Promise<void>;
}

/** Says nothing: the default until a platform announcer is configured. */
export const silentAnnouncer: ChannelAnnouncer = {
  eventStarted: async () => {},
  eventProgress: async () => {},
  eventHighlight: async () => {},
  eventEnded: async () => {},
};

/** Sends a notice without waiting for it; a failure is logged once, never thrown at the caller. */
export function announce(logger: Logger | undefined, send: () => Promise<void>): void {
  let sending: Promise<void>;
  try {
    sending = send();
  } catch (error) {
    sending = Promise.reject(error);
  }
  sending.catch((error: unknown) => logger?.warn({ err: error }, 'a channel announcement failed'));
}
