import { useCallback } from 'preact/hooks';
import type { CurrentEvent } from '../api/api-types.js';
import { API_BASE, ApiProblem } from '../api/holdout-api.js';
import { useCurrentEvent } from '../events/use-current-event.js';
import { StreamEventCard } from '../video/stream-event-card.js';

/**
 * The OBS browser source (obs.html#<secret>): the same card as the video view, for streamers who
 * draw their overlays in OBS. The channel's secret is the credential; it stays in the fragment, which
 * the browser never sends to a server (nor to its logs).
 */
export function ObsApp() {
  const secret = location.hash.slice(1);
  const readEvent = useCallback(async (): Promise<CurrentEvent> => {
    const response = await fetch(`${API_BASE}/overlay/${encodeURIComponent(secret)}/event`);
    if (!response.ok) throw new ApiProblem(response.status, `http_${response.status}`, response.statusText);
    return (await response.json()) as CurrentEvent;
  }, [secret]);
  const { current, error } = useCurrentEvent(readEvent, secret !== '');
  if (!secret || error?.includes('Not Found'))
    return (
      <p class="video-card" data-testid="obs-problem">
        This overlay URL is not valid (it may have been replaced): copy it again from the live dashboard.
      </p>
    );
  return <StreamEventCard event={current?.event ?? null} />;
}
