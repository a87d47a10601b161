import { signEbsToken } from './ebs-jwt.js';
import type { TwitchApi } from './twitch-api.js';
import { TwitchNotConfiguredError } from './twitch-errors.js';

/** Twitch's limit on one extension chat message, in characters. */
export const CHAT_MESSAGE_MAX_CHARS = 280;

/** Cuts a line to what Twitch accepts, ending in an ellipsis when it was longer. */
export function fitChatText(text: string): string {
  const chars = [...text];
  return chars.length <= CHAT_MESSAGE_MAX_CHARS
    ? text
    : `${chars.slice(0, CHAT_MESSAGE_MAX_CHARS - 1).join('')}…`;
}

/** Send Extension Chat Message (POST /extensions/chat?broadcaster_id=…) in the extension's name. */
export async function sendExtensionChat(api: TwitchApi, channelId: string, text: string): Promise<void> {
  if (api.ownerId === null) throw new TwitchNotConfiguredError('TWITCH_OWNER_ID is not set: no chat');
  const token = await signEbsToken(api.extensionSecret, { ownerId: api.ownerId, channelId });
  await api.helix.call({
    method: 'POST',
    path: '/extensions/chat',
    query: [['broadcaster_id', channelId]],
    auth: { kind: 'jwt', token },
    body: { text: fitChatText(text), extension_id: api.clientId, extension_version: api.extensionVersion },
    rateLimitWaitMs: 0,
  });
}
