import { P99_TARGET_MS, type StepResult } from './run-step.js';

export interface RunContext {
  command: string;
  startedAt: Date;
  machine: string;
  versions: Record<string, string>;
  loadAverage: string;
  durationS: number;
  intervalMs: number;
}

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const ms = (n: number) => (n >= 10_000 ? `${fmt(n / 1000, 1)} s` : `${fmt(n)} ms`);

/** The largest N each system sustained (p99 under 1 s, nothing missed, log complete), by system. */
export function headlines(results: readonly StepResult[]): Map<string, StepResult | null> {
  const best = new Map<string, StepResult | null>();
  for (const r of results) {
    if (!best.has(r.system)) best.set(r.system, null);
    const current = best.get(r.system);
    if (r.sustained && (!current || r.missions > current.missions)) best.set(r.system, r);
  }
  return best;
}

export function markdownReport(
  results: readonly StepResult[],
  context: RunContext,
  chartPath: string,
): string {
  const lines: string[] = [];
  lines.push(
    `Measured ${context.startedAt.toISOString()} on ${context.machine} (load average at start: ${context.loadAverage}).`,
  );
  lines.push(
    `Versions: ${Object.entries(context.versions)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}.`,
  );
  lines.push('');
  lines.push(`Command: \`${context.command}\``);
  lines.push('');
  lines.push(
    `Workload: N solo missions ticking every ${context.intervalMs / 1000} s, first ticks spread evenly over one interval, ` +
      `measured for ${context.durationS} s each. Sustained = p99 lateness under ${P99_TARGET_MS / 1000} s, no due tick missed, durable log complete.`,
  );
  lines.push('');
  lines.push(
    '| system | largest N sustained | ticks/s | p99 lateness | CPU s / 1k ticks | Redis bytes / mission |',
  );
  lines.push('|---|---:|---:|---:|---:|---:|');
  for (const [system, best] of headlines(results)) {
    if (!best) lines.push(`| ${system} | none of the steps run | | | | |`);
    else
      lines.push(
        `| ${system} | **${fmt(best.missions)}** | ${fmt(best.ticksPerS)} | ${ms(best.lateness.p99Ms)} | ${fmt(best.cpuSPer1kTicks, 3)} | ${best.redisBytesPerMission === null ? '—' : fmt(best.redisBytesPerMission)} |`,
      );
  }
  lines.push('');
  lines.push(`![p99 tick lateness against concurrent missions](${chartPath})`);
  lines.push('');
  lines.push('Every step:');
  lines.push('');
  lines.push(
    '| system | N | ticks/s due | ticks/s run | lateness p50 | p99 | max | missed | CPU s / 1k ticks (workers + Redis + Postgres) | Redis bytes / mission | log complete | sustained |',
  );
  lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---|---|');
  for (const r of results) {
    const cpu = `${fmt(r.cpuSPer1kTicks, 3)} (${fmt(r.cpuS.workers, 1)} + ${fmt(r.cpuS.redis, 1)} + ${fmt(r.cpuS.postgres, 1)} s)`;
    const log = r.log.complete ? 'yes' : `**no**: ${r.log.lost} lost, ${r.log.duplicated} duplicated`;
    lines.push(
      `| ${r.system} | ${fmt(r.missions)} | ${fmt(r.dueTicksPerS)} | ${fmt(r.ticksPerS)} | ${ms(r.lateness.p50Ms)} | ${ms(r.lateness.p99Ms)} | ${ms(r.lateness.maxMs)} | ${fmt(r.lateness.missed)} | ${cpu} | ${r.redisBytesPerMission === null ? '—' : fmt(r.redisBytesPerMission)} | ${log} | ${r.sustained ? 'yes' : 'no'} |`,
    );
  }
  return lines.join('\n');
}

const COLORS = ['#1b7837', '#5aae61', '#c51b7d', '#2166ac', '#e08214', '#542788'];

/** p99 lateness against N, log-log, one line per system, the 1 s target dashed. Plain SVG, no dependencies. */
export function latenessChart(results: readonly StepResult[]): string {
  const width = 760;
  const height = 440;
  const m = { left: 70, right: 200, top: 30, bottom: 50 };
  const plotW = width - m.left - m.right;
  const plotH = height - m.top - m.bottom;
  const ns = results.map((r) => r.missions);
  const xMin = Math.log10(Math.min(...ns, 1_000));
  const xMax = Math.log10(Math.max(...ns, 100_000)) + 0.05;
  const yMin = 1; // 10 ms
  const yMax = Math.max(4.7, Math.log10(Math.max(...results.map((r) => r.lateness.p99Ms), 1)) + 0.1);
  const x = (n: number) => m.left + ((Math.log10(n) - xMin) / (xMax - xMin)) * plotW;
  const y = (v: number) => m.top + plotH - ((Math.log10(Math.max(v, 10)) - yMin) / (yMax - yMin)) * plotH;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
  );
  out.push(`<rect width="${width}" height="${height}" fill="white"/>`);
  out.push(
    `<text x="${m.left}" y="18" font-size="14" font-weight="bold">p99 tick lateness against concurrent missions (5 s cadence)</text>`,
  );
  for (const n of [1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000, 200_000, 500_000]) {
    if (Math.log10(n) < xMin || Math.log10(n) > xMax) continue;
    out.push(`<line x1="${x(n)}" x2="${x(n)}" y1="${m.top}" y2="${m.top + plotH}" stroke="#eee"/>`);
    out.push(
      `<text x="${x(n)}" y="${m.top + plotH + 16}" text-anchor="middle">${n >= 1000 ? `${n / 1000}k` : n}</text>`,
    );
  }
  for (let e = Math.ceil(yMin); e <= Math.floor(yMax); e++) {
    const v = 10 ** e;
    out.push(`<line x1="${m.left}" x2="${m.left + plotW}" y1="${y(v)}" y2="${y(v)}" stroke="#eee"/>`);
    out.push(
      `<text x="${m.left - 6}" y="${y(v) + 4}" text-anchor="end">${v >= 1000 ? `${v / 1000} s` : `${v} ms`}</text>`,
    );
  }
  out.push(`<rect x="${m.left}" y="${m.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#999"/>`);
  out.push(
    `<line x1="${m.left}" x2="${m.left + plotW}" y1="${y(P99_TARGET_MS)}" y2="${y(P99_TARGET_MS)}" stroke="#d73027" stroke-dasharray="6 4"/>`,
  );
  out.push(
    `<text x="${m.left + plotW - 4}" y="${y(P99_TARGET_MS) - 5}" text-anchor="end" fill="#d73027">target: p99 &lt; 1 s</text>`,
  );
  out.push(
    `<text x="${m.left + plotW / 2}" y="${height - 10}" text-anchor="middle">concurrent missions (N, log scale)</text>`,
  );
  out.push(
    `<text transform="translate(16 ${m.top + plotH / 2}) rotate(-90)" text-anchor="middle">p99 lateness (log scale)</text>`,
  );
  const systems = [...new Set(results.map((r) => r.system))];
  systems.forEach((system, i) => {
    const color = COLORS[i % COLORS.length]!;
    const points = results.filter((r) => r.system === system).sort((a, b) => a.missions - b.missions);
    out.push(
      `<polyline fill="none" stroke="${color}" stroke-width="2" points="${points.map((p) => `${x(p.missions).toFixed(1)},${y(p.lateness.p99Ms).toFixed(1)}`).join(' ')}"/>`,
    );
    for (const p of points) {
      out.push(
        `<circle cx="${x(p.missions).toFixed(1)}" cy="${y(p.lateness.p99Ms).toFixed(1)}" r="4" fill="${p.sustained ? color : 'white'}" stroke="${color}" stroke-width="2"/>`,
      );
    }
    const ly = m.top + 10 + i * 20;
    out.push(
      `<line x1="${width - m.right + 15}" x2="${width - m.right + 40}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="2"/>`,
    );
    out.push(`<text x="${width - m.right + 46}" y="${ly + 4}">${system}</text>`);
  });
  const ly = m.top + 10 + systems.length * 20 + 10;
  out.push(
    `<circle cx="${width - m.right + 27}" cy="${ly}" r="4" fill="white" stroke="#555" stroke-width="2"/>`,
  );
  out.push(`<text x="${width - m.right + 46}" y="${ly + 4}">not sustained</text>`);
  out.push('</svg>');
  return out.join('\n');
}
