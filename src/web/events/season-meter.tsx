import { useEffect, useState } from 'preact/hooks';
import type { Season } from '../api/api-types.js';

/** How often a view reads the season, in ms: it moves slowly (missions held out this week or month). */
export const SEASON_POLL_MS = 60_000;
/**
 * With Extension PubSub broadcasts on, in ms. No notice names the season, but a goal counted over a week
 * or a month shown up to 10 minutes late costs the viewer nothing, and an idle viewer's budget (issue 17:
 * ≤ 2 requests a minute, docs/benchmarks.md) cannot spend 1 a minute on it. Spread per viewer, 0.5–1.5×.
 */
export const SEASON_POLL_PUSH_MS = 600_000;

/** The season's name in words: "This week's season" or "This month's season". */
export function seasonName(season: Pick<Season, 'period'>): string {
  return `This ${season.period === 'weekly' ? 'week' : 'month'}'s season`;
}

/** The day the season ends, as the stream's viewers read it (UTC: seasons turn over at 00:00 UTC). */
export function seasonEnds(season: Pick<Season, 'endsAt'>): string {
  return new Date(season.endsAt).toUTCString().slice(0, 11);
}

/** How long until the next read of the season: every minute, or about every 10 with broadcasts. */
export function nextSeasonReadMs(push: boolean, random: () => number = Math.random): number {
  return push ? SEASON_POLL_PUSH_MS * (0.5 + random()) : SEASON_POLL_MS;
}

/**
 * The channel's current season, read when `ready` and then as nextSeasonReadMs says. `readSeason` asks
 * for it (keep it stable); a failed read keeps the last season shown.
 */
export function useSeason(readSeason: () => Promise<Season>, ready: boolean, push = false): Season | null {
  const [season, setSeason] = useState<Season | null>(null);
  useEffect(() => {
    if (!ready) return;
    let live = true;
    const read = () =>
      readSeason()
        .then((s) => live && setSeason(s))
        .catch(() => undefined);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const plan = () => {
      if (live) timer = setTimeout(() => void read().then(plan), nextSeasonReadMs(push));
    };
    void read().then(plan);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [readSeason, ready, push]);
  return season;
}

/** The channel goal as a bar: missions held out this season, of the broadcaster's target, and until when. */
export function SeasonMeter({ season }: { season: Season }) {
  const { held, target } = season.goal;
  const share = target > 0 ? Math.min(1, held / target) : 0;
  return (
    <div class="event-meter season-meter">
      {/* The words say what the bar shows: screen readers read those. */}
      <div class="event-bar season-bar" aria-hidden="true">
        <div class="event-bar-fill" style={{ width: `${share * 100}%` }} />
      </div>
      <span class="event-bar-text" data-testid="season-goal">
        The channel held out {held} / {target} missions · until {seasonEnds(season)}
      </span>
    </div>
  );
}
