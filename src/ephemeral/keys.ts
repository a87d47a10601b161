import { CLUSTER_SLOTS, hashSlot } from './hash-slot.js';

/**
 * Every Redis key Holdout uses, spelled as ADR-0006 and DESIGN §4 spell them. Nothing else in the
 * code builds a key by hand. The optional prefix isolates tests and side-by-side deployments.
 *
 * Redis Cluster runs a script only on keys of one slot, so keys one script touches together share a
 * hash tag (the `{...}` part). Missions are spread over `scheduleShards` schedule shards: a shard's
 * missions_due, mission_log_outbox, records, tick locks and broadcast queue share its tag, so a tick's
 * fenced commit stays one atomic script, and a promoted replica holds a consistent prefix of the shard.
 */
export interface KeyNames {
  readonly prefix: string;
  /** How many schedule shards missions are spread over (REDIS_SCHEDULE_SHARDS). */
  readonly scheduleShards: number;
  /** The schedule shard a mission (or a channel's broadcasts) lives in: 0 .. scheduleShards - 1. */
  scheduleShardOf(id: string): number;
  /** string (JSON): in-progress mission state */
  activeMission(missionId: string): string;
  /** string with a TTL: a mission record that could not be parsed, moved aside for a post-mortem */
  quarantinedMission(missionId: string): string;
  /** sorted set, one per schedule shard: the shard's mission ids scored by nextTickAt in ms */
  missionsDue(shard: number): string;
  /** string: the claiming worker's token, SET NX PX */
  tickLock(missionId: string): string;
  /** stream, one per schedule shard: committed ticks' log rows waiting for Postgres */
  missionLogOutbox(shard: number): string;
  /** lobby members, survivors, ready flags, leader, settings; with a TTL */
  missionLobby(lobbyId: string): string;
  /** set: open lobbies of a channel */
  channelLobbies(channelId: string): string;
  /** counter with TTL: per-user, per-endpoint limits */
  rateLimit(userId: string, endpoint: string): string;
  /** the part of rateLimit's key before `{userId}:{endpoint}`, for rate-limiter-flexible's keyPrefix */
  readonly rateLimitPrefix: string;
  /** a viewer's roster as the poll shows it, cached from Postgres; rebuilt on a miss, dropped on change */
  viewer(userId: string): string;
  /** string: the last roster built for a viewer, kept longer; the poll shows it while Postgres is down */
  viewerLastKnown(userId: string): string;
  /** string: the internal user id behind a Twitch opaque user id (never changes; lets the poll skip Postgres) */
  userIdByOpaqueId(opaqueUserId: string): string;
  /** string (JSON) with a TTL: how a user is shown (Twitch display name, Bits title), cached from Postgres */
  displayName(userId: string): string;
  /** string: a lock that lets one instance at a time run a periodic job (reconciler, maintenance) */
  jobLock(job: string): string;
  /** string: present while Redis holds what the reconciler last rebuilt; its absence means Redis lost data */
  readonly reconcileMarker: string;
  /** set: what changed in a channel since its last Extension PubSub broadcast (mission, lobby ids) */
  broadcastPending(channelId: string): string;
  /** sorted set, one per schedule shard: the shard's channels with a pending broadcast, scored by when it may be sent (ms) */
  broadcastsDue(shard: number): string;
  /** string, SET NX PX: the one instance sending a channel's broadcast right now */
  broadcastSender(channelId: string): string;
  /** hash (tokens, at): the channel's broadcast token bucket, shared by every instance */
  broadcastBucket(channelId: string): string;
  /**
   * hash: a running channel event's live meter (goal, status, and the progress it was started or rebuilt
   * from Postgres with); the ticks since add to the event's parts below, and readers sum them all
   */
  channelEvent(eventId: string): string;
  /** sorted set: each participant's (user id) contribution when the meter was started or rebuilt */
  eventContributions(eventId: string): string;
  /** list (JSON lines, newest first, capped): highlights the meter was started or rebuilt with */
  eventHighlights(eventId: string): string;
  /**
   * counter, one per event and schedule shard, in the shard's slot: the progress its missions' committed
   * ticks added, written by the fenced tick commit itself (so a cluster never needs a cross-slot script)
   */
  eventProgressPart(eventId: string, shard: number): string;
  /** sorted set, one per event and schedule shard: the contributions its missions' ticks added */
  eventContributionsPart(eventId: string, shard: number): string;
  /** list (`ms:` + JSON line, newest first, capped), one per event and schedule shard: its highlights */
  eventHighlightsPart(eventId: string, shard: number): string;
  /** string, SET NX PX: present while a channel's chat highlight cooldown runs (one instance speaks) */
  chatCooldown(channelId: string): string;
  /** hash (user id → stance, and a closed mark) with a TTL: the votes of the choice that applies at tick N */
  choiceVotes(missionId: string, decidesAt: number): string;
  /** hash (user id → ms the vote was cast) with a TTL: a group's votes to retreat */
  retreatVotes(missionId: string): string;
}

/**
 * Schedule shards unless configured: one, since one Redis gains nothing from more (each claim reads
 * every shard). A cluster spreads missions over its masters only with several (docs/operations.md).
 */
export const DEFAULT_SCHEDULE_SHARDS = 1;

/** Most schedule shards: each is a slot of its own, and claims visit every shard. */
export const MAX_SCHEDULE_SHARDS = 1_024;

const shardTagCache = new Map<number, readonly string[]>();

/**
 * The hash tag of each of `shards` shards: shard i's tag hashes into the i-th of `shards` equal slot
 * ranges, so the shards spread evenly over a cluster's masters (which own contiguous slot ranges).
 */
export function scheduleShardTags(shards: number): readonly string[] {
  const cached = shardTagCache.get(shards);
  if (cached) return cached;
  const tags: string[] = [];
  for (let i = 0; i < shards; i++) {
    const low = Math.floor((i * CLUSTER_SLOTS) / shards);
    const high = Math.floor(((i + 1) * CLUSTER_SLOTS) / shards);
    let tag = `s${i}`;
    for (let n = 1; hashSlot(tag) < low || hashSlot(tag) >= high; n++) tag = `s${i}.${n}`;
    tags.push(tag);
  }
  shardTagCache.set(shards, tags);
  return tags;
}

/** FNV-1a: a mission id's schedule shard (stable across processes and releases). */
function shardOf(id: string, shards: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % shards;
}

export function keyNames(prefix = '', scheduleShards = DEFAULT_SCHEDULE_SHARDS): KeyNames {
  // A brace in the prefix would become the hash tag of every key, and put them all in one slot.
  if (/[{}]/.test(prefix)) throw new Error(`a Redis key prefix may not contain { or }: ${prefix}`);
  if (!Number.isInteger(scheduleShards) || scheduleShards < 1 || scheduleShards > MAX_SCHEDULE_SHARDS) {
    throw new Error(
      `schedule shards must be a whole number from 1 to ${MAX_SCHEDULE_SHARDS}: ${scheduleShards}`,
    );
  }
  const tags = scheduleShardTags(scheduleShards);
  const tagOf = (id: string) => tags[shardOf(id, scheduleShards)]!;
  const tagAt = (shard: number) => {
    const tag = tags[shard];
    if (tag === undefined) throw new Error(`no schedule shard ${shard} of ${scheduleShards}`);
    return tag;
  };
  return {
    prefix,
    scheduleShards,
    scheduleShardOf: (id) => shardOf(id, scheduleShards),
    activeMission: (missionId) => `${prefix}active_mission:{${tagOf(missionId)}}:${missionId}`,
    quarantinedMission: (missionId) => `${prefix}quarantined_mission:${missionId}`,
    missionsDue: (shard) => `${prefix}missions_due:{${tagAt(shard)}}`,
    tickLock: (missionId) => `${prefix}tick_lock:{${tagOf(missionId)}}:${missionId}`,
    missionLogOutbox: (shard) => `${prefix}mission_log_outbox:{${tagAt(shard)}}`,
    missionLobby: (lobbyId) => `${prefix}mission_lobby:${lobbyId}`,
    channelLobbies: (channelId) => `${prefix}channel_lobbies:${channelId}`,
    rateLimit: (userId, endpoint) => `${prefix}rate_limit:${userId}:${endpoint}`,
    rateLimitPrefix: `${prefix}rate_limit`,
    viewer: (userId) => `${prefix}viewer:{${userId}}`,
    viewerLastKnown: (userId) => `${prefix}viewer_last:{${userId}}`,
    userIdByOpaqueId: (opaqueUserId) => `${prefix}user_id:${opaqueUserId}`,
    displayName: (userId) => `${prefix}display_name:${userId}`,
    jobLock: (job) => `${prefix}job_lock:${job}`,
    reconcileMarker: `${prefix}reconcile_marker`,
    broadcastPending: (channelId) => `${prefix}broadcast_pending:{${tagOf(channelId)}}:${channelId}`,
    broadcastsDue: (shard) => `${prefix}broadcasts_due:{${tagAt(shard)}}`,
    broadcastSender: (channelId) => `${prefix}broadcast_sender:{${tagOf(channelId)}}:${channelId}`,
    broadcastBucket: (channelId) => `${prefix}broadcast_bucket:{${tagOf(channelId)}}:${channelId}`,
    channelEvent: (eventId) => `${prefix}channel_event:{${tagOf(eventId)}}:${eventId}`,
    eventContributions: (eventId) => `${prefix}event_contributions:{${tagOf(eventId)}}:${eventId}`,
    eventHighlights: (eventId) => `${prefix}event_highlights:{${tagOf(eventId)}}:${eventId}`,
    eventProgressPart: (eventId, shard) => `${prefix}event_progress:{${tagAt(shard)}}:${eventId}`,
    eventContributionsPart: (eventId, shard) =>
      `${prefix}event_contributions_part:{${tagAt(shard)}}:${eventId}`,
    eventHighlightsPart: (eventId, shard) => `${prefix}event_highlights_part:{${tagAt(shard)}}:${eventId}`,
    chatCooldown: (channelId) => `${prefix}chat_cooldown:${channelId}`,
    choiceVotes: (missionId, decidesAt) => `${prefix}choice_votes:${missionId}:${decidesAt}`,
    retreatVotes: (missionId) => `${prefix}retreat_votes:${missionId}`,
  };
}
