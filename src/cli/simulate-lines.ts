import type { Content } from '../game/index.js';
import { type LineScanReport, scanLines } from '../game/scan-lines.js';
import { EXIT_FAILURE } from './command-errors.js';

/** Missions per location × difficulty × party size when `--lines` gives no number. */
export const DEFAULT_LINE_RUNS = 5;
/** The text targets of issue 15: fewer than this share of a mission's lines repeat an earlier one. */
export const MAX_REPEAT_SHARE = 0.05;

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

export function formatLineReport(report: LineScanReport): string {
  const out = [
    `content ${report.contentVersion} · ${report.missions} missions · ${report.lines} lines`,
    `repeated lines ${pct(report.repeatShare)} (worst mission ${pct(report.worstRepeatShare)}) · ` +
      `lines right after themselves ${report.selfFollows} · distinct lines ${pct(report.distinctShare)}`,
    `missions with ${pct(MAX_REPEAT_SHARE)} or more repeated lines: ${report.overRepeat}` +
      (report.overRepeatExamples.length > 0 ? ` (${report.overRepeatExamples.join('; ')})` : ''),
  ];
  const rules = Object.entries(report.defects).sort((a, b) => b[1] - a[1]);
  if (rules.length === 0) out.push('no lint defects');
  for (const [rule, count] of rules) {
    out.push(`${rule}: ${count}`);
    for (const example of report.examples[rule] ?? []) out.push(`  ${example.replaceAll('\n', ' / ')}`);
  }
  return out.join('\n');
}

/** True when the lines meet the text targets: no defect, no self-follow, few repeats. */
export function linesPass(report: LineScanReport): boolean {
  return (
    Object.keys(report.defects).length === 0 &&
    report.selfFollows === 0 &&
    report.repeatShare < MAX_REPEAT_SHARE
  );
}

/** `holdout simulate --lines`: prints the scan and exits 1 when the text misses its targets. */
export function runLineScan(content: Content, runs: number, seed: string, json: boolean): void {
  const report = scanLines(content, { runs, seed });
  process.stdout.write(json ? `${JSON.stringify(report, null, 2)}\n` : `${formatLineReport(report)}\n`);
  if (!linesPass(report)) process.exitCode = EXIT_FAILURE;
}
