import type { TwitchExt } from './twitch-ext.js';

/** Follows the viewer's Twitch theme (light or dark) on the page's root element. */
export function applyTheme(ext: TwitchExt): void {
  ext.onContext((context) => {
    if (context.theme) document.documentElement.dataset.theme = context.theme;
  });
}
