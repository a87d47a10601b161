/** How a survivor's owner is shown: the Twitch display name they shared, and a title bought with Bits. */
export interface PlayerShown {
  player: string | null;
  playerTitle: string | null;
}

/** The owner's words, e.g. `Ash_Streams «Last Light»`; empty for a viewer who has not shared their identity. */
export function playerText({ player, playerTitle }: PlayerShown): string {
  const title = playerTitle ? `«${playerTitle}»` : '';
  return [player ?? '', title].filter(Boolean).join(' ');
}

/** ` · Ash_Streams «Last Light»` after a survivor's name; nothing when the owner is not known by name. */
export function PlayerTag({ shown }: { shown: PlayerShown }) {
  const text = playerText(shown);
  if (!text) return null;
  return (
    <span class="player-tag" data-testid="player-tag">
      {' '}
      · {text}
    </span>
  );
}
