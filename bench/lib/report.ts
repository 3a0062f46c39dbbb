/*
 * The contract every bench module follows, so `npm run bench` can print one table of every
 * PERFORMANCE.md target. A module exports `run(options): Promise<TargetFigure[]>`: it prints its
 * own detail as it goes, and returns one figure per judged measurement (a target may return
 * several, e.g. target 3 one per operation).
 */

/** What `npm run bench` passes to every module. */
export interface BenchOptions {
  /** `--quick`: small sizes, a few passes; finishes in CI time. Figures are reported, never judged as failures. */
  readonly quick: boolean;
}

/** One measured figure, its baseline from the same run, and whether its target holds. */
export interface TargetFigure {
  /** The PERFORMANCE.md target number, 1–8. */
  readonly target: number;
  /** What was measured, e.g. "evaluate, 5-line purchase, 20 rules". */
  readonly name: string;
  /** The figure itself, e.g. 6.4. */
  readonly value: number;
  /** Its unit, e.g. "µs/event", "events/s", "MiB". */
  readonly unit: string;
  /** The baseline measured in the same run, when the target is a ratio. */
  readonly baseline?: { readonly name: string; readonly value: number; readonly unit: string };
  /** The ratio the target judges (figure / baseline, or as the target defines it). */
  readonly ratio?: number;
  /** The goal in words, e.g. "≤ 5× the baseline and ≥ 150,000 events/s". */
  readonly goal: string;
  /** Whether the goal holds in this run. */
  readonly holds: boolean;
  /** Anything the reader needs: noise, what was interleaved, why a figure is context only. */
  readonly note?: string;
  /** A figure shown for context: printed with its goal, never counted as a missed target. */
  readonly context?: boolean;
  /** Why the measurement could not run here (e.g. "no postgresql binaries"): shown, never counted as missed. */
  readonly skipped?: string;
}

/** The signature of a bench module's entry point. */
export type BenchRun = (options: BenchOptions) => Promise<TargetFigure[]>;

/** The median of some samples (NaN for none). */
export function median(samples: readonly number[]): number {
  const s = [...samples].sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/**
 * Times two bodies interleaved: each pass runs `a` then `b` (order swapped every pass) over `n`
 * iterations, so machine noise hits both alike. Returns the median µs per iteration of each.
 */
export function timePair(n: number, a: (i: number) => void, b: (i: number) => void, passes = 7): { a: number; b: number } {
  const warm = Math.min(n, 2000);
  for (let i = 0; i < warm; i++) {
    a(i);
    b(i);
  }
  const as: number[] = [];
  const bs: number[] = [];
  const once = (body: (i: number) => void): number => {
    const start = performance.now();
    for (let i = 0; i < n; i++) body(i);
    return ((performance.now() - start) * 1000) / n;
  };
  for (let p = 0; p < passes; p++) {
    if (p % 2 === 0) {
      as.push(once(a));
      bs.push(once(b));
    } else {
      bs.push(once(b));
      as.push(once(a));
    }
  }
  return { a: median(as), b: median(bs) };
}

/** Times one body: median µs per iteration over `passes` passes of `n` iterations, after a warm-up. */
export function timeOne(n: number, body: (i: number) => void, passes = 5): number {
  for (let i = 0; i < Math.min(n, 2000); i++) body(i);
  const samples: number[] = [];
  for (let p = 0; p < passes; p++) {
    const start = performance.now();
    for (let i = 0; i < n; i++) body(i);
    samples.push(((performance.now() - start) * 1000) / n);
  }
  return median(samples);
}

/** Formats a number with thousands separators and `digits` decimals. */
export function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/** One line of a figure, as every module prints it. */
export function describe(f: TargetFigure): string {
  if (f.skipped !== undefined) return `  [target ${f.target}] ${f.name}: skipped: ${f.skipped}`;
  const base = f.baseline ? ` vs ${f.baseline.name} ${fmt(f.baseline.value, 3)} ${f.baseline.unit}` : '';
  const ratio = f.ratio === undefined ? '' : `, ratio ${fmt(f.ratio, 2)}×`;
  return `  [target ${f.target}] ${f.name}: ${fmt(f.value, 3)} ${f.unit}${base}${ratio}; goal ${f.goal}: ${verdict(f)}${f.note ? ` (${f.note})` : ''}`;
}

/** A figure for a measurement that could not run on this machine, saying why. */
export function skippedFigure(target: number, name: string, goal: string, reason: string): TargetFigure {
  return { target, name, value: Number.NaN, unit: '', goal, holds: false, skipped: reason };
}

/** The verdict column of a figure: "met", "NOT met", "skipped", or either of the first two marked as context. */
export function verdict(f: TargetFigure): string {
  if (f.skipped !== undefined) return 'skipped';
  const held = f.holds ? 'met' : 'NOT met';
  return f.context === true ? `${held} (context)` : held;
}
