import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { HoldoutApi } from '../api/holdout-api.js';
import { useSeason } from '../events/season-meter.js';
import { useCurrentEvent } from '../events/use-current-event.js';
import type { TwitchExt } from '../twitch/twitch-ext.js';
import { StreamEventCard } from './stream-event-card.js';
import { StreamSeason } from './stream-season.js';

/**
 * The video view (Twitch's video overlay and video component): the channel's event in a corner of
 * the stream, so that a viewer who never opens the panel sees it, and the season's goal in another.
 */
export function VideoApp({ ext }: { ext: TwitchExt }) {
  const token = useRef<string | null>(null);
  const api = useMemo(() => new HoldoutApi(() => token.current), []);
  const [ready, setReady] = useState(false);
  const { current } = useCurrentEvent(api.currentEvent, ready);
  const season = useSeason(api.season, ready);

  useEffect(() => {
    ext.onAuthorized((auth) => {
      token.current = auth.token;
      setReady(true);
    });
  }, [ext]);

  return (
    <>
      <StreamSeason season={season} />
      <StreamEventCard event={current?.event ?? null} />
    </>
  );
}
