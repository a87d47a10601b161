/**
 * Every Redis key Holdout uses, spelled as ADR-0006 and DESIGN §4 spell them. Nothing else in the
 * code builds a key by hand. The optional prefix isolates tests and side-by-side deployments.
 */
export interface KeyNames {
  readonly prefix: string;
  /** string (JSON): in-progress mission state */
  activeMission(missionId: string): string;
  /** string with a TTL: a mission record that could not be parsed, moved aside for a post-mortem */
  quarantinedMission(missionId: string): string;
  /** sorted set: mission ids scored by nextTickAt in ms */
  readonly missionsDue: string;
  /** string: the claiming worker's token, SET NX PX */
  tickLock(missionId: string): string;
  /** stream: committed ticks' log rows waiting for Postgres */
  readonly missionLogOutbox: string;
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
  /** sorted set: channels with a pending broadcast, scored by when it may be sent (ms) */
  readonly broadcastsDue: string;
  /** string, SET NX PX: the one instance sending a channel's broadcast right now */
  broadcastSender(channelId: string): string;
  /** hash (tokens, at): the channel's broadcast token bucket, shared by every instance */
  broadcastBucket(channelId: string): string;
  /** hash: a running channel event's live meter (progress, goal, status); rebuilt from Postgres when lost */
  channelEvent(eventId: string): string;
  /** sorted set: each participant's (user id) contribution to a running event */
  eventContributions(eventId: string): string;
  /** list (JSON lines, newest first, capped): a running event's recent highlights */
  eventHighlights(eventId: string): string;
  /** string, SET NX PX: present while a channel's chat highlight cooldown runs (one instance speaks) */
  chatCooldown(channelId: string): string;
  /** hash (user id → stance, and a closed mark) with a TTL: the votes of the choice that applies at tick N */
  choiceVotes(missionId: string, decidesAt: number): string;
  /** hash (user id → ms the vote was cast) with a TTL: a group's votes to retreat */
  retreatVotes(missionId: string): string;
}

export function keyNames(prefix = ''): KeyNames {
  return {
    prefix,
    activeMission: (missionId) => `${prefix}active_mission:${missionId}`,
    quarantinedMission: (missionId) => `${prefix}quarantined_mission:${missionId}`,
    missionsDue: `${prefix}missions_due`,
    tickLock: (missionId) => `${prefix}tick_lock:${missionId}`,
    missionLogOutbox: `${prefix}mission_log_outbox`,
    missionLobby: (lobbyId) => `${prefix}mission_lobby:${lobbyId}`,
    channelLobbies: (channelId) => `${prefix}channel_lobbies:${channelId}`,
    rateLimit: (userId, endpoint) => `${prefix}rate_limit:${userId}:${endpoint}`,
    rateLimitPrefix: `${prefix}rate_limit`,
    viewer: (userId) => `${prefix}viewer:${userId}`,
    viewerLastKnown: (userId) => `${prefix}viewer_last:${userId}`,
    userIdByOpaqueId: (opaqueUserId) => `${prefix}user_id:${opaqueUserId}`,
    displayName: (userId) => `${prefix}display_name:${userId}`,
    jobLock: (job) => `${prefix}job_lock:${job}`,
    reconcileMarker: `${prefix}reconcile_marker`,
    broadcastPending: (channelId) => `${prefix}broadcast_pending:${channelId}`,
    broadcastsDue: `${prefix}broadcasts_due`,
    broadcastSender: (channelId) => `${prefix}broadcast_sender:${channelId}`,
    broadcastBucket: (channelId) => `${prefix}broadcast_bucket:${channelId}`,
    channelEvent: (eventId) => `${prefix}channel_event:${eventId}`,
    eventContributions: (eventId) => `${prefix}event_contributions:${eventId}`,
    eventHighlights: (eventId) => `${prefix}event_highlights:${eventId}`,
    chatCooldown: (channelId) => `${prefix}chat_cooldown:${channelId}`,
    choiceVotes: (missionId, decidesAt) => `${prefix}choice_votes:${missionId}:${decidesAt}`,
    retreatVotes: (missionId) => `${prefix}retreat_votes:${missionId}`,
  };
}
