import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { HoldoutApi } from '../api/holdout-api.js';
import { EventNoticeReads } from '../events/event-notice-reads.js';
import { useSeason } from '../events/season-meter.js';
import { useCurrentEvent } from '../events/use-current-event.js';
import type { TwitchExt } from '../twitch/twitch-ext.js';
import { StreamEventCard } from './stream-event-card.js';
import { StreamSeason } from './stream-season.js';

/**
 * The video view (Twitch's video overlay and video component): the channel's event in a corner of
 * the stream, so that a viewer who never opens the panel sees it, and the season's goal in another.
 * Every viewer of the stream loads it: with Extension PubSub broadcasts it reads the event when a
 * notice says it changed and otherwise only slowly (event-read-pace.ts), like the panel's banner.
 */
export function VideoApp({ ext }: { ext: TwitchExt }) {
  const token = useRef<string | null>(null);
  const api = useMemo(() => new HoldoutApi(() => token.current), []);
  const [ready, setReady] = useState(false);
  const [push, setPush] = useState(false);
  const { current, refresh } = useCurrentEvent(api.currentEvent, ready, push);
  const season = useSeason(api.season, ready, push);
  // A notice before the first read is planned has nothing to hurry.
  const refreshRef = useRef(refresh);
  refreshRef.current = ready ? refresh : () => undefined;

  useEffect(() => {
    const noticeReads = new EventNoticeReads(() => refreshRef.current());
    ext.onAuthorized((auth) => {
      const first = token.current === null;
      token.current = auth.token;
      if (!first) return;
      // The catalog says whether the backend broadcasts; read once, before the first reads are planned
      // (a failed one leaves the view polling as without broadcasts).
      api
        .catalog()
        .then((catalog) => setPush(catalog.broadcasts && typeof ext.listen === 'function'))
        .catch(() => undefined)
        .finally(() => setReady(true));
    });
    ext.listen?.('broadcast', (_target, _contentType, message) => noticeReads.heard(message));
    return () => noticeReads.stop();
  }, [ext, api]);

  return (
    <>
      <StreamSeason season={season} />
      <StreamEventCard event={current?.event ?? null} />
    </>
  );
}
