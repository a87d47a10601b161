import { randomBytes } from 'node:crypto';
import type { Queryable } from './database.js';

/** Bytes of randomness in an overlay secret (32 characters of base64url). */
const SECRET_BYTES = 24;

const newSecret = () => randomBytes(SECRET_BYTES).toString('base64url');

/** The secret of the channel's OBS browser-source URL, made on first ask. */
export async function overlaySecretOf(db: Queryable, channelId: string): Promise<string> {
  await db.query(
    'INSERT INTO channel_overlays (channel_id, secret) VALUES ($1, $2) ON CONFLICT (channel_id) DO NOTHING',
    [channelId, newSecret()],
  );
  const { rows } = await db.query<{ secret: string }>(
    'SELECT secret FROM channel_overlays WHERE channel_id = $1',
    [channelId],
  );
  return rows[0]!.secret;
}

/** Replaces the channel's secret: the old URL stops working at once. */
export async function rotateOverlaySecret(db: Queryable, channelId: string): Promise<string> {
  const secret = newSecret();
  await db.query(
    `INSERT INTO channel_overlays (channel_id, secret) VALUES ($1, $2)
     ON CONFLICT (channel_id) DO UPDATE SET secret = EXCLUDED.secret, rotated_at = now()`,
    [channelId, secret],
  );
  return secret;
}

/** The channel an overlay secret belongs to, or null. */
export async function channelOfOverlaySecret(db: Queryable, secret: string): Promise<string | null> {
  const { rows } = await db.query<{ channel_id: string }>(
    'SELECT channel_id FROM channel_overlays WHERE secret = $1',
    [secret],
  );
  return rows[0]?.channel_id ?? null;
}
