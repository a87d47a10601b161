import type { Config } from '../config.js';

/**
 * Extension PubSub broadcasts are on when the backend can sign for them: they need the extension
 * owner's user id in the EBS token. Without it panels poll at their usual pace.
 */
export function broadcastsEnabled(config: Pick<Config, 'TWITCH_OWNER_ID'>): boolean {
  return config.TWITCH_OWNER_ID !== undefined;
}
