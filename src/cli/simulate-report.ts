import type { BalanceReport, DifficultyFigures } from '../game/index.js';

/*
 * The `holdout simulate --report` page: one self-contained HTML file (inline CSS and SVG, no
 * scripts, no CDN) so it opens anywhere, offline, and can be attached to a pull request. It holds
 * no timestamp, so the same seed and content give the same file byte for byte.
 */

const WIDTH = 560;
const HEIGHT = 220;
const MARGIN = { top: 16, right: 16, bottom: 36, left: 48 };
const COLORS = {
  success: '#3a9d5d',
  retreat: '#d9a23b',
  failure: '#c8553d',
  death: '#5b3a70',
  xp: '#3b6fb6',
  length: '#6b7b8c',
};

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const num = (x: number) => (Math.round(x * 10) / 10).toLocaleString('en-US');

interface Series {
  label: string;
  color: string;
  value: (d: DifficultyFigures) => number;
}

/** A bar chart, stacked when given several series, one bar per difficulty. */
function barChart(
  title: string,
  rows: DifficultyFigures[],
  series: Series[],
  format: (x: number) => string,
  max?: number,
) {
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const top = max ?? Math.max(1e-9, ...rows.map((r) => series.reduce((s, x) => s + x.value(r), 0)));
  const slot = plotW / Math.max(1, rows.length);
  const barW = Math.min(64, slot * 0.6);
  const y = (v: number) => MARGIN.top + plotH - (v / top) * plotH;
  const parts: string[] = [];
  for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
    const ty = y(tick * top);
    parts.push(
      `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${ty}" y2="${ty}" class="grid"/>`,
      `<text x="${MARGIN.left - 6}" y="${ty + 4}" text-anchor="end">${esc(format(tick * top))}</text>`,
    );
  }
  rows.forEach((r, i) => {
    const x = MARGIN.left + slot * i + (slot - barW) / 2;
    let base = 0;
    for (const s of series) {
      const v = s.value(r);
      if (v > 0) {
        parts.push(
          `<rect x="${x.toFixed(1)}" y="${y(base + v).toFixed(1)}" width="${barW.toFixed(1)}" height="${(y(base) - y(base + v)).toFixed(1)}" fill="${s.color}"><title>${esc(`${r.name}: ${s.label} ${format(v)}`)}</title></rect>`,
        );
      }
      base += v;
    }
    if (series.length === 1) {
      parts.push(
        `<text x="${x + barW / 2}" y="${y(base) - 4}" text-anchor="middle">${esc(format(base))}</text>`,
      );
    }
    parts.push(
      `<text x="${x + barW / 2}" y="${HEIGHT - MARGIN.bottom + 16}" text-anchor="middle">${r.difficulty}. ${esc(r.name)}</text>`,
    );
  });
  const legend = series
    .map((s) => `<span class="key"><i style="background:${s.color}"></i>${esc(s.label)}</span>`)
    .join(' ');
  return `<figure><figcaption>${esc(title)}</figcaption><svg viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${esc(title)}">${parts.join('')}</svg><div class="legend">${legend}</div></figure>`;
}

export function renderReportHtml(report: BalanceReport): string {
  const rows = report.difficulties;
  const outcomes = barChart(
    'Mission outcomes by difficulty',
    rows,
    [
      { label: 'success', color: COLORS.success, value: (d) => d.successRate },
      { label: 'retreat', color: COLORS.retreat, value: (d) => d.retreatRate },
      { label: 'failure', color: COLORS.failure, value: (d) => d.failureRate },
    ],
    pct,
    1,
  );
  const deaths = barChart(
    'Survivors who died',
    rows,
    [{ label: 'death rate', color: COLORS.death, value: (d) => d.deathRate }],
    pct,
  );
  const xp = barChart(
    'Mean XP per survivor',
    rows,
    [{ label: 'mean XP', color: COLORS.xp, value: (d) => d.meanXp }],
    num,
  );
  const length = barChart(
    'Mean mission length (ticks)',
    rows,
    [{ label: 'mean ticks', color: COLORS.length, value: (d) => d.meanLength }],
    num,
  );
  const table = rows
    .map(
      (d) =>
        `<tr><td>${d.difficulty}. ${esc(d.name)}</td><td>${d.runs}</td><td>${pct(d.successRate)}</td><td>${pct(d.retreatRate)}</td><td>${pct(d.failureRate)}</td><td>${pct(d.deathRate)}</td><td>${num(d.meanXp)}</td><td>${num(d.meanLength)}</td><td>${num(d.meanSupplies)}</td></tr>`,
    )
    .join('\n');
  const setup = [
    ['seed', report.seed],
    ['runs per difficulty', String(report.runs)],
    ['party size', String(report.partySize)],
    ['location', report.location ?? 'drawn per run'],
    ['retreat below', `${pct(report.retreatBelow)} of party health`],
    ['content version', report.contentVersion],
  ]
    .map(([k, v]) => `<dt>${esc(k!)}</dt><dd>${esc(v!)}</dd>`)
    .join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Holdout balance report</title>
<style>
body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 1200px; padding: 0 1rem; color: #1d232a; }
h1 { font-size: 1.4rem; } dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
dt { color: #5a6570; } dd { margin: 0; font-family: ui-monospace, monospace; }
table { border-collapse: collapse; margin: 1rem 0; } th, td { padding: .3rem .7rem; text-align: right; border-bottom: 1px solid #dde2e6; }
th:first-child, td:first-child { text-align: left; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(480px, 1fr)); gap: 1.5rem; }
figure { margin: 0; } figcaption { font-weight: 600; margin-bottom: .3rem; }
svg { width: 100%; height: auto; } svg text { font-size: 11px; fill: #3d4650; } .grid { stroke: #e6eaed; }
.legend { font-size: 12px; } .key { margin-right: 1rem; } .key i { display: inline-block; width: .8rem; height: .8rem; margin-right: .3rem; vertical-align: -1px; }
</style>
</head>
<body>
<h1>Holdout balance report</h1>
<dl>${setup}</dl>
<table>
<thead><tr><th>difficulty</th><th>runs</th><th>success</th><th>retreat</th><th>failure</th><th>deaths</th><th>mean XP</th><th>mean ticks</th><th>mean supplies</th></tr></thead>
<tbody>
${table}
</tbody>
</table>
<div class="charts">
${outcomes}
${deaths}
${xp}
${length}
</div>
<p>Simulated with fresh level-1 survivors who retreat when their standing health falls below the threshold above. Produced by <code>holdout simulate</code>.</p>
</body>
</html>
`;
}
