import { writeFileSync } from 'node:fs';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { ContentError, loadContent } from '../content/index.js';
import {
  type BalanceReport,
  type Content,
  DEFAULT_RETREAT_BELOW,
  MAX_LEVEL,
  MAX_PARTY_SIZE,
  POLICY_NAMES,
  type PolicyName,
  simulateBalance,
  simulateMatrix,
} from '../game/index.js';
import { action, UsageError } from './command-errors.js';
import { DEFAULT_LINE_RUNS, runLineScan } from './simulate-lines.js';
import { formatMatrix } from './simulate-matrix.js';
import { renderReportHtml } from './simulate-report.js';

/** Missions per difficulty when --runs is not given. */
const DEFAULT_RUNS = 1000;
/** Missions per matrix cell when --runs is not given (140 cells: about a minute on one core). */
const DEFAULT_MATRIX_RUNS = 100;
/** A fixed default seed: the same content gives the same figures, so a diff shows a content change. */
const DEFAULT_SEED = '1';
const MAX_RUNS = 10_000_000;
const UINT64_MAX = (1n << 64n) - 1n;

interface SimulateOptions {
  runs: string;
  difficulty?: string;
  location?: string;
  partySize: string;
  seed: string;
  retreatBelow: string;
  content?: string;
  report?: string;
  json?: boolean;
  lines?: string | true;
  matrix?: boolean;
  level: string;
  perks?: string;
  policy: string;
}

function integerOption(name: string, raw: string, min: number, max: number): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function difficultiesOption(raw: string | undefined): number[] | undefined {
  if (raw === undefined || raw === 'all') return undefined;
  const levels = raw.split(',').map((part) => integerOption('difficulty', part, 1, 5));
  return [...new Set(levels)].sort((a, b) => a - b);
}

function seedOption(raw: string): string {
  if (!/^\d{1,20}$/.test(raw) || BigInt(raw) > UINT64_MAX) {
    throw new UsageError(`--seed must be an unsigned 64-bit integer in decimal, got "${raw}"`);
  }
  return BigInt(raw).toString();
}

function shareOption(raw: string): number {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new UsageError(`--retreat-below must be a number from 0 to 1, got "${raw}"`);
  }
  return value;
}

function perksOption(raw: string | undefined, content: Content, level: number): string[] {
  if (raw === undefined || raw.trim() === '') return [];
  const perks = [...new Set(raw.split(',').map((p) => p.trim()))];
  for (const id of perks) {
    const perk = content.perks[id];
    if (!perk)
      throw new UsageError(
        `--perks: "${id}" does not exist; known: ${Object.keys(content.perks).sort().join(', ')}`,
      );
    if (perk.minLevel > level)
      throw new UsageError(`--perks: "${id}" needs level ${perk.minLevel}; use --level`);
  }
  return perks;
}

function policyOption(raw: string): PolicyName {
  if (!(POLICY_NAMES as readonly string[]).includes(raw)) {
    throw new UsageError(`--policy must be one of ${POLICY_NAMES.join(', ')}, got "${raw}"`);
  }
  return raw as PolicyName;
}

function formatTable(report: BalanceReport): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const header = [
    'difficulty',
    'runs',
    'success',
    'retreat',
    'failure',
    'deaths',
    'mean XP',
    'mean ticks',
    'supplies',
  ];
  const rows = report.difficulties.map((d) => [
    `${d.difficulty} ${d.name}`,
    String(d.runs),
    pct(d.successRate),
    pct(d.retreatRate),
    pct(d.failureRate),
    pct(d.deathRate),
    d.meanXp.toFixed(1),
    d.meanLength.toFixed(1),
    d.meanSupplies.toFixed(1),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const where = report.location ?? 'any location';
  return [
    `seed ${report.seed} · party of ${report.partySize} · ${where} · content ${report.contentVersion}`,
    line(header),
    ...rows.map(line),
  ].join('\n');
}

/** Runs the simulation with a progress bar on stderr when it is a terminal. */
function runWithProgress(
  run: (onProgress: (done: number, total: number) => void) => BalanceReport,
): BalanceReport {
  if (!process.stderr.isTTY) return run(() => undefined);
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: 'simulating [{bar}] {percentage}% | {value}/{total} missions | ETA {eta_formatted}',
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  try {
    return run((done, total) => {
      if (!started) bar.start(total, done);
      else bar.update(done);
      started = true;
    });
  } finally {
    if (started) bar.stop();
  }
}

export function registerSimulateCommand(program: Command): void {
  program
    .command('simulate')
    .description('Monte Carlo balance check: play many missions with fresh survivors and report the figures')
    .option('--runs <n>', 'missions per difficulty', String(DEFAULT_RUNS))
    .option('--difficulty <levels>', 'difficulty 1..5, a comma list, or "all"', 'all')
    .option('--location <id>', 'play every mission at this location (default: drawn per mission)')
    .option('--party-size <n>', `survivors per mission, 1..${MAX_PARTY_SIZE}`, '1')
    .option('--seed <seed>', 'unsigned 64-bit seed; the same seed gives the same figures', DEFAULT_SEED)
    .option(
      '--retreat-below <share>',
      'simulated players retreat below this share of party health',
      String(DEFAULT_RETREAT_BELOW),
    )
    .option('--content <dir>', 'content folder to check (default: the shipped content)')
    .option('--report <file>', 'also write a self-contained HTML report with charts to this file')
    .option('--json', 'print the figures as JSON instead of a table')
    .option(
      '--lines [runs]',
      `scan rendered lines for the text lint's defects and repeats instead: [runs] missions per location, ` +
        `difficulty, party size and mission length (default ${DEFAULT_LINE_RUNS}); exits 1 when the text ` +
        `misses its targets`,
    )
    .option(
      '--matrix',
      'every location × difficulty × party size, with XP and loot per hour (recovery included)',
    )
    .option('--level <n>', `the simulated survivors' level, 1..${MAX_LEVEL} (--matrix)`, '1')
    .option('--perks <ids>', 'comma list of perks every simulated survivor has equipped (--matrix)')
    .option(
      '--policy <name>',
      `how the simulated player plays: ${POLICY_NAMES.join(', ')} (--matrix)`,
      'default',
    )
    .action(
      action(async (options: SimulateOptions) => {
        const runs = integerOption('runs', options.runs, 1, MAX_RUNS);
        const partySize = integerOption('party-size', options.partySize, 1, MAX_PARTY_SIZE);
        const difficulties = difficultiesOption(options.difficulty);
        const seed = seedOption(options.seed);
        const retreatBelow = shareOption(options.retreatBelow);
        let content: ReturnType<typeof loadContent>;
        try {
          content = loadContent(options.content);
        } catch (error) {
          if (error instanceof ContentError) throw new UsageError(`content is invalid: ${error.message}`);
          throw error;
        }
        if (options.lines !== undefined) {
          const lineRuns =
            options.lines === true ? DEFAULT_LINE_RUNS : integerOption('lines', options.lines, 1, MAX_RUNS);
          runLineScan(content, lineRuns, seed, options.json === true);
          return;
        }
        if (options.location !== undefined && !Object.hasOwn(content.locations, options.location)) {
          const known = Object.keys(content.locations).sort().join(', ');
          throw new UsageError(`--location "${options.location}" does not exist; known: ${known}`);
        }
        if (options.matrix) {
          const level = integerOption('level', options.level, 1, MAX_LEVEL);
          const perks = perksOption(options.perks, content, level);
          const policy = policyOption(options.policy);
          const matrix = simulateMatrix(
            {
              runs: options.runs === String(DEFAULT_RUNS) ? DEFAULT_MATRIX_RUNS : runs,
              seed,
              policy,
              player: { level, perks },
              ...(difficulties ? { difficulties } : {}),
              ...(options.location ? { locations: [options.location] } : {}),
            },
            content,
          );
          process.stdout.write(
            options.json ? `${JSON.stringify(matrix, null, 2)}\n` : `${formatMatrix(matrix)}\n`,
          );
          return;
        }
        const report = runWithProgress((onProgress) =>
          simulateBalance(
            {
              runs,
              partySize,
              seed,
              retreatBelow,
              difficulties,
              ...(options.location ? { location: options.location } : {}),
            },
            content,
            onProgress,
          ),
        );
        if (options.report) writeFileSync(options.report, renderReportHtml(report));
        process.stdout.write(
          options.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatTable(report)}\n`,
        );
        if (options.report && !options.json) process.stdout.write(`report written to ${options.report}\n`);
      }),
    );
}
