import type { Season } from '../api/api-types.js';
import { SeasonMeter, seasonName } from '../events/season-meter.js';

/**
 * The channel's season in a small corner of the stream: its name and the channel goal meter, so that
 * viewers who never open the panel see what the channel is working towards. Nothing until it is read.
 */
export function StreamSeason({ season }: { season: Season | null }) {
  if (!season) return null;
  return (
    <aside class="video-season" aria-label="Season" data-testid="video-season">
      <strong>{seasonName(season)}</strong>
      <SeasonMeter season={season} />
    </aside>
  );
}
