/*
 * Same-process A/B comparison of built packages, for bench/ab-builds.ts: loading a build's ESM
 * entry points, the interleaved CPU-time passes, the per-pass ratios and their middle half, the
 * verdict and the table. The workloads themselves are in bench/lib/ab-workloads.ts.
 *
 * Every build is a `dist/` directory; its `index.js`, `core.js` and `schemas.js` are imported as
 * they are. Only API that every build since 6febd7b exports is used (checked when loading).
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Core from '../../src/core';
import type * as Index from '../../src/index';
import type * as Schemas from '../../src/schemas';
import { median } from './report';

const ENTRIES = {
  'index.js': ['defineProgram', 'createLoyalty', 'memoryStore', 'fixedClock'],
  'core.js': ['evaluate', 'applyEntries', 'openAccount', 'parseEvent', 'tick', 'quote', 'redeem', 'balanceAt'],
  'schemas.js': ['quoteRequestSchema', 'redeemRequestSchema'],
} as const;

/** What the comparison calls on each build (typed as today's sources; every build has these names). */
export type BuildApi = Pick<typeof Index, 'defineProgram' | 'createLoyalty' | 'memoryStore' | 'fixedClock'> &
  Pick<typeof Core, 'evaluate' | 'applyEntries' | 'openAccount' | 'parseEvent' | 'tick' | 'quote' | 'redeem' | 'balanceAt'> &
  Pick<typeof Schemas, 'quoteRequestSchema' | 'redeemRequestSchema'>;

/** One build under comparison: its name on the command line, its dist directory and its API. */
export interface Build {
  readonly name: string;
  readonly dir: string;
  readonly api: BuildApi;
}

/** Imports a build's ESM entry points from `dir` (a dist/ directory) and checks it has every name used. */
export async function loadBuild(name: string, dir: string): Promise<Build> {
  const api: Record<string, unknown> = {};
  for (const [entry, names] of Object.entries(ENTRIES)) {
    const loaded = (await import(pathToFileURL(resolve(dir, entry)).href)) as Record<string, unknown>;
    for (const n of names) {
      if (loaded[n] === undefined) throw new Error(`build ${name} (${dir}): ${entry} exports no ${n}`);
      api[n] = loaded[n];
    }
  }
  return { name, dir, api: api as unknown as BuildApi };
}

/** One build's side of a workload, prepared on that build's own API. */
export interface Subject {
  /** What the workload computes (entries and balances), compared as JSON across builds before any timing. */
  readonly output: () => Promise<unknown>;
  /** Untimed set-up of a pass (e.g. a fresh store); default none. */
  readonly setup?: (pass: number, n: number) => Promise<void>;
  /** The timed body: `n` operations. */
  readonly run: (pass: number, n: number) => Promise<void> | void;
}

/** A workload: the same operations, prepared on each build. */
export interface Workload {
  readonly name: string;
  /** Operations per timed pass; undefined: calibrated on the first build to about `passMs`. */
  readonly ops?: number;
  readonly prepare: (api: BuildApi) => Promise<Subject>;
}

/** The first place two JSON values differ, as a path and both sides; undefined when equal. */
export function firstDifference(a: unknown, b: unknown, path = '$'): { path: string; a: string; b: string } | undefined {
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) {
    const sa = JSON.stringify(a) ?? '(absent)';
    const sb = JSON.stringify(b) ?? '(absent)';
    return sa === sb ? undefined : { path, a: sa, b: sb };
  }
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(ra), ...Object.keys(rb)])];
  for (const k of keys) {
    const d = firstDifference(ra[k], rb[k], Array.isArray(a) ? `${path}[${k}]` : `${path}.${k}`);
    if (d) return d;
  }
  return undefined;
}

/** Raised when two builds compute different outputs: the comparison stops, nothing is timed. */
export class OutputMismatch extends Error {
  constructor(workload: string, a: string, b: string, d: { path: string; a: string; b: string }) {
    const cut = (s: string): string => (s.length > 300 ? `${s.slice(0, 300)}…` : s);
    super(`${workload}: builds ${a} and ${b} give different outputs at ${d.path}\n  ${a}: ${cut(d.a)}\n  ${b}: ${cut(d.b)}`);
    this.name = 'OutputMismatch';
  }
}

/** Outputs as JSON values (Decimals and Dates as their JSON strings), so builds compare by value. */
const asJson = (v: unknown): unknown => JSON.parse(JSON.stringify(v ?? null)) as unknown;

/** The q-quantile (0–1) of some samples, linearly interpolated (NaN for none). */
export function quantile(samples: readonly number[], q: number): number {
  const s = [...samples].sort((x, y) => x - y);
  if (s.length === 0) return Number.NaN;
  const at = (s.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return (s[lo] as number) + ((s[hi] as number) - (s[lo] as number)) * (at - lo);
}

/** Verdict on a ratio later/first: a regression when the median exceeds 1 + `limit`. */
export function verdictOf(ratio: { readonly median: number; readonly q1: number; readonly q3: number }, limit = 0.1): string {
  const over = 1 + limit;
  if (ratio.median > over) return `REGRESSION > ${Math.round(limit * 100)} %`;
  if (ratio.q3 > over) return `no (median ≤ ${over}, middle half reaches past it)`;
  if (ratio.q3 < 1) return 'no (faster)';
  return 'no';
}

/** The sizes of a comparison. */
export interface AbOptions {
  /** Timed passes per workload (each build once per pass). */
  readonly passes: number;
  /** Untimed warm-up passes per workload (after `warmMs`). */
  readonly warmup: number;
  /** CPU milliseconds each build runs a workload untimed before its passes are sized (the JIT's tiers settle). */
  readonly warmMs: number;
  /** Target CPU milliseconds of one build's pass, for the calibrated workloads. */
  readonly passMs: number;
  /** Prints progress (one line per workload). */
  readonly log?: (line: string) => void;
}

/** One workload's figures: CPU-µs per op of each build (median and middle half), and each later build over the first. */
export interface WorkloadResult {
  readonly workload: string;
  readonly ops: number;
  readonly perOp: readonly { readonly build: string; readonly median: number; readonly q1: number; readonly q3: number }[];
  /** Per-pass ratios of build k (k ≥ 1) over build 0, summarized. */
  readonly ratios: readonly { readonly build: string; readonly over: string; readonly median: number; readonly q1: number; readonly q3: number }[];
}

function cpuNow(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

async function timed(subject: Subject, pass: number, n: number): Promise<number> {
  if (subject.setup) await subject.setup(pass, n);
  const start = cpuNow();
  await subject.run(pass, n);
  return (cpuNow() - start) / n;
}

/**
 * Operations per pass so one pass of the first build takes about `passMs` of CPU (at least 1):
 * batches growing 4× until one takes a quarter of that, then once more at the size found (the
 * first batches run on cold code and would make the passes too short).
 */
async function calibrate(subject: Subject, passMs: number): Promise<number> {
  const sized = (perOp: number): number => Math.max(1, Math.round((passMs * 1000) / Math.max(perOp, 1e-3)));
  let n = 1;
  for (let tries = 0; tries < 12; tries++) {
    const perOp = await timed(subject, -1 - tries, n);
    if (perOp * n >= (passMs * 1000) / 4) {
      n = sized(perOp);
      break;
    }
    n *= 4;
  }
  return sized(await timed(subject, -20, n));
}

/** Runs `subject` untimed in growing batches until it has used `warmMs` of CPU. */
async function warm(subject: Subject, warmMs: number, fixedOps: number | undefined): Promise<void> {
  let used = 0;
  let n = fixedOps ?? 16;
  for (let p = 0; used < warmMs * 1000 && p < 1000; p++) {
    used += (await timed(subject, -200 - p, n)) * n;
    if (fixedOps === undefined) n = Math.min(n * 2, 4096);
  }
}

/** The build order of pass `p`: rotated by one each pass (for two builds, swapped every pass). */
export function orderOf<T>(items: readonly T[], p: number): T[] {
  const k = items.length;
  return items.map((_, i) => items[(i + p) % k] as T);
}

/**
 * Checks every build computes the same output for `workload`, then times it on all of them,
 * interleaved: each pass runs every build once (order rotated every pass), timed in CPU time
 * (process.cpuUsage, user + system). Throws OutputMismatch when the outputs differ.
 */
export async function compareWorkload(builds: readonly Build[], workload: Workload, options: AbOptions): Promise<WorkloadResult> {
  const subjects = await Promise.all(builds.map((b) => workload.prepare(b.api)));
  const outputs = await Promise.all(subjects.map(async (s) => asJson(await s.output())));
  for (let k = 1; k < builds.length; k++) {
    const d = firstDifference(outputs[0], outputs[k]);
    if (d) throw new OutputMismatch(workload.name, builds[0]?.name ?? '?', builds[k]?.name ?? '?', d);
  }
  const first = subjects[0];
  if (!first) throw new Error('no builds');
  for (const s of subjects) await warm(s, options.warmMs, workload.ops);
  const n = workload.ops ?? (await calibrate(first, options.passMs));
  const indexed = subjects.map((s, i) => ({ s, i }));
  for (let p = 0; p < options.warmup; p++) for (const { s } of orderOf(indexed, p)) await timed(s, -100 - p, n);
  const samples: number[][] = builds.map(() => []);
  for (let p = 0; p < options.passes; p++) {
    for (const { s, i } of orderOf(indexed, p)) samples[i]?.push(await timed(s, p, n));
  }
  const summary = (xs: readonly number[]) => ({ median: median(xs), q1: quantile(xs, 0.25), q3: quantile(xs, 0.75) });
  const base = samples[0] ?? [];
  const result: WorkloadResult = {
    workload: workload.name,
    ops: n,
    perOp: builds.map((b, i) => ({ build: b.name, ...summary(samples[i] ?? []) })),
    ratios: builds.slice(1).map((b, k) => ({ build: b.name, over: builds[0]?.name ?? '?', ...summary((samples[k + 1] ?? []).map((x, p) => x / (base[p] ?? Number.NaN))) })),
  };
  options.log?.(`  ${workload.name}: ${n} ops per pass, ${options.passes} passes; ${result.perOp.map((r) => `${r.build} ${r.median.toFixed(2)}`).join(', ')} CPU-µs/op`);
  return result;
}

/** Compares every workload in turn; stops at the first whose outputs differ (OutputMismatch). */
export async function compareBuilds(builds: readonly Build[], workloads: readonly Workload[], options: AbOptions): Promise<WorkloadResult[]> {
  if (builds.length < 2) throw new Error('compare at least two builds');
  const out: WorkloadResult[] = [];
  for (const w of workloads) out.push(await compareWorkload(builds, w, options));
  return out;
}

const f2 = (x: number): string => (Number.isFinite(x) ? x.toFixed(2) : '—');
const f3 = (x: number): string => (Number.isFinite(x) ? x.toFixed(3) : '—');

/** The table: workload, CPU-µs per op of each build, each later build over the first with its middle half, verdict. */
export function formatResults(results: readonly WorkloadResult[], options: { readonly markdown: boolean }): string {
  const builds = results[0]?.perOp.map((p) => p.build) ?? [];
  const ratioNames = results[0]?.ratios.map((r) => `${r.build}/${r.over}`) ?? [];
  const header = ['workload', 'ops/pass', ...builds.map((b) => `${b} CPU-µs/op`), ...ratioNames.flatMap((r) => [`${r} (middle half)`, 'verdict'])];
  const rows = results.map((r) => [
    r.workload,
    String(r.ops),
    ...r.perOp.map((p) => f2(p.median)),
    ...r.ratios.flatMap((q) => [`${f3(q.median)} (${f3(q.q1)}–${f3(q.q3)})`, verdictOf(q)]),
  ]);
  if (options.markdown) {
    const line = (cells: readonly string[]): string => `| ${cells.map((c) => c.replaceAll('|', '\\|')).join(' | ')} |`;
    return [line(header), `|${header.map(() => '---').join('|')}|`, ...rows.map(line)].join('\n');
  }
  const widths = header.map((_, c) => Math.max(...[header, ...rows].map((row) => (row[c] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
