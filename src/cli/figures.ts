// From a backtest to what is shown: the terminal tables, the `--json` document and the report's
// data. Every figure stays a decimal string; percentages are the metrics' own (already × 100).
import type { MetricsRow } from '../metrics';
import { Decimal } from '../money/decimal';
import type { Comparison } from '../simulate';
import type { Backtest } from './backtest';
import type { ComparisonFigures, CustomerDifference, MonthFigures, ProgramFigures, TierChange } from './report/data';
import { groupDigits } from './table';

const TOP = 10;

const money = (d: Decimal | string, currency: string): string => `${groupDigits(new Decimal(d).toFixed(2))} ${currency}`;
/** "12.5000" → "12.5%": trailing decimal zeros dropped from the text, never through a float. */
const percent = (value: string | null): string => (value === null ? '—' : `${value.includes('.') ? value.replace(/0+$/, '').replace(/\.$/, '') : value}%`);
const optional = (value: string | null): string => (value === null ? '—' : groupDigits(value));

/** "A: beauty v1". */
export const labelOf = (b: Backtest, prefix?: string): string => `${prefix === undefined ? '' : `${prefix}: `}${b.program.id} v${b.program.version}`;

/** The headline metrics of a backtest, as label/value rows (the terminal table and the report's summary). */
export function summaryRows(b: Backtest): [string, string][] {
  const { result } = b;
  const t: MetricsRow = b.metrics.totals;
  const { currency } = b.program.config;
  const refused = Object.entries(result.run.refused).map(([code, n]) => `${code} ${n}`).join(', ');
  const rows: [string, string][] = [
    ['events', groupDigits(String(result.run.events))],
    ['refused', refused === '' ? '0' : refused],
    ['customers', groupDigits(String(result.customers.length))],
    ['orders', groupDigits(String(t.orders.count))],
    ['revenue', money(t.orders.revenue, currency)],
    ['average order value', t.orders.aov === null ? '—' : money(t.orders.aov, currency)],
    ['purchase frequency', optional(t.orders.frequency)],
    [`issued (${result.totals.unit})`, groupDigits(result.totals.issued.toString())],
    ['redeemed', groupDigits(result.totals.redeemed.toString())],
    ['expired', groupDigits(result.totals.expired.toString())],
    ['clawed back', groupDigits(result.totals.clawedBack.toString())],
    ['outstanding', groupDigits(result.totals.outstanding.toString())],
    ['redemption rate', percent(t.points.redemptionRate)],
    ['breakage rate', percent(t.points.breakageRate)],
    ['liability', money(result.totals.liability, currency)],
  ];
  for (const [tier, n] of Object.entries(result.tierMix ?? {})) rows.push([`tier ${tier}`, groupDigits(String(n))]);
  return rows;
}

type Period = Backtest['metrics']['periods'][number];

/** A month with nothing in it: no orders and no points moving (customers enrolled years before the history make many). */
const quiet = (p: Period): boolean =>
  p.all.orders.count === 0 && [p.all.points.issued, p.all.points.redeemed, p.all.points.expired, p.all.points.clawedBack].every((v) => new Decimal(v).isZero());

/** The periods from the first month with activity to the last. */
function activePeriods(b: Backtest): Period[] {
  const periods = b.metrics.periods;
  const first = periods.findIndex((p) => !quiet(p));
  if (first < 0) return [];
  let last = periods.length - 1;
  while (last > first && quiet(periods[last] as Period)) last -= 1;
  return periods.slice(first, last + 1);
}

/** Month by month: issued, redeemed, expired, and the liability at the month's end. */
export function monthsOf(b: Backtest): MonthFigures[] {
  return activePeriods(b).map((p) => ({
    month: p.label,
    issued: p.all.points.issued,
    redeemed: p.all.points.redeemed,
    expired: p.all.points.expired,
    liability: p.all.liability === null ? p.all.points.outstanding : new Decimal(p.all.liability.gross).toFixed(2),
  }));
}

/** A backtest as the report's data for one program. */
export function programFigures(b: Backtest, prefix?: string): ProgramFigures {
  return {
    label: labelOf(b, prefix),
    months: monthsOf(b),
    tierMix: Object.entries(b.result.tierMix ?? {}).map(([tier, customers]) => ({ tier, customers })),
    liabilityUnit: b.metrics.periods.some((p) => p.all.liability !== null) ? b.program.config.currency : 'points',
    summary: summaryRows(b),
  };
}

/** A vs B for the report and the terminal: the top gainers and losers by end balance, tier changes, liability. */
export function comparisonFigures(c: Comparison, top = TOP): ComparisonFigures {
  const heldA = new Map(c.a.customers.map((x) => [x.customerId, x.balance.available.plus(x.balance.pending).plus(x.balance.held)]));
  const row = (d: Comparison['customers'][number]): CustomerDifference => {
    const a = heldA.get(d.customerId);
    return { customerId: d.customerId, a: a?.toString() ?? '0', b: (a === undefined ? d.balance : a.plus(d.balance)).toString(), difference: d.balance.toString() };
  };
  const sorted = [...c.customers].sort((x, y) => y.balance.comparedTo(x.balance) || (x.customerId < y.customerId ? -1 : 1));
  const gainers = sorted.filter((d) => d.balance.gt(0)).slice(0, top).map(row);
  const losers = sorted.filter((d) => d.balance.lt(0)).reverse().slice(0, top).map(row);
  const moves = new Map<string, number>();
  for (const d of c.customers) if (d.tierA !== d.tierB) moves.set(`${d.tierA ?? '—'}\u0000${d.tierB ?? '—'}`, (moves.get(`${d.tierA ?? '—'}\u0000${d.tierB ?? '—'}`) ?? 0) + 1);
  const tierChanges: TierChange[] = [...moves].map(([key, customers]) => {
    const [from = '', to = ''] = key.split('\u0000');
    return { from, to, customers };
  }).sort((x, y) => y.customers - x.customers);
  return { gainers, losers, tierChanges, liabilityDifference: c.liability.toFixed(2) };
}
