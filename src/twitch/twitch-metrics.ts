import { Counter, type Registry } from 'prom-client';
import type { BroadcastSenderMetrics } from './broadcast-sender.js';
import type { DisplayNameMetrics } from './display-name-refresher.js';

export interface TwitchMetrics {
  broadcasts: BroadcastSenderMetrics;
  displayNames: DisplayNameMetrics;
}

function counter(registry: Registry, name: string, help: string, labelNames: string[]): Counter<string> {
  return (
    (registry.getSingleMetric(name) as Counter<string> | undefined) ??
    new Counter({ name, help, labelNames, registers: [registry] })
  );
}

/** Prometheus series of the Twitch platform calls, on the process's registry. */
export function createTwitchMetrics(registry: Registry): TwitchMetrics {
  const existing = registry.getSingleMetric('holdout_pubsub_broadcasts_total') as
    | Counter<'outcome'>
    | undefined;
  const broadcasts =
    existing ??
    new Counter({
      name: 'holdout_pubsub_broadcasts_total',
      help: 'Extension PubSub broadcasts, by outcome (sent, rate_limited, unavailable, refused)',
      labelNames: ['outcome'],
      registers: [registry],
    });
  const lookups = counter(
    registry,
    'holdout_display_name_lookups_total',
    'Viewers asked about with Helix Get Users, by outcome (named, unknown), and rate_limited calls',
    ['outcome'],
  );
  return {
    displayNames: {
      checked: (outcome, count) => lookups.inc({ outcome }, count),
      rateLimited: () => lookups.inc({ outcome: 'rate_limited' }),
    },
    broadcasts: {
      sent: () => broadcasts.inc({ outcome: 'sent' }),
      failed: (reason) => broadcasts.inc({ outcome: reason }),
    },
  };
}
