import { SignJWT } from 'jose';

/** Lifetime of a token the backend signs for one call to Twitch, in seconds: short, as Twitch advises. */
export const EBS_TOKEN_TTL_SECONDS = 60;

export interface EbsTokenClaims {
  /** The extension owner's Twitch user id: Twitch requires it in `user_id` for role external. */
  ownerId: string;
  channelId: string;
  /** PubSub targets this token may send to; omitted for calls that do not publish (chat). */
  pubsubSend?: readonly string[];
}

/**
 * Signs the JWT the extension backend (EBS) sends as its bearer token to Twitch's extension endpoints:
 * HS256 with the base64-decoded extension secret, role `external`, the owner's user id, the channel.
 */
export function signEbsToken(
  secretBase64: string,
  claims: EbsTokenClaims,
  now = Date.now(),
): Promise<string> {
  const payload: Record<string, unknown> = {
    user_id: claims.ownerId,
    role: 'external',
    channel_id: claims.channelId,
  };
  if (claims.pubsubSend) payload.pubsub_perms = { send: [...claims.pubsubSend] };
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setExpirationTime(Math.floor(now / 1000) + EBS_TOKEN_TTL_SECONDS)
    .sign(new Uint8Array(Buffer.from(secretBase64, 'base64')));
}
