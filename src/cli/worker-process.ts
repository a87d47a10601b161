import { listenForMetrics } from '../api/metrics-listener.js';
import { startEngine } from '../engine/engine.js';
import { engineDepsFor, engineOptionsFor } from '../engine/engine-from-runtime.js';
import type { Runtime } from '../runtime.js';
import { startTwitchServices } from '../twitch/twitch-services.js';

/**
 * What `holdout worker` runs on its opened stores: the tick engine, the Twitch services and, with
 * WORKER_METRICS_PORT, /metrics, /healthz and /readyz. A module of its own so that the command can
 * load it while the stores connect. Resolves with a function that stops it all but the stores.
 */
export async function startWorkerProcess(runtime: Runtime): Promise<() => Promise<void>> {
  const { config, logger } = runtime;
  const engine = await startEngine(engineDepsFor(runtime), engineOptionsFor(config));
  logger.info({ token: engine.worker.token }, 'worker started');
  const twitch = startTwitchServices(runtime);
  // Workers serve no API; with WORKER_METRICS_PORT they still show Prometheus their series.
  const metrics =
    config.WORKER_METRICS_PORT === undefined
      ? null
      : await listenForMetrics(runtime, config.WORKER_METRICS_PORT, {
          health: true,
          portVariable: 'WORKER_METRICS_PORT',
        });
  if (metrics) logger.info({ address: metrics.address }, 'worker metrics listening');
  process.stdout.write(
    `Holdout worker ${engine.worker.token} started (${runtime.db.kind} + ${runtime.store.kind})\n`,
  );
  return async () => {
    await engine.stop();
    await twitch.stop();
    await metrics?.app.close();
  };
}
