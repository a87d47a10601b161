import { type HoldoutProcess, startHoldout } from './holdout-process.js';

export interface WorkerCluster {
  workers: (HoldoutProcess | null)[];
  /** The environment every worker starts with. */
  env: NodeJS.ProcessEnv;
  /** Starts (or restarts) worker `i` and waits until it is ticking; returns its lock token. */
  start(i: number, extraEnv?: NodeJS.ProcessEnv): Promise<string>;
  /** Sends `signal` to worker `i` and waits for it to exit; resolves with its exit code. */
  kill(i: number, signal: NodeJS.Signals): Promise<number | null>;
  /** Stops every worker still running (SIGTERM, then SIGKILL past a deadline). */
  stopAll(): Promise<void>;
  /** Output of every worker that ran, for failure messages. */
  output(): string;
}

/**
 * How long a worker may take to start, in ms: 2-5 s on an idle 2-core machine, up to 20 s measured
 * with the machine loaded by other suites; generous margin.
 */
const WORKER_START_MS = 120_000;

/** N real `holdout worker` processes sharing one Postgres and one Redis. */
export function workerCluster(size: number, env: NodeJS.ProcessEnv): WorkerCluster {
  const workers: (HoldoutProcess | null)[] = Array.from({ length: size }, () => null);
  const finished: string[] = [];
  const cluster: WorkerCluster = {
    workers,
    env,
    async start(i, extraEnv = {}) {
      const worker = startHoldout(['worker'], { ...env, ...extraEnv });
      workers[i] = worker;
      const [, token] = await worker.waitFor(/worker (\S+) started/, WORKER_START_MS);
      return token!;
    },
    async kill(i, signal) {
      const worker = workers[i];
      if (!worker) return null;
      const code = await worker.stop(signal);
      finished.push(`--- worker ${i} (${signal}) ---\n${worker.output()}`);
      workers[i] = null;
      return code;
    },
    async stopAll() {
      await Promise.all(
        workers.map(async (worker, i) => {
          if (!worker) return;
          const timer = setTimeout(() => worker.child.kill('SIGKILL'), 10_000);
          await cluster.kill(i, 'SIGTERM');
          clearTimeout(timer);
        }),
      );
    },
    output() {
      return [...finished, ...workers.map((w, i) => (w ? `--- worker ${i} ---\n${w.output()}` : ''))].join(
        '\n',
      );
    },
  };
  return cluster;
}
