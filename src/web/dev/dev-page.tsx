import { useState } from 'preact/hooks';

interface Seat {
  /** The opaque id the panel signs in with (A… = a logged-out viewer). */
  viewer: string;
  label: string;
}

const FIRST_SEATS: Seat[] = [
  { viewer: 'Udevalice', label: 'Alice' },
  { viewer: 'Udevbob', label: 'Bob' },
  { viewer: 'Udevcleo', label: 'Cleo' },
  { viewer: 'Adevguest', label: 'Guest (logged out)' },
];
const MORE_NAMES = ['Dana', 'Eli', 'Fern', 'Gus', 'Hana'];
const BROADCASTER = 'Udevbroadcaster';

/**
 * The local play page (development only): several viewers' panels side by side, each signed in with a
 * development token of its own, the broadcaster's config page and live dashboard, and the video view
 * over a stand-in for the stream, so one person can play a group mission or run a channel event.
 */
export function DevPage() {
  const query = new URLSearchParams(location.search);
  const [theme, setTheme] = useState<'dark' | 'light'>(query.get('theme') === 'light' ? 'light' : 'dark');
  const [seats, setSeats] = useState(FIRST_SEATS);
  const channel = query.get('channel') ?? '1000';
  const src = (page: string, viewer: string, role = 'viewer') =>
    `./${page}.html?${new URLSearchParams({ viewer, role, channel, theme })}`;
  const nextName = MORE_NAMES.find((n) => !seats.some((s) => s.label === n));

  return (
    <div class={`dev dev-${theme}`}>
      <header class="dev-head">
        <h1>Holdout · local play</h1>
        <p>
          Each panel is a viewer of channel {channel} with a development token of its own. Open a lobby in
          one, join it from the others, get everyone ready and start. Or open an event from the broadcaster's
          live dashboard, join it from the panels and watch it on the stream.
        </p>
        <div class="row">
          <button type="button" onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')}>
            Theme: {theme}
          </button>
          {nextName && (
            <button
              type="button"
              onClick={() =>
                setSeats([...seats, { viewer: `Udev${nextName.toLowerCase()}`, label: nextName }])
              }
            >
              Add viewer {nextName}
            </button>
          )}
        </div>
      </header>
      <div class="seats seats-stream">
        <figure class="seat" key={`live-${theme}`}>
          <figcaption>Broadcaster's live dashboard</figcaption>
          <iframe
            title="Broadcaster's live dashboard"
            name="live"
            src={src('live-config', BROADCASTER, 'broadcaster')}
            width={360}
            height={520}
          />
        </figure>
        <figure class="seat" key="video">
          <figcaption>On stream (video view)</figcaption>
          <div class="stream">
            <iframe
              title="Video view"
              name="video"
              src={src('video', 'Adevstreamwatcher')}
              width={640}
              height={360}
            />
          </div>
        </figure>
      </div>
      <div class="seats">
        {seats.map((seat) => (
          <figure class="seat" key={`${seat.viewer}-${theme}`}>
            <figcaption>{seat.label}</figcaption>
            <iframe
              title={`${seat.label}'s panel`}
              name={seat.viewer}
              src={src('panel', seat.viewer)}
              width={318}
              height={496}
            />
          </figure>
        ))}
        <figure class="seat seat-config" key={`config-${theme}`}>
          <figcaption>Broadcaster's config</figcaption>
          <iframe
            title="Broadcaster's config"
            name="config"
            src={src('config', BROADCASTER, 'broadcaster')}
            width={360}
            height={496}
          />
        </figure>
      </div>
    </div>
  );
}
