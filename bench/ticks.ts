/**
 * The tick engine against its peers (issue 8): the same workload — N missions at a 5 s cadence —
 * through Holdout's engine (1 and 2 `holdout worker` processes), a BullMQ worker and a Graphile
 * Worker (Postgres only), N stepped up until each system fails to keep p99 lateness under 1 s.
 * Each step gets a fresh database on TEST_POSTGRES_URL's server and a throwaway redis-server.
 *
 *   npm run bench:ticks
 *   BENCH_SYSTEMS=holdout-1 BENCH_MISSIONS=50000,100000 BENCH_DURATION_S=30 npm run bench:ticks
 *
 * Writes the tables to docs/benchmarks.md (between its tick-engine markers) and the chart to
 * docs/img/tick-lateness.svg, unless BENCH_WRITE_DOCS=false.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BullmqSystem } from './peers/bullmq-ticker.js';
import { GraphileSystem } from './peers/graphile-ticker.js';
import { HoldoutSystem } from './tick-engine/holdout-system.js';
import { latenessChart, markdownReport } from './tick-engine/report.js';
import { runStep, type StepResult } from './tick-engine/run-step.js';
import type { TickSystem } from './tick-engine/tick-system.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SYSTEMS: Record<string, () => TickSystem> = {
  'holdout-1': () => new HoldoutSystem(1),
  'holdout-2': () => new HoldoutSystem(2),
  bullmq: () => new BullmqSystem(),
  graphile: () => new GraphileSystem(),
};
const DEFAULT_MISSIONS = '1000,5000,10000,20000,50000,100000,150000,200000';
const MARKER_START = '<!-- bench:ticks:start -->';
const MARKER_END = '<!-- bench:ticks:end -->';
const CHART = 'img/tick-lateness.svg';

const systems = (process.env.BENCH_SYSTEMS ?? Object.keys(SYSTEMS).join(',')).split(',');
const steps = (process.env.BENCH_MISSIONS ?? DEFAULT_MISSIONS).split(',').map(Number);
const durationS = Number(process.env.BENCH_DURATION_S ?? 20);
const intervalMs = 5_000;
const writeDocs = process.env.BENCH_WRITE_DOCS !== 'false';

function version(command: string, args: string[], pattern: RegExp): string {
  try {
    return pattern.exec(execFileSync(command, args, { encoding: 'utf8' }))?.[1] ?? '?';
  } catch {
    return '?';
  }
}

function packageVersion(name: string): string {
  const file = join(ROOT, 'node_modules', name, 'package.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version : '?';
}

function writeReport(results: StepResult[], startedAt: Date, loadAverage: string): void {
  const context = {
    command: process.env.BENCH_COMMAND ?? 'npm run bench:ticks',
    startedAt,
    machine: `${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Postgres and Redis on the same machine`,
    versions: {
      node: process.version,
      'redis-server': version('redis-server', ['--version'], /v=(\S+)/),
      postgres: version('psql', ['--version'], /(\d+\.\d+)/),
      bullmq: packageVersion('bullmq'),
      'graphile-worker': packageVersion('graphile-worker'),
      ioredis: packageVersion('ioredis'),
    },
    loadAverage,
    durationS,
    intervalMs,
  };
  mkdirSync(join(ROOT, 'docs', 'img'), { recursive: true });
  writeFileSync(join(ROOT, 'docs', CHART), `${latenessChart(results)}\n`);
  const docPath = join(ROOT, 'docs', 'benchmarks.md');
  const section = `${MARKER_START}\n${markdownReport(results, context, CHART)}\n${MARKER_END}`;
  const doc = existsSync(docPath)
    ? readFileSync(docPath, 'utf8')
    : `# Benchmarks\n\n${MARKER_START}\n${MARKER_END}\n`;
  const at = doc.indexOf(MARKER_START);
  const end = doc.indexOf(MARKER_END);
  const updated =
    at >= 0 && end > at
      ? doc.slice(0, at) + section + doc.slice(end + MARKER_END.length)
      : `${doc}\n${section}\n`;
  writeFileSync(docPath, updated);
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const loadAverage = loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');
  const results: StepResult[] = [];
  for (const name of systems) {
    const make = SYSTEMS[name];
    if (!make) throw new Error(`unknown system ${name}; expected one of ${Object.keys(SYSTEMS).join(', ')}`);
    for (const missions of steps) {
      const system = make();
      process.stdout.write(`${system.label}, N = ${missions} (load ${loadavg()[0]!.toFixed(2)})\n`);
      const result = await runStep(system, missions, {
        durationMs: durationS * 1000,
        intervalMs,
        log: (line) => process.stdout.write(`${line}\n`),
      });
      results.push(result);
      process.stdout.write(
        `  ${Math.round(result.ticksPerS)} ticks/s, p50 ${Math.round(result.lateness.p50Ms)} ms, p99 ${Math.round(result.lateness.p99Ms)} ms, ` +
          `missed ${result.lateness.missed}, CPU ${result.cpuSPer1kTicks.toFixed(3)} s/1k ticks, ` +
          `log ${result.log.complete ? 'complete' : 'INCOMPLETE'}${result.sustained ? '' : ' — not sustained'}\n`,
      );
      // A system that fell behind at N falls further behind at 2N: the next steps would only take time.
      if (!result.sustained) break;
    }
  }
  console.table(
    results.map((r) => ({
      system: r.system,
      N: r.missions,
      'ticks/s': Math.round(r.ticksPerS),
      'p99 ms': Math.round(r.lateness.p99Ms),
      missed: r.lateness.missed,
      'CPU s/1k': +r.cpuSPer1kTicks.toFixed(3),
      'Redis B/mission': r.redisBytesPerMission === null ? '-' : Math.round(r.redisBytesPerMission),
      complete: r.log.complete,
      sustained: r.sustained,
    })),
  );
  if (writeDocs) writeReport(results, startedAt, loadAverage);
}

await main();
