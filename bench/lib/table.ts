/*
 * What `npm run bench` prints and writes at the end: one row per figure of every module (or one
 * row saying why a module has none), as a plain-text or Markdown table, the machine-readable
 * results behind it (`--json`), and the exit code the run ends with. Pure functions over the
 * modules' results, so test/bench/runner.test.ts checks them from given figures.
 */
import { fmt, verdict, type TargetFigure } from './report';

/** How one module's child process ended. */
export type ModuleStatus = 'ok' | 'no-figures' | 'crashed';

/** One bench module's run: its figures, or why there are none. */
export interface ModuleResult {
  /** The module's name, e.g. "rules" (bench/rules.ts). */
  readonly module: string;
  /** The PERFORMANCE.md target it measures. */
  readonly target: number;
  readonly status: ModuleStatus;
  /** Wall-clock seconds of its child process, start-up included. */
  readonly seconds: number;
  readonly figures: readonly TargetFigure[];
  /** For a crash: the exit code or signal, and the error the module threw when it said. */
  readonly error?: string;
}

/** The counts the last line of the run states. */
export interface Summary {
  readonly met: number;
  readonly missed: number;
  readonly context: number;
  readonly skipped: number;
  readonly withoutFigures: number;
  readonly crashed: number;
}

/** Counts the figures and modules by verdict. A context figure is counted apart, whether it holds or not. */
export function summarize(results: readonly ModuleResult[]): Summary {
  const figures = results.flatMap((r) => r.figures);
  const judged = figures.filter((f) => f.skipped === undefined && f.context !== true);
  return {
    met: judged.filter((f) => f.holds).length,
    missed: judged.filter((f) => !f.holds).length,
    context: figures.filter((f) => f.skipped === undefined && f.context === true).length,
    skipped: figures.filter((f) => f.skipped !== undefined).length,
    withoutFigures: results.filter((r) => r.status === 'no-figures').length,
    crashed: results.filter((r) => r.status === 'crashed').length,
  };
}

/**
 * The process exit code: 1 when a module crashed; in a full run, 2 when a judged target was not
 * met; otherwise 0. A `--quick` run never fails on a figure (its sizes are too small to judge).
 */
export function exitCode(results: readonly ModuleResult[], quick: boolean): number {
  const s = summarize(results);
  if (s.crashed > 0) return 1;
  return !quick && s.missed > 0 ? 2 : 0;
}

/** A number in as many decimals as its size needs: 123,456 · 12.3 · 1.234 · 0.0123; an integer as one. */
export function short(n: number): string {
  if (!Number.isFinite(n)) return '—';
  const a = Math.abs(n);
  if (Number.isInteger(n)) return fmt(n, 0);
  return fmt(n, a >= 1000 ? 0 : a >= 10 ? 1 : a >= 0.1 ? 3 : 4);
}

const HEADER = ['target', 'figure', 'value', 'baseline', 'ratio', 'goal', 'result'] as const;
type Row = readonly [string, string, string, string, string, string, string];

function figureRow(f: TargetFigure): Row {
  if (f.skipped !== undefined) return [String(f.target), f.name, '—', '—', '—', f.goal, `skipped: ${f.skipped}`];
  const base = f.baseline ? `${f.baseline.name}: ${short(f.baseline.value)} ${f.baseline.unit}` : '—';
  const ratio = f.ratio === undefined ? '—' : `${short(f.ratio)}×`;
  return [String(f.target), f.name, `${short(f.value)} ${f.unit}`.trim(), base, ratio, f.goal, verdict(f)];
}

function moduleRows(r: ModuleResult): Row[] {
  if (r.status === 'crashed') return [[String(r.target), `bench/${r.module}.ts`, '—', '—', '—', '—', `CRASHED${r.error ? `: ${r.error}` : ''}`]];
  if (r.status === 'no-figures') return [[String(r.target), `bench/${r.module}.ts`, '—', '—', '—', '—', '(module did not return figures)']];
  if (r.figures.length === 0) return [[String(r.target), `bench/${r.module}.ts`, '—', '—', '—', '—', '(no figures)']];
  return r.figures.map(figureRow);
}

/** Rows by target, then in each module's own order. */
function rows(results: readonly ModuleResult[]): Row[] {
  return [...results].sort((a, b) => a.target - b.target).flatMap(moduleRows);
}

function plain(all: readonly Row[]): string {
  const table: readonly (readonly string[])[] = [HEADER, ...all];
  const widths = HEADER.map((_, c) => Math.max(...table.map((row) => (row[c] ?? '').length)));
  const line = (row: readonly string[]): string => row.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  ').trimEnd();
  return [line(HEADER), widths.map((w) => '-'.repeat(w)).join('  '), ...all.map(line)].join('\n');
}

function markdown(all: readonly Row[]): string {
  const cell = (s: string): string => s.replaceAll('|', '\\|');
  const line = (row: readonly string[]): string => `| ${row.map(cell).join(' | ')} |`;
  return [line(HEADER), `|${HEADER.map(() => '---').join('|')}|`, ...all.map(line)].join('\n');
}

/** The table of every figure, plain text or Markdown, then a line of counts. */
export function formatTable(results: readonly ModuleResult[], options: { readonly markdown: boolean }): string {
  const all = rows(results);
  const s = summarize(results);
  const counts =
    `${s.met} met, ${s.missed} NOT met, ${s.context} context, ${s.skipped} skipped` +
    (s.withoutFigures > 0 ? `, ${s.withoutFigures} module(s) without figures` : '') +
    (s.crashed > 0 ? `, ${s.crashed} module(s) CRASHED` : '');
  return `${options.markdown ? markdown(all) : plain(all)}\n\n${counts}`;
}

/** What `--json <file>` writes: enough to fill BENCHMARKS.md without re-running. */
export interface BenchResults {
  readonly startedAt: string;
  readonly node: string;
  readonly quick: boolean;
  readonly seconds: number;
  readonly summary: Summary;
  readonly modules: readonly ModuleResult[];
}

/** JSON of the results; a number that is not finite (a skipped figure's value) is written as null. */
export function resultsJson(results: Omit<BenchResults, 'summary'>): string {
  const withSummary: BenchResults = { ...results, summary: summarize(results.modules) };
  return JSON.stringify(withSummary, (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? null : value), 2);
}

/** Reads figures back from JSON, where a non-finite number was written as null. */
export function figuresFromJson(text: string): TargetFigure[] | undefined {
  const parsed = JSON.parse(text) as { figures?: unknown };
  if (!Array.isArray(parsed.figures)) return undefined;
  type Written = Omit<TargetFigure, 'value' | 'ratio'> & { readonly value: number | null; readonly ratio?: number | null };
  return parsed.figures.map(({ value, ratio, ...rest }: Written) => ({ ...rest, value: value ?? Number.NaN, ...(ratio === undefined ? {} : { ratio: ratio ?? Number.NaN }) }));
}
