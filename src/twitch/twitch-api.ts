import type { Config } from '../config.js';
import { AppTokenSource } from './app-token.js';
import { HelixClient } from './helix-client.js';

/** What every Twitch endpoint wrapper needs: the Helix client and the extension's identity. */
export interface TwitchApi {
  helix: HelixClient;
  appToken: AppTokenSource;
  clientId: string;
  /** Base64, as the Twitch console shows it: signs EBS tokens and verifies Bits receipts. */
  extensionSecret: string;
  /** The extension owner's user id; null turns PubSub and chat off (they need it in the EBS token). */
  ownerId: string | null;
  extensionVersion: string;
}

export interface TwitchApiOverrides {
  fetch?: typeof fetch;
  clock?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export function twitchApiFor(config: Config, overrides: TwitchApiOverrides = {}): TwitchApi {
  const appToken = new AppTokenSource({
    authUrl: config.TWITCH_AUTH_URL,
    clientId: config.TWITCH_CLIENT_ID,
    clientSecret: config.TWITCH_CLIENT_SECRET,
    ...overrides,
  });
  return {
    helix: new HelixClient({
      apiUrl: config.TWITCH_API_URL,
      clientId: config.TWITCH_CLIENT_ID,
      appToken,
      ...overrides,
    }),
    appToken,
    clientId: config.TWITCH_CLIENT_ID,
    extensionSecret: config.TWITCH_EXTENSION_SECRET,
    ownerId: config.TWITCH_OWNER_ID ?? null,
    extensionVersion: config.TWITCH_EXTENSION_VERSION,
  };
}
