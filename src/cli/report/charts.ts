// The report's charts, drawn by Observable Plot into linkedom's document on the server: each
// returns the chart's markup (an <svg>, or a <figure> with its legend). Points and amounts are
// turned into numbers here only to place marks; every figure printed as text stays a decimal string.
import type { PlotOptions } from '@observablehq/plot';
import type { ChartModules } from './load';
import type { ComparisonFigures, ProgramFigures } from './data';

/** The DOM document Plot draws into (linkedom's; the library is compiled without the DOM types). */
type PlotDocument = NonNullable<PlotOptions['document']>;

/** A drawn chart: a heading, its markup and the id the report and tests find it by. */
export interface Chart {
  readonly id: string;
  readonly title: string;
  readonly markup: string;
}

const WIDTH = 880;
const monthDate = (month: string): Date => new Date(`${month}-01T00:00:00Z`);
const drawn = (node: { outerHTML: string }): string => node.outerHTML;

function pointsPerMonth({ Plot }: ChartModules, document: PlotDocument, programs: readonly ProgramFigures[]): Chart {
  const rows = programs.flatMap((p) =>
    p.months.flatMap((m) => (['issued', 'redeemed', 'expired'] as const).map((flow) => ({ program: p.label, month: m.month, flow, points: Number(m[flow]) }))),
  );
  const plot = Plot.plot({
    document,
    width: WIDTH,
    marginBottom: 40,
    // Room for the facet labels ("A: beauty v1") on the right.
    marginRight: programs.length > 1 ? 110 : 20,
    color: { legend: true, domain: ['issued', 'redeemed', 'expired'] },
    ...(programs.length > 1 ? { fy: { label: null } } : {}),
    fx: { label: null, tickRotate: -30 },
    x: { axis: null, domain: ['issued', 'redeemed', 'expired'] },
    y: { grid: true, label: 'points' },
    marks: [
      Plot.barY(rows, { fx: 'month', x: 'flow', y: 'points', fill: 'flow', ...(programs.length > 1 ? { fy: 'program' } : {}), tip: true }),
      Plot.ruleY([0]),
    ],
  });
  return { id: 'points-per-month', title: 'Points issued, redeemed and expired per month', markup: drawn(plot) };
}

function liabilityOverTime({ Plot }: ChartModules, document: PlotDocument, programs: readonly ProgramFigures[]): Chart {
  const rows = programs.flatMap((p) => p.months.map((m) => ({ program: p.label, date: monthDate(m.month), liability: Number(m.liability) })));
  const unit = programs[0]?.liabilityUnit ?? 'points';
  const plot = Plot.plot({
    document,
    width: WIDTH,
    color: { legend: programs.length > 1 },
    y: { grid: true, label: `liability (${unit})` },
    x: { label: null },
    marks: [
      Plot.lineY(rows, { x: 'date', y: 'liability', stroke: 'program', marker: 'circle' }),
      Plot.ruleY([0]),
    ],
  });
  return { id: 'liability', title: 'Outstanding liability at each month end', markup: drawn(plot) };
}

function tierMix({ Plot }: ChartModules, document: PlotDocument, programs: readonly ProgramFigures[]): Chart | undefined {
  const rows = programs.flatMap((p) => p.tierMix.map((t) => ({ program: p.label, tier: t.tier, customers: t.customers })));
  if (rows.length === 0) return undefined;
  const plot = Plot.plot({
    document,
    width: WIDTH,
    marginLeft: 120,
    color: { legend: programs.length > 1 },
    fy: { label: null, domain: [...new Set(rows.map((r) => r.tier))] },
    y: { axis: programs.length > 1 ? null : 'left', label: null },
    x: { grid: true, label: 'customers' },
    marks: [Plot.barX(rows, { fy: 'tier', y: 'program', x: 'customers', fill: 'program', tip: true }), Plot.ruleX([0])],
  });
  return { id: 'tier-mix', title: 'Tier mix at the end of the history', markup: drawn(plot) };
}

function customerDifferences({ Plot }: ChartModules, document: PlotDocument, comparison: ComparisonFigures): Chart | undefined {
  const rows = [...comparison.gainers, ...comparison.losers].map((d) => ({ customer: d.customerId, difference: Number(d.difference) }));
  if (rows.length === 0) return undefined;
  const plot = Plot.plot({
    document,
    width: WIDTH,
    marginLeft: 120,
    color: { type: 'categorical', domain: ['gains under B', 'loses under B'], range: ['#3ca951', '#ff725c'], legend: true },
    y: { label: null },
    x: { grid: true, label: 'B − A' },
    marks: [
      Plot.barX(rows, { y: 'customer', x: 'difference', fill: (r: { difference: number }) => (r.difference >= 0 ? 'gains under B' : 'loses under B'), sort: { y: 'x', reverse: true } }),
      Plot.ruleX([0]),
    ],
  });
  return { id: 'customer-differences', title: 'Top gainers and losers, B vs A', markup: drawn(plot) };
}

/** Every chart the data has something for, in report order. */
export function drawCharts(modules: ChartModules, programs: readonly ProgramFigures[], comparison: ComparisonFigures | undefined): Chart[] {
  const { document } = modules.parseHTML('<!doctype html><html><body></body></html>');
  const doc = document as unknown as PlotDocument;
  const charts = [pointsPerMonth(modules, doc, programs), liabilityOverTime(modules, doc, programs), tierMix(modules, doc, programs)];
  if (comparison !== undefined) charts.push(customerDifferences(modules, doc, comparison));
  return charts.filter((c): c is Chart => c !== undefined);
}
