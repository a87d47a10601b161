import { signEbsToken } from './ebs-jwt.js';
import type { TwitchApi } from './twitch-api.js';
import { TwitchNotConfiguredError } from './twitch-errors.js';

/** Twitch's limit on one Extension PubSub message, in bytes of the `message` string. */
export const PUBSUB_MESSAGE_MAX_BYTES = 5 * 1024;
/** One PubSub call's deadline, in ms. */
const PUBSUB_CALL_TIMEOUT_MS = 5_000;

/**
 * Send Extension PubSub Message (POST /extensions/pubsub) to every panel of a channel, target
 * `broadcast`, signed with an EBS token allowed to send there. A 429 is not waited out here: the
 * caller (the broadcast sender) owns the channel's pacing and puts the notice back.
 */
export async function sendChannelBroadcast(
  api: TwitchApi,
  channelId: string,
  message: string,
): Promise<void> {
  if (api.ownerId === null) throw new TwitchNotConfiguredError('TWITCH_OWNER_ID is not set: no PubSub');
  if (Buffer.byteLength(message) > PUBSUB_MESSAGE_MAX_BYTES) {
    throw new RangeError(`a PubSub message is at most ${PUBSUB_MESSAGE_MAX_BYTES} bytes`);
  }
  const token = await signEbsToken(api.extensionSecret, {
    ownerId: api.ownerId,
    channelId,
    pubsubSend: ['broadcast'],
  });
  await api.helix.call({
    method: 'POST',
    path: '/extensions/pubsub',
    auth: { kind: 'jwt', token },
    body: { target: ['broadcast'], broadcaster_id: channelId, is_global_broadcast: false, message },
    // The broadcast sender owns retries and pacing, and holds the channel's lease meanwhile: one
    // bounded attempt here, so that the lease (15 s) always outlasts the call.
    rateLimitWaitMs: 0,
    maxRetries: 0,
    timeoutMs: PUBSUB_CALL_TIMEOUT_MS,
  });
}
