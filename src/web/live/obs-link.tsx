import { useState } from 'preact/hooks';
import { API_BASE, describeError, type HoldoutApi } from '../api/holdout-api.js';

/**
 * The channel's OBS browser-source URL, for the broadcaster: shown on demand (it is a secret: anyone
 * holding it sees the channel's events), and replaceable, which stops the old one at once.
 */
export function ObsLink({ api, onError }: { api: HoldoutApi; onError: (message: string) => void }) {
  const [url, setUrl] = useState<string | null>(null);
  // The page is served by the Holdout API (its origin), wherever this dashboard itself was loaded from.
  const show = (read: () => Promise<{ path: string }>) =>
    read()
      .then(({ path }) => setUrl(`${API_BASE || location.origin}${path}`))
      .catch((e) => onError(describeError(e)));
  return (
    <section class="dashboard-section" aria-labelledby="obs-title">
      <h2 id="obs-title">OBS browser source</h2>
      {url === null ? (
        <button type="button" class="small" onClick={() => show(api.overlayUrl)}>
          Show the secret URL
        </button>
      ) : (
        <>
          <input readOnly value={url} aria-label="OBS browser-source URL" data-testid="obs-url" />
          <p class="muted">Add it as a browser source (e.g. 640 × 360); keep it private.</p>
          <button type="button" class="small" onClick={() => show(api.rotateOverlayUrl)}>
            Replace the URL (the old one stops working)
          </button>
        </>
      )}
    </section>
  );
}
