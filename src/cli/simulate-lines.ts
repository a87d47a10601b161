import type { Content } from '../game/index.js';
import { type LineScanReport, MAX_MISSION_REPEAT_SHARE, scanLines } from '../game/scan-lines.js';
import { EXIT_FAILURE } from './command-errors.js';

export { DEFAULT_LINE_RUNS } from '../game/scan-lines.js';

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

export function formatLineReport(report: LineScanReport): string {
  const out = [
    `content ${report.contentVersion} · ${report.missions} missions · ${report.lines} lines`,
    `repeated lines ${pct(report.repeatShare)} (worst mission ${pct(report.worstRepeatShare)}) · ` +
      `lines right after themselves ${report.selfFollows} · distinct lines ${pct(report.distinctShare)}`,
    `missions with ${pct(MAX_MISSION_REPEAT_SHARE)} or more repeated lines: ${report.overRepeat}` +
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

/**
 * True when the lines meet the text targets of issue 15: no defect, no line right after itself,
 * and in every mission fewer than 5 % of lines repeat an earlier one.
 */
export function linesPass(report: LineScanReport): boolean {
  return Object.keys(report.defects).length === 0 && report.selfFollows === 0 && report.overRepeat === 0;
}

/** `holdout simulate --lines`: prints the scan and exits 1 when the text misses its targets. */
export function runLineScan(content: Content, runs: number, seed: string, json: boolean): void {
  const report = scanLines(content, { runs, seed });
  process.stdout.write(json ? `${JSON.stringify(report, null, 2)}\n` : `${formatLineReport(report)}\n`);
  if (!linesPass(report)) process.exitCode = EXIT_FAILURE;
}
