import { errors, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import { InvalidTokenError, TokenExpiredError } from '../problem-errors.js';

/** Clock skew tolerated on exp, nbf and iat, in seconds. */
export const TOKEN_CLOCK_SKEW_SECONDS = 30;
/**
 * The furthest ahead a token's `exp` may lie, in seconds. Twitch's extension tokens live about an
 * hour; one valid for longer was not minted by Twitch, and a stolen one must not stay usable for days.
 */
export const MAX_TOKEN_LIFETIME_SECONDS = 24 * 60 * 60;
/** Verified tokens kept in memory, so that a viewer polling with the same token is verified once. */
const VERIFIED_CACHE_SIZE = 50_000;

export type TwitchRole = 'broadcaster' | 'moderator' | 'viewer' | 'external';

/** Who is calling, from the Twitch extension token. */
export interface Viewer {
  /** `U…` for a logged-in viewer, `A…` for a logged-out one. */
  opaqueUserId: string;
  /** The Twitch user id, when the viewer shares their identity with the extension. */
  twitchUserId: string | null;
  channelId: string;
  role: TwitchRole;
  /** Logged-out viewers may look, not play. */
  loggedIn: boolean;
}

const claimsSchema = z.object({
  exp: z.number(),
  opaque_user_id: z
    .string()
    .regex(/^[UA][A-Za-z0-9_-]{1,63}$/, { error: 'opaque_user_id must look like U… or A…' }),
  user_id: z
    .string()
    .regex(/^[0-9]{1,32}$/)
    .optional()
    .nullable(),
  channel_id: z.string().regex(/^[0-9A-Za-z_-]{1,64}$/, { error: 'channel_id is missing or malformed' }),
  role: z.enum(['broadcaster', 'moderator', 'viewer', 'external']),
});

interface Verified {
  viewer: Viewer;
  /** ms since the epoch */
  expiresAt: number;
}

/** Verifies Twitch extension tokens: HS256 only, with the base64-decoded extension secret. */
export class TwitchTokenVerifier {
  private readonly key: Uint8Array;
  private readonly verified = new Map<string, Verified>();

  constructor(
    secretBase64: string,
    private readonly clock: () => number = Date.now,
  ) {
    this.key = new Uint8Array(Buffer.from(secretBase64, 'base64'));
  }

  async verify(token: string): Promise<Viewer> {
    const cached = this.verifiedBefore(token);
    if (cached) return cached;
    const { viewer, expiresAt } = await this.verifyUncached(token, this.clock());
    if (this.verified.size >= VERIFIED_CACHE_SIZE) {
      // Map keeps insertion order: drop the oldest entry.
      this.verified.delete(this.verified.keys().next().value!);
    }
    this.verified.set(token, { viewer, expiresAt });
    return viewer;
  }

  /**
   * The viewer of a token this verifier accepted before, without a promise (the poll's hot path);
   * null when the token is new to it. Throws TokenExpiredError once the token has expired.
   */
  verifiedBefore(token: string): Viewer | null {
    const cached = this.verified.get(token);
    if (!cached) return null;
    if (cached.expiresAt + TOKEN_CLOCK_SKEW_SECONDS * 1000 > this.clock()) return cached.viewer;
    this.verified.delete(token);
    throw new TokenExpiredError();
  }

  private async verifyUncached(token: string, now: number): Promise<Verified> {
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, this.key, {
        algorithms: ['HS256'],
        clockTolerance: TOKEN_CLOCK_SKEW_SECONDS,
        requiredClaims: ['exp'],
        currentDate: new Date(now),
      }));
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw new TokenExpiredError();
      if (error instanceof errors.JWSSignatureVerificationFailed)
        throw new InvalidTokenError('bad signature');
      if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) {
        throw new InvalidTokenError('only HS256 tokens are accepted');
      }
      if (error instanceof errors.JWTClaimValidationFailed) throw new InvalidTokenError(error.message);
      throw new InvalidTokenError('malformed token');
    }
    // jose checks nbf but not iat: a token issued in the future was not issued by a sane clock.
    if (typeof payload.iat === 'number' && payload.iat * 1000 > now + TOKEN_CLOCK_SKEW_SECONDS * 1000) {
      throw new InvalidTokenError('issued in the future');
    }
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success) {
      const issue = claims.error.issues[0]!;
      throw new InvalidTokenError(`${issue.path.join('.') || 'claims'}: ${issue.message}`);
    }
    const c = claims.data;
    if (c.exp * 1000 > now + MAX_TOKEN_LIFETIME_SECONDS * 1000) {
      throw new InvalidTokenError('expires more than 24 h ahead');
    }
    return {
      expiresAt: c.exp * 1000,
      viewer: {
        opaqueUserId: c.opaque_user_id,
        twitchUserId: c.user_id ?? null,
        channelId: c.channel_id,
        role: c.role,
        loggedIn: c.opaque_user_id.startsWith('U'),
      },
    };
  }
}

/** Signs a token the way Twitch does (development tokens, tests, benchmarks). */
export function signTwitchToken(
  secretBase64: string,
  claims: {
    opaqueUserId: string;
    channelId: string;
    role: TwitchRole;
    twitchUserId?: string | null;
    /** Lifetime, in seconds. @default 3600 */
    ttlSeconds?: number;
  },
  now = Date.now(),
): Promise<string> {
  const key = new Uint8Array(Buffer.from(secretBase64, 'base64'));
  const payload: Record<string, unknown> = {
    opaque_user_id: claims.opaqueUserId,
    channel_id: claims.channelId,
    role: claims.role,
    pubsub_perms: { listen: ['broadcast', 'global'], send: [] },
  };
  if (claims.twitchUserId) payload.user_id = claims.twitchUserId;
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setExpirationTime(Math.floor(now / 1000) + (claims.ttlSeconds ?? 3600))
    .sign(key);
}
