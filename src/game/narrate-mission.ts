import { chooseTemplate } from './choose-template.js';
import type { Content, TextTemplate } from './content-types.js';
import { isConscious, type MissionState } from './mission-state.js';
import { joinNames, renderText, type TextValues } from './render-text.js';

/*
 * The mission's first and last lines: where, in what weather, at what time of day, and how it
 * ended. They ride on the first and the last tick's text, one line each (joined by LINE_BREAK),
 * so the durable log, replay and the panel need nothing new to carry them.
 */

export const LINE_BREAK = '\n';

/** The scene's tags: the location's traits and the weather's and time of day's tags. */
export function sceneTags(state: MissionState, content: Content): string[] {
  const tags = [...(content.locations[state.location]?.traits ?? [])];
  for (const id of state.modifiers) tags.push(...(content.modifiers[id]?.tags ?? []));
  return tags;
}

function sceneValues(state: MissionState, content: Content, names: string[]): TextValues {
  const values: TextValues = {
    party: joinNames(names),
    place: content.locations[state.location]?.name ?? state.location,
    weather: '',
    time: '',
  };
  for (const id of state.modifiers) {
    const m = content.modifiers[id];
    if (m) values[m.kind] = m.phrase;
  }
  return values;
}

function tell(
  templates: readonly TextTemplate[],
  state: MissionState,
  content: Content,
  names: string[],
  facts: string[],
  key: string,
): string {
  const tags = [...sceneTags(state, content), names.length > 1 ? 'many' : 'one', ...facts];
  const { template } = chooseTemplate(templates, tags, {}, { seed: state.seed, key, told: 0 });
  return renderText(template.text, sceneValues(state, content, names), names.length > 1);
}

/** "Ana and Bo set out for The Flooded Mall at dusk, through thick fog." */
export function openingLine(state: MissionState, content: Content): string {
  const names = state.party.map((m) => m.name);
  return tell(content.narration.opening, state, content, names, [], 'opening');
}

/** How an ended mission closes, told of those still standing (or of everyone, if nobody is). */
export function closingLine(state: MissionState, content: Content): string {
  if (state.status === 'active') throw new RangeError('An active mission has no closing line');
  const standing = state.party.filter(isConscious).map((m) => m.name);
  const names = standing.length > 0 ? standing : state.party.map((m) => m.name);
  const facts: string[] = [];
  if (state.party.some((m) => m.dead)) facts.push('losses');
  if (state.party.some((m) => m.downed && !m.dead)) facts.push('carried');
  return tell(content.narration.closing[state.status], state, content, names, facts, 'closing');
}
