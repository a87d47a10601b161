/*
 * A channel's season (issue 16): a calendar week (Monday 00:00 UTC) or month (the 1st, 00:00 UTC),
 * as the broadcaster chooses. Seasons are windows over durable mission results, so changing the
 * period changes which results count, never the results themselves.
 */

export const SEASON_PERIODS = ['weekly', 'monthly'] as const;
export type SeasonPeriod = (typeof SEASON_PERIODS)[number];

const DAY_MS = 24 * 60 * 60 * 1000;

/** The season that holds `now` (ms since the epoch): its first and first-after instants, in ms. */
export function seasonWindow(period: SeasonPeriod, now: number): { startsAt: number; endsAt: number } {
  const day = new Date(now);
  const y = day.getUTCFullYear();
  const m = day.getUTCMonth();
  if (period === 'monthly') return { startsAt: Date.UTC(y, m, 1), endsAt: Date.UTC(y, m + 1, 1) };
  // getUTCDay: 0 is Sunday; a season week starts on Monday.
  const sinceMonday = (day.getUTCDay() + 6) % 7;
  const startsAt = Date.UTC(y, m, day.getUTCDate() - sinceMonday);
  return { startsAt, endsAt: startsAt + 7 * DAY_MS };
}
