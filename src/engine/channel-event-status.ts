/**
 * A running event's status in its live meter: 'running' while its goal is open; 'ending' once the
 * goal is reached, which makes each of its missions end at its next tick (an event_end tick).
 */
export const EVENT_RUNNING = 'running';
export const EVENT_ENDING = 'ending';
