import type { ChannelEvent, ChannelEventKind } from '../api/api-types.js';

// One wording of channel events for every view that shows them (panel, live dashboard, video view).

export const EVENT_KIND_NAMES: Record<ChannelEventKind, string> = {
  horde_night: 'Horde night',
  boss_raid: 'Boss raid',
};

/** What the shared goal counts. */
export const GOAL_UNITS: Record<ChannelEventKind, string> = {
  horde_night: 'waves held',
  boss_raid: 'damage dealt',
};

export const OUTCOME_WORDS: Record<NonNullable<ChannelEvent['result']>['outcome'], string> = {
  succeeded: 'The channel held out!',
  failed: 'The channel was overrun',
  cancelled: 'Called off',
};

/** "Horde night · The Flooded Mall · difficulty 2" */
export function eventTitle(event: ChannelEvent): string {
  return `${EVENT_KIND_NAMES[event.kind]} · ${event.locationName} · difficulty ${event.difficulty}`;
}

/** Signing up or running: what the views follow closely. */
export const isOpen = (event: ChannelEvent | null | undefined): boolean =>
  event?.status === 'signup' || event?.status === 'running';
