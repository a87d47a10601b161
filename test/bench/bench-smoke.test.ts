import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { runTickSmoke, SMOKE_MISSIONS, smokeSystems } from '../../bench/tick-engine/smoke.js';

/** Runs one bench script with small settings; resolves to its stdout and stderr once it exited 0. */
async function runBenchScript(script: string, settings: Record<string, string>): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, ...settings },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const [code] = await once(child, 'exit');
  expect(code, output).toBe(0);
  return output;
}

// `npm run bench:smoke`: tiny runs of the benchmarks, so that CI notices when one stops working. They
// assert completion and complete logs only; the figures come from the full runs (docs/benchmarks.md).
describe('bench:ticks in small', () => {
  for (const system of smokeSystems()) {
    it(`ticks ${SMOKE_MISSIONS} missions through ${system.label} and logs every tick exactly once`, async () => {
      const result = await runTickSmoke(system);
      expect(result.lateness.due).toBeGreaterThan(0);
      expect(result.ticksPerS).toBeGreaterThan(0);
      expect(result.log).toEqual({ complete: true, lost: 0, duplicated: 0, brokenMissions: 0 });
    }, 90_000);
  }
});

describe('bench:api in small', () => {
  it('runs the poll endpoint and the bare route under autocannon and reports their ratio', async () => {
    const output = await runBenchScript('bench/poll-endpoint.ts', {
      BENCH_VIEWERS: '20',
      BENCH_CONNECTIONS: '4',
      BENCH_DURATION_S: '1',
      BENCH_ROUNDS: '1',
    });
    expect(output).toMatch(/poll\/bare = \d/);
  }, 90_000);
});

describe('bench:cluster in small', () => {
  it('ticks and polls on one Redis and on a 3-master Redis Cluster and reports their ratios', async () => {
    const output = await runBenchScript('bench/cluster.ts', {
      BENCH_MISSIONS: '200',
      BENCH_INTERVAL_MS: '1000',
      BENCH_TICK_DURATION_S: '2',
      BENCH_VIEWERS: '20',
      BENCH_CONNECTIONS: '4',
      BENCH_DURATION_S: '1',
      BENCH_ROUNDS: '1',
    });
    expect(output).toMatch(/cluster\/one Redis = ticks\/s \d+\.\d\d, CPU per 1k ticks \d+\.\d\d/);
    expect(output).toMatch(/poll on one Redis: poll\/bare = \d/);
    expect(output).toMatch(/poll on cluster: poll\/bare = \d/);
  }, 180_000);
});

describe('bench:api panels in small', () => {
  it('counts the requests of idle and active panels with and without broadcasts, and tick-to-panel', async () => {
    const output = await runBenchScript('bench/panel-requests.ts', {
      BENCH_PANELS: '4',
      BENCH_PANEL_WINDOW_S: '6',
      BENCH_PANEL_WARM_UP_S: '4',
    });
    expect(output).toMatch(/'without broadcasts' │ '\d+\.\d\d'/);
    expect(output).toMatch(/'with broadcasts' {4}│ '\d+\.\d\d'/);
    expect(output).toMatch(/PubSub messages sent: [1-9]/);
  }, 180_000);
});

describe('bench:startup in small', () => {
  it('times --version, a ready API and a ticking worker against node -e 0', async () => {
    const output = await runBenchScript('bench/startup.ts', { BENCH_ROUNDS: '1' });
    for (const row of [
      '`holdout --version`',
      '`holdout api` → /readyz 200',
      '`holdout worker` → first tick',
    ]) {
      expect(output).toMatch(
        // min and median ms, the ratio to node -e 0, min and median CPU ms, RSS MB
        new RegExp(
          `\\| ${row.replace(/[()|]/g, '\\$&')} \\| \\d+ \\| \\d+ \\| [\\d.]+× \\| \\d+ \\| \\d+ \\| \\d+ \\|`,
        ),
      );
    }
  }, 180_000);
});
