/** Summaries of benchmark runs: medians and spread, the Markdown table, and a hand-written SVG chart. */
import type { DriveResult } from './drive.ts';

export interface Summary {
  runs: number;
  requestsPerSecond: number;
  /** Lowest and highest requests/s over the runs, and (max − min) / median in percent. */
  spread: { min: number; max: number; percent: number };
  p50Ms: number;
  p99Ms: number;
  /** Server CPU per request (µs) from /proc, when the server's pid was watched. */
  cpuMicrosPerRequest: number | null;
  maxRssMiB: number | null;
  clientCpuShare: number;
  statuses: Record<string, number>;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function summarize(runs: DriveResult[]): Summary {
  const rps = runs.map((r) => r.requestsPerSecond);
  const med = median(rps);
  const statuses: Record<string, number> = {};
  for (const r of runs) for (const [k, v] of Object.entries(r.statuses)) statuses[k] = (statuses[k] ?? 0) + v;
  const watched = runs.filter((r) => r.watched);
  return {
    runs: runs.length,
    requestsPerSecond: Math.round(med),
    spread: {
      min: Math.min(...rps),
      max: Math.max(...rps),
      percent: Number(((100 * (Math.max(...rps) - Math.min(...rps))) / med).toFixed(1)),
    },
    p50Ms: Number(median(runs.map((r) => r.latencyMs.p50)).toFixed(2)),
    p99Ms: Number(median(runs.map((r) => r.latencyMs.p99)).toFixed(2)),
    cpuMicrosPerRequest: watched.length
      ? Math.round(median(watched.map((r) => r.watched?.cpuMicrosPerRequest ?? 0)))
      : null,
    maxRssMiB: watched.length ? Math.max(...watched.map((r) => r.watched?.maxRssMiB ?? 0)) : null,
    clientCpuShare: Number(median(runs.map((r) => r.clientCpuSeconds / r.seconds)).toFixed(2)),
    statuses,
  };
}

export interface ScenarioResult {
  id: string;
  title: string;
  /** For the chart's row labels. */
  short: string;
  store: 'SQLite' | 'PostgreSQL';
  rateLimits: 'on' | 'off';
  auth: string;
  ours: Summary & { runsRaw: DriveResult[] };
  ceiling: Summary | null;
  ratios: {
    rpsVsCeiling: number | null;
    rpsVsPrism: number | null;
    cpuVsCeiling: number | null;
    p99VsCeiling: number | null;
  };
  problems: string[];
}

export interface StartAndMemory {
  coldStartMs: { oursRestart: number; oursFirstRun: number; ceiling: number; ratioRestartVsCeiling: number };
  idleRssMiB: { ours: number; fastifyHello: number; ceiling: number; ratioOursVsHello: number };
  loadRssMiB: { ours: number; ratioOursVsHelloIdle: number };
  /** Every sample behind the medians above (ms, MiB). */
  samples?: Record<string, number[]>;
}

export interface BenchReport {
  date: string;
  machine: {
    cores: number;
    cpu: string;
    memGiB: number;
    loadAtStart: number[];
    loadAtEnd: number[];
    node: string;
    commit: string;
  };
  settings: { durationS: number; warmupS: number; runs: number; connections: number; invitations: number };
  prism: (Summary & { version: string; startMs: number; request: string }) | { skipped: string };
  /** A Fastify hello-world under the same load (absent in results from before it was measured). */
  fastifyFloor?: Summary;
  scenarios: ScenarioResult[];
  start: StartAndMemory;
  notes: string[];
}

const ratio = (x: number | null, digits = 2) => (x === null || !Number.isFinite(x) ? '–' : x.toFixed(digits));
const int = (x: number | null) => (x === null ? '–' : Math.round(x).toLocaleString('en-US'));

export function markdown(r: BenchReport): string {
  const prismRps = 'requestsPerSecond' in r.prism ? r.prism.requestsPerSecond : null;
  const lines = [
    `Measured ${r.date} on ${r.machine.cores} cores (${r.machine.cpu}), load average ${r.machine.loadAtStart.map((x) => x.toFixed(2)).join(' / ')} at start; ` +
      `${r.settings.connections} keep-alive connections, ${r.settings.runs} runs of ${r.settings.durationS} s after a ${r.settings.warmupS} s warm-up (medians; spread = (max − min) / median of requests/s); ` +
      `${r.settings.invitations} pending invitations; load generator on the same host. Prism: ${prismRps === null ? (r.prism as { skipped: string }).skipped : `${int(prismRps)} req/s`}.`,
    '',
    '| scenario | store | rate limits | req/s (spread %) | ceiling req/s | × ceiling | × Prism | CPU µs/req | ceiling CPU µs/req | CPU × ceiling | p50 ms | p99 ms | ceiling p99 ms | p99 × ceiling |',
    '|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const s of r.scenarios) {
    lines.push(
      `| ${s.title} | ${s.store} | ${s.rateLimits} | ${int(s.ours.requestsPerSecond)} (${Math.round(s.ours.spread.percent)}%) | ${int(s.ceiling?.requestsPerSecond ?? null)} | ${ratio(s.ratios.rpsVsCeiling)} | ${ratio(s.ratios.rpsVsPrism, 1)} | ${int(s.ours.cpuMicrosPerRequest)} | ${int(s.ceiling?.cpuMicrosPerRequest ?? null)} | ${ratio(s.ratios.cpuVsCeiling, 1)} | ${s.ours.p50Ms} | ${s.ours.p99Ms} | ${s.ceiling?.p99Ms ?? '–'} | ${ratio(s.ratios.p99VsCeiling, 1)} |`,
    );
  }
  const floor = r.fastifyFloor;
  if (floor) {
    // The ceiling's CPU per request, median over the scenarios: what one bare answer costs.
    const ceilings = r.scenarios
      .map((s) => s.ceiling?.cpuMicrosPerRequest)
      .filter((v): v is number => typeof v === 'number')
      .sort((a, b) => a - b);
    const ceilingCpu = ceilings.length ? ceilings[Math.floor(ceilings.length / 2)] : null;
    lines.push(
      '',
      '| framework floor | req/s | CPU µs/req | CPU × ceiling (median ceiling) | p99 ms |',
      '|---|--:|--:|--:|--:|',
      `| Fastify hello-world, no auth, no store (same load) | ${int(floor.requestsPerSecond)} | ${int(floor.cpuMicrosPerRequest)} | ${ceilingCpu && floor.cpuMicrosPerRequest ? ratio(floor.cpuMicrosPerRequest / ceilingCpu, 1) : '–'} | ${floor.p99Ms} |`,
    );
  }
  const st = r.start;
  lines.push(
    '',
    '| start and memory | ours | reference | ratio |',
    '|---|--:|--:|--:|',
    `| cold start, spawn → first 200 (restart on an existing store) | ${st.coldStartMs.oursRestart} ms | ceiling ${st.coldStartMs.ceiling} ms | ${ratio(st.coldStartMs.ratioRestartVsCeiling, 1)} |`,
    `| cold start, first run (creates the store) | ${st.coldStartMs.oursFirstRun} ms | ceiling ${st.coldStartMs.ceiling} ms | ${ratio(st.coldStartMs.oursFirstRun / st.coldStartMs.ceiling, 1)} |`,
    `| idle RSS | ${st.idleRssMiB.ours} MiB | Fastify hello-world ${st.idleRssMiB.fastifyHello} MiB (ceiling ${st.idleRssMiB.ceiling} MiB) | ${ratio(st.idleRssMiB.ratioOursVsHello)} |`,
    `| RSS under load (peak) | ${st.loadRssMiB.ours} MiB | Fastify hello-world idle ${st.idleRssMiB.fastifyHello} MiB | ${ratio(st.loadRssMiB.ratioOursVsHelloIdle)} |`,
  );
  if (r.notes.length) lines.push('', ...r.notes.map((n) => `- ${n}`));
  return `${lines.join('\n')}\n`;
}

/** A round number at or above x (axis ends). */
function nice(x: number): number {
  const p = 10 ** Math.floor(Math.log10(x));
  return ([1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10].find((m) => m * p >= x) ?? 10) * p;
}

const esc = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/** Two panels: requests/s (ours, ceiling, Prism; linear) and latency p50/p99 (ours, ceiling; log scale), per scenario. */
export function svg(r: BenchReport): string {
  const rows = r.scenarios;
  const prismRps = 'requestsPerSecond' in r.prism ? r.prism.requestsPerSecond : null;
  const label = (s: ScenarioResult) =>
    `${s.short} · ${s.store === 'PostgreSQL' ? 'PG' : 'SQLite'} · limits ${s.rateLimits}`;
  const W = 1100;
  const labelW = 280;
  const panelW = (W - labelW - 60 - 110) / 2;
  const rowH = 34;
  const top = 70;
  const H = top + rows.length * rowH + 70;
  const maxRps = nice(
    Math.max(
      1,
      ...rows.map((s) => Math.max(s.ours.requestsPerSecond, s.ceiling?.requestsPerSecond ?? 0)),
      prismRps ?? 0,
    ),
  );
  const lats = rows
    .flatMap((s) => [s.ours.p50Ms, s.ours.p99Ms, s.ceiling?.p50Ms ?? s.ours.p50Ms, s.ceiling?.p99Ms ?? s.ours.p99Ms])
    .filter((x) => x > 0);
  const loExp = Math.floor(Math.log10(Math.min(1, ...lats)));
  const hiExp = Math.max(loExp + 1, Math.ceil(Math.log10(Math.max(1, ...lats))));
  const x1 = labelW;
  const x2 = labelW + panelW + 110;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, sans-serif" font-size="11">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="10" y="20" font-size="14" font-weight="bold">cloud-invites ${esc(r.date)}: throughput and latency vs the bare node:http ceiling and Prism (${r.machine.cores} cores)</text>`,
    `<text x="${x1}" y="48" font-weight="bold">requests/s</text>`,
    `<text x="${x2}" y="48" font-weight="bold">latency ms, log scale (bar: p50, whisker: p99)</text>`,
  ];
  for (const [i, s] of rows.entries()) {
    const y = top + i * rowH;
    out.push(`<text x="${labelW - 8}" y="${y + 16}" text-anchor="end">${esc(label(s))}</text>`);
    const wOurs = (panelW * s.ours.requestsPerSecond) / maxRps;
    const wCeil = (panelW * (s.ceiling?.requestsPerSecond ?? 0)) / maxRps;
    out.push(`<rect x="${x1}" y="${y + 2}" width="${wCeil.toFixed(1)}" height="12" fill="#c8c8c8"/>`);
    out.push(`<rect x="${x1}" y="${y + 15}" width="${wOurs.toFixed(1)}" height="12" fill="#2f6fb0"/>`);
    out.push(
      `<text x="${(x1 + Math.max(wOurs, 0) + 4).toFixed(1)}" y="${y + 25}">${s.ours.requestsPerSecond.toLocaleString('en-US')}${s.ratios.rpsVsCeiling === null ? '' : ` (${s.ratios.rpsVsCeiling.toFixed(2)}×)`}</text>`,
    );
    const lat = (ms: number) => (panelW * (Math.log10(Math.max(ms, 10 ** loExp)) - loExp)) / (hiExp - loExp);
    if (s.ceiling) {
      out.push(`<rect x="${x2}" y="${y + 2}" width="${lat(s.ceiling.p50Ms).toFixed(1)}" height="12" fill="#c8c8c8"/>`);
      out.push(
        `<line x1="${x2 + lat(s.ceiling.p50Ms)}" x2="${x2 + lat(s.ceiling.p99Ms)}" y1="${y + 8}" y2="${y + 8}" stroke="#888"/>`,
      );
    }
    out.push(`<rect x="${x2}" y="${y + 15}" width="${lat(s.ours.p50Ms).toFixed(1)}" height="12" fill="#2f6fb0"/>`);
    out.push(
      `<line x1="${x2 + lat(s.ours.p50Ms)}" x2="${x2 + lat(s.ours.p99Ms)}" y1="${y + 21}" y2="${y + 21}" stroke="#2f6fb0" stroke-width="2"/>`,
    );
    out.push(
      `<text x="${(x2 + lat(s.ours.p99Ms) + 4).toFixed(1)}" y="${y + 25}">${s.ours.p50Ms} / ${s.ours.p99Ms}</text>`,
    );
  }
  const bottom = top + rows.length * rowH;
  if (prismRps !== null) {
    const px = x1 + (panelW * prismRps) / maxRps;
    out.push(
      `<line x1="${px.toFixed(1)}" x2="${px.toFixed(1)}" y1="${top - 6}" y2="${bottom}" stroke="#d0452b" stroke-dasharray="4 3" stroke-width="1.5"/>`,
    );
    out.push(
      `<text x="${(px + 3).toFixed(1)}" y="${top - 8}" fill="#d0452b">Prism ${prismRps.toLocaleString('en-US')}</text>`,
    );
  }
  const axis = (x: number, ticks: [number, string][]) => {
    out.push(`<line x1="${x}" x2="${x + panelW}" y1="${bottom}" y2="${bottom}" stroke="#333"/>`);
    for (const [at, text] of ticks) {
      const tx = (x + at).toFixed(1);
      out.push(`<line x1="${tx}" x2="${tx}" y1="${bottom}" y2="${bottom + 4}" stroke="#333"/>`);
      out.push(`<text x="${tx}" y="${bottom + 16}" text-anchor="middle">${text}</text>`);
    }
  };
  axis(
    x1,
    [0, 1, 2, 3, 4].map((t) => [(panelW * t) / 4, Math.round((maxRps * t) / 4).toLocaleString('en-US')]),
  );
  const decades = Array.from({ length: hiExp - loExp + 1 }, (_, k) => loExp + k);
  axis(
    x2,
    decades.map((e) => [(panelW * (e - loExp)) / (hiExp - loExp), String(Number((10 ** e).toPrecision(1)))]),
  );
  const ly = bottom + 40;
  out.push(
    `<rect x="${x1}" y="${ly - 9}" width="12" height="10" fill="#2f6fb0"/><text x="${x1 + 16}" y="${ly}">cloud-invites</text>`,
  );
  out.push(
    `<rect x="${x1 + 110}" y="${ly - 9}" width="12" height="10" fill="#c8c8c8"/><text x="${x1 + 126}" y="${ly}">bare node:http ceiling (same bytes)</text>`,
  );
  out.push(
    `<line x1="${x1 + 340}" x2="${x1 + 356}" y1="${ly - 4}" y2="${ly - 4}" stroke="#d0452b" stroke-dasharray="4 3" stroke-width="1.5"/><text x="${x1 + 360}" y="${ly}">Stoplight Prism mock (listGroupInvites)</text>`,
  );
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
