import type { Catalog } from '../api/api-types.js';

/** A logged line as the panel gets it, live (poll) or from history. */
export interface ShownLine {
  tick: number;
  text: string;
  tags?: string[];
  mark?: 'death' | 'down' | 'revive' | 'find';
  /** The stance this tick applied, at a choice point. */
  choice?: string;
}

/** What a key moment says at a glance, before its line. */
const MARK_WORDS: Record<NonNullable<ShownLine['mark']>, string> = {
  death: '☠ Died',
  down: '▼ Down',
  revive: '✚ Revived',
  find: '◆ Big find',
};

/** The name of a line's tag ("perk:night-owl" → "Night Owl"), from the catalog. */
function tagName(tag: string, catalog: Catalog | null): string {
  const [kind, id = ''] = tag.split(':');
  if (kind === 'perk') return catalog?.perks.find((p) => p.id === id)?.name ?? id;
  if (kind === 'status') return catalog?.statuses?.find((s) => s.id === id)?.name ?? id;
  return catalog?.modifiers?.find((m) => m.id === id)?.name ?? id;
}

/**
 * One tick's line: its key moment, its text (the first tick opens with the scene, the last closes
 * the mission, each on a line of its own) and the perks, statuses and weather that acted on it.
 */
export function LogLine({
  line,
  catalog,
  last,
}: {
  line: ShownLine;
  catalog: Catalog | null;
  last: boolean;
}) {
  const parts = line.text.split('\n');
  const opening = line.tick === 1 && parts.length > 1 ? parts.shift() : undefined;
  const closing = last && parts.length > 1 ? parts.pop() : undefined;
  return (
    <li key={line.tick} data-tick={line.tick} class={line.mark ? `key key-${line.mark}` : undefined}>
      <span class="tick">{line.tick}</span>
      <span class="line">
        {opening && (
          <span class="opening" data-testid="opening">
            {opening}
          </span>
        )}
        {line.mark && (
          <strong class="moment" data-testid="moment">
            {MARK_WORDS[line.mark]}
          </strong>
        )}
        {line.choice && (
          <strong class="chose" data-testid="line-choice">
            ⇢ {catalog?.stances?.find((s) => s.id === line.choice)?.name ?? line.choice}
          </strong>
        )}
        <span class="text">{parts.join(' ')}</span>
        {line.tags && line.tags.length > 0 && (
          <span class="line-tags" data-testid="line-tags">
            {line.tags.map((t) => (
              <span key={t} class={`tag tag-${t.split(':')[0]}`}>
                {tagName(t, catalog)}
              </span>
            ))}
          </span>
        )}
        {closing && (
          <span class="closing" data-testid="closing">
            {closing}
          </span>
        )}
      </span>
    </li>
  );
}
