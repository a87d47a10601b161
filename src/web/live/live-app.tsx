import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Catalog, ChannelEvent } from '../api/api-types.js';
import { describeError, HoldoutApi } from '../api/holdout-api.js';
import { EventHighlights, EventMeter, EventPhase, EventTop } from '../events/event-meter.js';
import { eventTitle, isOpen } from '../events/event-words.js';
import { useCurrentEvent } from '../events/use-current-event.js';
import { PlayerTag } from '../panel/player-tag.js';
import { useNow } from '../panel/ui.js';
import { roleOf, type TwitchExt } from '../twitch/twitch-ext.js';
import { EventOpener } from './event-opener.js';
import { LobbyModeration } from './lobby-moderation.js';
import { ObsLink } from './obs-link.js';
import { SeasonView } from './season-view.js';

/** The sign-ups the dashboard lists (the API sends the first 100; the count covers them all). */
const SIGNUPS_SHOWN = 100;

function SignupList({ event, onRemove }: { event: ChannelEvent; onRemove: ((id: string) => void) | null }) {
  if (event.signups.length === 0) return <p class="muted">Nobody has signed up yet.</p>;
  return (
    <ul class="dashboard-list" data-testid="event-signups">
      {event.signups.slice(0, SIGNUPS_SHOWN).map((s) => (
        <li key={s.survivorId} class="dashboard-row">
          <span>
            {s.name}
            <PlayerTag shown={s} />
          </span>
          {onRemove && (
            <button
              type="button"
              class="small"
              aria-label={`Remove ${s.name} from the event`}
              onClick={() => onRemove(s.survivorId)}
            >
              Remove
            </button>
          )}
        </li>
      ))}
    </ul>
  );
}

/** The event of the channel as the host sees it: where it stands, and what they may do now. */
function EventCard({
  event,
  canHost,
  act,
  api,
}: {
  event: ChannelEvent;
  canHost: boolean;
  act: (action: () => Promise<unknown>) => void;
  api: HoldoutApi;
}) {
  const now = useNow(1000);
  const signingUp = event.status === 'signup';
  return (
    <section class="dashboard-section" aria-labelledby="event-title" data-testid="live-event">
      <h2 id="event-title">{eventTitle(event)}</h2>
      <p>
        <EventPhase event={event} now={now} />
      </p>
      {event.status !== 'signup' && <EventMeter event={event} />}
      {signingUp && canHost && (
        <div class="row">
          <button type="button" class="primary" onClick={() => act(() => api.startEvent(event.id))}>
            Start now
          </button>
          <button type="button" class="danger" onClick={() => act(() => api.cancelEvent(event.id))}>
            Cancel event
          </button>
        </div>
      )}
      {signingUp && (
        <SignupList
          event={event}
          onRemove={canHost ? (id) => act(() => api.removeFromEvent(event.id, id)) : null}
        />
      )}
      <EventTop event={event} max={5} />
      <EventHighlights event={event} max={5} />
    </section>
  );
}

/**
 * The live dashboard view (Twitch's live_config): the broadcaster, or a moderator they allow, opens
 * an event, starts it early or cancels it, watches it run, and moderates sign-ups and lobbies.
 */
export function LiveApp({ ext }: { ext: TwitchExt }) {
  const token = useRef<string | null>(null);
  const api = useMemo(() => new HoldoutApi(() => token.current), []);
  const [ready, setReady] = useState(false);
  const [broadcaster, setBroadcaster] = useState(false);
  const [catalog, setCatalog] = useState<Catalog | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { current, error: readError, refresh } = useCurrentEvent(api.currentEvent, ready);

  useEffect(() => {
    ext.onAuthorized((auth) => {
      token.current = auth.token;
      setBroadcaster(roleOf(auth.token) === 'broadcaster');
      setReady(true);
      api
        .catalog()
        .then(setCatalog)
        .catch((e) => setError(describeError(e)));
    });
  }, [ext, api]);

  const onError = useCallback((message: string) => setError(message), []);
  const act = (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    action()
      .catch((e) => setError(describeError(e)))
      .finally(() => {
        setBusy(false);
        refresh();
      });
  };

  if (!ready) return <p class="muted">Waiting for Twitch…</p>;
  const event = current?.event ?? null;
  const canHost = current?.canHost ?? false;
  return (
    <div class="dashboard">
      <h1>Holdout · live</h1>
      {current && !canHost && (
        <p class="notice notice-warn">
          Only the broadcaster (or a moderator they allow, in the channel rules) can run events.
        </p>
      )}
      {event && <EventCard event={event} canHost={canHost} act={act} api={api} />}
      {canHost && !isOpen(event) && catalog && (
        <section class="dashboard-section" aria-labelledby="new-event-title">
          <h2 id="new-event-title">New event</h2>
          <EventOpener
            catalog={catalog}
            disabled={busy}
            onOpen={(choice) => act(() => api.openEvent(choice))}
          />
        </section>
      )}
      <SeasonView api={api} ready={ready} />
      <LobbyModeration api={api} ready={ready} canRemove={broadcaster} onError={onError} />
      {broadcaster && <ObsLink api={api} onError={onError} />}
      {(error ?? readError) && (
        <p class="notice notice-warn" role="alert" data-testid="live-error">
          {error ?? readError}
        </p>
      )}
    </div>
  );
}
