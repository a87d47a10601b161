import type { z } from 'zod';
import {
  type ChannelEventRecord,
  currentChannelEvent,
  durableEventProgress,
  type EventParticipant,
  listEventParticipants,
  participantSurvivorNames,
} from '../durable/channel-events.js';
import { NO_PLAYER_NAME, type PlayerName } from '../durable/player-names.js';
import type { EventBoard } from '../ephemeral/ephemeral-store.js';
import { EVENT_RESULT_TOP } from '../game/channel-event.js';
import type { ApiContext } from './api-context.js';
import type { eventView } from './event-schemas.js';

export type EventView = z.infer<typeof eventView>;

/**
 * How long one instance reuses a channel's event as read from the stores, in ms. The video overlay
 * of every viewer of the stream polls it: a channel then costs each instance one read per second,
 * whatever its audience. A change made through this instance drops its copy at once.
 */
const EVENT_CACHE_MS = 1_000;
/** Channels whose event one instance keeps at most; past it the cache starts over. */
const EVENT_CACHE_CHANNELS = 10_000;
/** Sign-ups listed in the view (the count covers them all). */
export const SIGNUPS_LISTED = 100;

/** What every caller of a channel sees alike, with internal user ids still in (for `mine`). */
interface SharedEvent {
  event: ChannelEventRecord;
  board: EventBoard | null;
  progress: number;
  signups: EventParticipant[];
  top: { userId: string; name: string; contribution: number }[];
  highlights: { userId: string; name: string; text: string; at: number }[];
  /** How the owners of the listed sign-ups and top survivors are shown (display names, titles). */
  players: ReadonlyMap<string, PlayerName>;
}

interface Highlight {
  userId: string;
  name: string;
  text: string;
  at: number;
}

function parseHighlight(line: string): Highlight | null {
  try {
    const h = JSON.parse(line) as Partial<Highlight>;
    if (typeof h.text !== 'string' || typeof h.at !== 'number') return null;
    return { userId: String(h.userId ?? ''), name: String(h.name ?? ''), text: h.text, at: h.at };
  } catch {
    return null;
  }
}

/**
 * The owners' names from the cached directory (this process, Redis, then Postgres), never from Twitch:
 * the display-name refresher fetches them in the background.
 */
function playersOf(ctx: ApiContext, signups: EventParticipant[], top: SharedEvent['top']) {
  const userIds = [...signups.map((s) => s.userId), ...top.map((t) => t.userId)].filter((id) => id !== '');
  return ctx.playerNames.of(userIds);
}

async function readShared(ctx: ApiContext, channelId: string): Promise<SharedEvent | null> {
  const event = await currentChannelEvent(ctx.db, channelId);
  if (!event) return null;
  const signups = await listEventParticipants(ctx.db, event.id, SIGNUPS_LISTED);
  if (event.status !== 'running') {
    const top = (event.result?.top ?? []).map((t) => ({
      userId: t.userId,
      name: t.survivorName,
      contribution: t.contribution,
    }));
    const players = await playersOf(ctx, signups, top);
    return {
      event,
      board: null,
      progress: event.result?.progress ?? 0,
      signups,
      top,
      highlights: [],
      players,
    };
  }
  const board = await ctx.store.readEventBoard(event.id, EVENT_RESULT_TOP);
  // No meter: Redis lost it and the reconciler is rebuilding it; the durable sum is the truth meanwhile.
  const progress = board ? board.progress : (await durableEventProgress(ctx.db, event.id)).total;
  const names = await participantSurvivorNames(
    ctx.db,
    event.id,
    (board?.top ?? []).map((t) => t.userId),
  );
  const top = (board?.top ?? []).map((t) => ({ ...t, name: names.get(t.userId) ?? '' }));
  const highlights = (board?.highlights ?? []).map(parseHighlight).filter((h) => h !== null);
  const players = await playersOf(ctx, signups, top);
  return { event, board, progress, signups, top, highlights, players };
}

function toView(ctx: ApiContext, shared: SharedEvent, userId: string | null): EventView {
  const { event } = shared;
  const mine = (id: string) => userId !== null && id === userId;
  const player = (id: string) => shared.players.get(id) ?? NO_PLAYER_NAME;
  const contributors = (list: SharedEvent['top']) =>
    list.map((t) => ({
      name: t.name,
      ...player(t.userId),
      contribution: t.contribution,
      mine: mine(t.userId),
    }));
  return {
    id: event.id,
    kind: event.kind,
    location: event.location,
    locationName: ctx.content.locations[event.location]?.name ?? event.location,
    difficulty: event.difficulty,
    status: event.status,
    goalReached: event.goalReachedAt !== null,
    signupEndsAt: event.signupEndsAt,
    startedAt: event.startedAt,
    endsAt:
      event.startedAt === null ? null : event.startedAt + (event.lengthTicks + 1) * event.tickIntervalMs,
    endedAt: event.endedAt,
    goal: event.goal,
    progress: shared.progress,
    participants: event.participants,
    signups: shared.signups.map((s) => ({
      survivorId: s.survivorId,
      name: s.survivorName,
      ...player(s.userId),
      mine: mine(s.userId),
    })),
    top: contributors(shared.top),
    highlights: shared.highlights.map((h) => ({
      name: h.name,
      text: h.text,
      at: h.at,
      mine: mine(h.userId),
    })),
    result: event.result
      ? {
          outcome: event.result.outcome,
          progress: event.result.progress,
          goal: event.result.goal,
          participants: event.result.participants,
          top: contributors(shared.top),
        }
      : null,
  };
}

/** Reads channels' current events for the API, each at most once per EVENT_CACHE_MS per instance. */
export class ChannelEventViews {
  private readonly cache = new Map<string, { at: number; shared: Promise<SharedEvent | null> }>();

  constructor(private readonly ctx: ApiContext) {}

  /** The channel's current event as `userId` (null: a logged-out viewer) sees it. */
  async current(channelId: string, userId: string | null): Promise<EventView | null> {
    const now = this.ctx.clock();
    let entry = this.cache.get(channelId);
    if (!entry || now - entry.at >= EVENT_CACHE_MS) {
      if (this.cache.size >= EVENT_CACHE_CHANNELS) this.cache.clear();
      const made = { at: now, shared: readShared(this.ctx, channelId) };
      this.cache.set(channelId, made);
      // A failed read is not kept: the next caller tries again (its error reaches this caller below).
      made.shared.catch(() => {
        if (this.cache.get(channelId) === made) this.cache.delete(channelId);
      });
      entry = made;
    }
    const shared = await entry.shared;
    return shared ? toView(this.ctx, shared, userId) : null;
  }

  /** Forgets a channel's event after a change made through this instance. */
  changed(channelId: string): void {
    this.cache.delete(channelId);
  }
}
