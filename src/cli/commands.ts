// The `simulate` and `compare` commands: load, replay, print (table or JSON), write the report.
import { writeFileSync } from 'node:fs';
import { differences } from '../simulate';
import { runBacktest, type Backtest } from './backtest';
import { CliError, EXIT } from './errors';
import { comparisonFigures, labelOf, monthsOf, programFigures, summaryRows } from './figures';
import { toJson, type Output } from './output';
import { progressBar } from './progress';
import { loadHistory, type History, type HistorySource } from './read/history';
import type { ReportData } from './report/data';
import { renderReport } from './report/html';
import { formatTable, groupDigits } from './table';
import { loadProgram } from './validate';

/** Flags `simulate` and `compare` share. */
export interface BacktestFlags extends HistorySource {
  readonly json: boolean;
  readonly html?: string | undefined;
  readonly workers: number;
}

async function replay(file: string, history: History, flags: BacktestFlags, io: Output, title: string): Promise<Backtest> {
  const program = loadProgram(file);
  const bar = progressBar(io, title, history.events.length);
  try {
    return await runBacktest(file, program, history, { workers: flags.workers, onEvent: (done) => bar.tick(done) });
  } finally {
    bar.stop();
  }
}

function subtitleOf(history: History, events: string): string {
  const first = history.events[0]?.occurredAt.toISOString().slice(0, 10) ?? '';
  const last = history.events.at(-1)?.occurredAt.toISOString().slice(0, 10) ?? '';
  const who = `${groupDigits(String(history.customers.length))} customers${history.customersInferred ? ' (from the events)' : ''}`;
  return `${events}: ${groupDigits(String(history.events.length))} events, ${who}, ${first} to ${last}`;
}

/** The JSON form of one backtest: totals, tier mix, the run, and the metrics by month. */
function backtestJson(b: Backtest): Record<string, unknown> {
  const { result } = b;
  return { program: { id: b.program.id, version: b.program.version, kind: b.program.kind }, totals: result.totals, tierMix: result.tierMix, run: result.run, customers: result.customers.length, metrics: b.metrics };
}

function monthTable(b: Backtest): string {
  const unit = b.metrics.periods.some((p) => p.all.liability !== null) ? b.program.config.currency : 'points';
  return formatTable(
    ['month', 'issued', 'redeemed', 'expired', `liability (${unit})`],
    monthsOf(b).map((m) => [m.month, groupDigits(m.issued), groupDigits(m.redeemed), groupDigits(m.expired), groupDigits(m.liability)]),
  );
}

async function writeReport(file: string, data: ReportData, io: Output): Promise<void> {
  const html = await renderReport(data);
  try {
    writeFileSync(file, html);
  } catch (error) {
    throw new CliError(`${file}: cannot write the report: ${(error as Error).message}`);
  }
  io.err(`report written to ${file}`);
}

/** `simulate --program p.json --events e.ndjson`: the metrics table (or JSON), and the report. */
export async function runSimulate(programFile: string, flags: BacktestFlags, io: Output): Promise<number> {
  const history = loadHistory(flags);
  const b = await replay(programFile, history, flags, io, 'replaying');
  const subtitle = subtitleOf(history, flags.events);
  if (flags.json) io.out(toJson(backtestJson(b)));
  else io.out(`${labelOf(b)} — ${subtitle}\n\n${formatTable(['metric', 'value'], summaryRows(b))}\n\n${monthTable(b)}`);
  if (flags.html !== undefined) await writeReport(flags.html, { title: `Backtest of ${labelOf(b)}`, subtitle, programs: [programFigures(b)] }, io);
  return EXIT.ok;
}

function comparisonTable(a: Backtest, b: Backtest): string {
  const rowsA = summaryRows(a);
  const rowsB = new Map(summaryRows(b));
  const rows = rowsA.map(([label, value]) => [label, value, rowsB.get(label) ?? '—']);
  return formatTable(['metric', labelOf(a, 'A'), labelOf(b, 'B')], rows, ['left', 'right', 'right']);
}

/** `compare a.json b.json --events …`: A vs B, per-customer differences, the liability difference. */
export async function runCompare(fileA: string, fileB: string, flags: BacktestFlags, io: Output): Promise<number> {
  const history = loadHistory(flags);
  const a = await replay(fileA, history, flags, io, 'replaying A');
  const b = await replay(fileB, history, flags, io, 'replaying B');
  const comparison = differences(a.result, b.result);
  const figures = comparisonFigures(comparison);
  const subtitle = subtitleOf(history, flags.events);
  if (flags.json) {
    const { gainers, losers, tierChanges, liability, issued } = comparison;
    io.out(toJson({ a: backtestJson(a), b: backtestJson(b), difference: { liability, issued, gainers, losers, tierChanges }, top: figures }));
  } else io.out(compareText(a, b, figures, subtitle, comparison.customers.length));
  if (flags.html !== undefined) {
    const data: ReportData = { title: `${labelOf(a, 'A')} vs ${labelOf(b, 'B')}`, subtitle, programs: [programFigures(a, 'A'), programFigures(b, 'B')], comparison: figures };
    await writeReport(flags.html, data, io);
  }
  return EXIT.ok;
}

function compareText(a: Backtest, b: Backtest, figures: ReturnType<typeof comparisonFigures>, subtitle: string, differing: number): string {
  const people = (title: string, list: typeof figures.gainers): string =>
    list.length === 0 ? `${title}: none` : `${title}:\n${formatTable(['customer', 'A', 'B', 'B − A'], list.map((d) => [d.customerId, groupDigits(d.a), groupDigits(d.b), groupDigits(d.difference)]))}`;
  const tiers = figures.tierChanges.length === 0 ? 'Tier changes: none' : `Tier changes:\n${formatTable(['under A', 'under B', 'customers'], figures.tierChanges.map((t) => [t.from, t.to, String(t.customers)]))}`;
  return [
    `${labelOf(a, 'A')} vs ${labelOf(b, 'B')} — ${subtitle}`,
    '',
    comparisonTable(a, b),
    '',
    `Liability difference (B − A): ${groupDigits(figures.liabilityDifference)} ${a.program.config.currency}; ${differing} customers differ`,
    '',
    people('Top gainers under B (end balance)', figures.gainers),
    '',
    people('Top losers under B (end balance)', figures.losers),
    '',
    tiers,
  ].join('\n');
}
