import { getChannelSettings } from '../durable/channels.js';
import type { ApiContext } from './api-context.js';
import type { Viewer } from './auth/twitch-jwt.js';
import { EventHostOnlyError, ModeratorEventsDisabledError } from './problem-errors.js';

/**
 * Why the caller may not run the channel's events, or null when they may: the broadcaster always,
 * a moderator when the broadcaster allows it (channel setting moderatorsRunEvents), nobody else.
 */
export async function eventHostRefusal(ctx: ApiContext, viewer: Viewer): Promise<Error | null> {
  if (viewer.role === 'broadcaster') return null;
  if (viewer.role !== 'moderator') return new EventHostOnlyError();
  const settings = await getChannelSettings(ctx.db, viewer.channelId);
  return settings.moderatorsRunEvents ? null : new ModeratorEventsDisabledError();
}

export async function assertEventHost(ctx: ApiContext, viewer: Viewer): Promise<void> {
  const refusal = await eventHostRefusal(ctx, viewer);
  if (refusal) throw refusal;
}
