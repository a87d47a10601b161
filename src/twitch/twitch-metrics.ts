import { Counter, type Registry } from 'prom-client';
import type { BroadcastSenderMetrics } from './broadcast-sender.js';

export interface TwitchMetrics {
  broadcasts: BroadcastSenderMetrics;
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
  return {
    broadcasts: {
      sent: () => broadcasts.inc({ outcome: 'sent' }),
      failed: (reason) => broadcasts.inc({ outcome: reason }),
    },
  };
}
