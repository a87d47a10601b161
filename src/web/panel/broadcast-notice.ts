/** A notice naming this panel's mission or lobby: poll within this many ms. */
const OWN_SPREAD_MS = 250;
/** A notice to the whole channel: every panel polls, spread over this many ms so they do not come at once. */
const CHANNEL_SPREAD_MS = 3_000;

/** An event notice reaches every panel of the channel: each reads the event within this many ms. */
export const EVENT_NOTICE_SPREAD_MS = 1_000;

interface Notice {
  v?: number;
  missions?: string[];
  lobbies?: string[];
  channel?: boolean;
  event?: boolean;
  settings?: boolean;
}

function parseNotice(message: string): Notice | null {
  try {
    const notice = JSON.parse(message) as Notice | null;
    return notice?.v === 1 ? notice : null;
  } catch {
    return null;
  }
}

/** Whether a broadcast says the channel's event changed (the event view then reads it again). */
export function isEventNotice(message: string): boolean {
  return parseNotice(message)?.event === true;
}

/** Whether a broadcast says the channel's rules changed (the panel then reads the catalog again). */
export function noticeSaysSettings(message: string): boolean {
  return parseNotice(message)?.settings === true;
}

/**
 * How soon to poll after an Extension PubSub broadcast (src/twitch/broadcast-notice.ts), or null when
 * it concerns other viewers only.
 */
export function noticeSpread(
  message: string,
  mine: { missions: Set<string>; lobby: string | null },
): number | null {
  const notice = parseNotice(message);
  if (notice === null) return null;
  if (notice.missions?.some((id) => mine.missions.has(id))) return OWN_SPREAD_MS;
  if (mine.lobby !== null && notice.lobbies?.includes(mine.lobby)) return OWN_SPREAD_MS;
  return notice.channel ? CHANNEL_SPREAD_MS : null;
}
