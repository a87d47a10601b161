import { type MatrixReport, poolCells } from '../game/index.js';

/** The matrix as a text table: one row per location × difficulty × party size, then pooled rows. */
export function formatMatrix(report: MatrixReport): string {
  const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
  const header = [
    'location',
    'd',
    'n',
    'success',
    'death',
    'injury',
    'XP/mission',
    'XP/h',
    'loot/mission',
    'loot/h',
  ];
  const rows = report.cells.map((c) => [
    c.location,
    String(c.difficulty),
    String(c.partySize),
    pct(c.successRate),
    pct(c.deathRate),
    pct(c.injuryRate),
    c.xpPerMission.toFixed(0),
    c.xpPerHour.toFixed(0),
    c.lootPerMission.toFixed(1),
    c.lootPerHour.toFixed(0),
  ]);
  const sizes = [...new Set(report.cells.map((c) => c.partySize))];
  const levels = [...new Set(report.cells.map((c) => c.difficulty))];
  for (const n of sizes) {
    for (const d of levels) {
      const p = poolCells(report.cells.filter((c) => c.partySize === n && c.difficulty === d));
      rows.push([
        '(all locations)',
        String(d),
        String(n),
        pct(p.successRate),
        pct(p.deathRate),
        pct(p.injuryRate),
        p.xpPerMission.toFixed(0),
        p.xpPerHour.toFixed(0),
        p.lootPerMission.toFixed(1),
        p.lootPerHour.toFixed(0),
      ]);
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const perks = report.perks.length > 0 ? report.perks.join('+') : 'no perks';
  return [
    `seed ${report.seed} · ${report.runs} runs per cell · level ${report.level}, ${perks} · policy ${report.policy} · content ${report.contentVersion}`,
    line(header),
    ...rows.map(line),
  ].join('\n');
}
