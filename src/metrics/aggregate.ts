import { F, FIELDS, sumOf, type Cell, type CustomerRecord, type MetricsState } from './state';
import { periodsBetween } from './periods';
import { UNSEGMENTED, type MetricsPeriod } from './types';

// From the per-customer records to per-row totals (a row: one period or the whole input, for
// all customers or one segment). Runs once, in `result`, over customers × their cells: the
// place where distinct counts, churn and lifespans are decided, because only here is every
// customer's whole history (and segment) known.

/** The exact totals behind one report row. */
export class Agg {
  readonly sums: bigint[] = new Array<bigint>(FIELDS).fill(0n);
  /** Customers with an order in the row. */
  active = 0;
  /** Σ over the row's periods of its active customers (= active for one period). */
  customerPeriods = 0;
  /** Σ of the active customers' first-to-last spans, in periods. */
  spanSum = 0;
  memberActive = 0;
  memberOrders = 0n;
  memberRevenue = 0n;
  /** Customers first seen in (then, after the prefix sum, by the end of) the row. */
  known = 0;
  members = 0;
  churnStart = 0;
  churnNew = 0;
  churnLost = 0;
  valueAtStart = 0n;
  valueLost = 0n;
  /** Outstanding points at the row's end (cumulative). */
  outstanding = 0n;

  addSums(cell: Cell): void {
    for (let i = 0; i < FIELDS; i++) this.sums[i] = (this.sums[i] ?? 0n) + sumOf(cell, i);
  }

  addAgg(other: Agg): void {
    for (let i = 0; i < FIELDS; i++) this.sums[i] = (this.sums[i] ?? 0n) + (other.sums[i] ?? 0n);
    this.active += other.active;
    this.customerPeriods += other.customerPeriods;
    this.spanSum += other.spanSum;
    this.memberActive += other.memberActive;
    this.memberOrders += other.memberOrders;
    this.memberRevenue += other.memberRevenue;
    this.known += other.known;
    this.members += other.members;
    this.churnStart += other.churnStart;
    this.churnNew += other.churnNew;
    this.churnLost += other.churnLost;
    this.valueAtStart += other.valueAtStart;
    this.valueLost += other.valueLost;
  }

  sum(field: number): bigint {
    return this.sums[field] ?? 0n;
  }
}

/** Net points still with customers: issued less everything that went to another system account. */
export function netOutstanding(agg: Agg): bigint {
  return agg.sum(F.issued) - agg.sum(F.redeemed) - agg.sum(F.expired) - agg.sum(F.clawedBack) - agg.sum(F.adjusted);
}

/** The aggregates of a state: per segment, per period (and the whole input). */
export interface Aggregates {
  readonly periods: readonly { readonly start: number; readonly end: number }[];
  /** Per segment label: one Agg per period, and the whole-input Agg. */
  readonly segments: Map<string, { readonly perPeriod: Agg[]; readonly total: Agg }>;
}

interface Timeline {
  readonly periods: { start: number; end: number }[];
  readonly ordinal: Map<number, number>;
  readonly keyOf: (t: number) => number;
}

function timeline(state: MetricsState, period: MetricsPeriod, zone: string): Timeline {
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  const keyOf = (t: number): number => state.finder.keyOf(t);
  const see = (t: number): void => {
    if (!Number.isFinite(t)) return;
    const k = keyOf(t);
    if (k < first) first = k;
    if (k > last) last = k;
  };
  for (const r of state.customers.values()) {
    see(r.firstSeen);
    see(r.enrolledAt);
    for (const k of r.cells.keys()) see(k);
  }
  for (const k of state.programCells.keys()) see(k);
  const periods = first <= last ? periodsBetween(first, last, period, zone) : [];
  return { periods, ordinal: new Map(periods.map((p, i) => [p.start, i])), keyOf };
}

function slotsFor(aggs: Aggregates, label: string, n: number): { perPeriod: Agg[]; total: Agg } {
  let slot = aggs.segments.get(label);
  if (slot === undefined) {
    slot = { perPeriod: Array.from({ length: n }, () => new Agg()), total: new Agg() };
    aggs.segments.set(label, slot);
  }
  return slot;
}

function ordinalOf(line: Timeline, t: number): number {
  return line.ordinal.get(line.keyOf(t)) ?? 0;
}

/** Adds one customer's record to its segment's aggregates. */
function addCustomer(record: CustomerRecord, line: Timeline, slot: { perPeriod: Agg[]; total: Agg }): void {
  const { perPeriod, total } = slot;
  const n = line.periods.length;
  if (Number.isFinite(record.firstSeen)) {
    perPeriod[ordinalOf(line, record.firstSeen)]!.known++;
    total.known++;
  }
  if (record.member === true && Number.isFinite(record.enrolledAt)) {
    perPeriod[ordinalOf(line, record.enrolledAt)]!.members++;
    total.members++;
  }
  const span = Number.isFinite(record.firstPurchase) ? ordinalOf(line, record.lastPurchase) - ordinalOf(line, record.firstPurchase) + 1 : 0;
  const revenueIn = new Map<number, bigint>();
  for (const [key, cell] of record.cells) {
    const i = line.ordinal.get(key) ?? 0;
    const agg = perPeriod[i]!;
    agg.addSums(cell);
    total.addSums(cell);
    const orders = sumOf(cell, F.orders);
    if (orders <= 0n) continue;
    const revenue = sumOf(cell, F.revenue);
    revenueIn.set(i, revenue);
    agg.active++;
    agg.customerPeriods++;
    agg.spanSum += span;
    if (record.member === true && record.enrolledAt < (line.periods[i]?.end ?? 0)) {
      agg.memberActive++;
      agg.memberOrders += orders;
      agg.memberRevenue += revenue;
    }
  }
  if (revenueIn.size === 0) return;
  total.active++;
  total.customerPeriods += revenueIn.size;
  total.spanSum += span;
  if (record.member === true) {
    total.memberActive++;
    total.memberOrders += sumOrders(record);
    total.memberRevenue += sumRevenue(record);
  }
  addChurn(revenueIn, perPeriod, n);
}

function sumOrders(record: CustomerRecord): bigint {
  let s = 0n;
  for (const cell of record.cells.values()) s += sumOf(cell, F.orders);
  return s;
}

function sumRevenue(record: CustomerRecord): bigint {
  let s = 0n;
  for (const cell of record.cells.values()) s += sumOf(cell, F.revenue);
  return s;
}

/**
 * One customer's part of each period's churn: active in i and i+1 is retained; active in i
 * and not in i+1 is lost in i+1, with i's revenue as the recurring value lost; active in i and
 * not in i−1 is new in i.
 */
function addChurn(revenueIn: Map<number, bigint>, perPeriod: Agg[], n: number): void {
  for (const [i, revenue] of revenueIn) {
    if (!revenueIn.has(i - 1)) perPeriod[i]!.churnNew++;
    if (i + 1 >= n) continue;
    const next = perPeriod[i + 1]!;
    next.churnStart++;
    next.valueAtStart += revenue;
    if (!revenueIn.has(i + 1)) {
      next.churnLost++;
      next.valueLost += revenue;
    }
  }
}

/** Running figures: known customers and members by each period's end, outstanding points. */
function cumulate(perPeriod: Agg[], total: Agg): void {
  let known = 0;
  let members = 0;
  let outstanding = 0n;
  for (const agg of perPeriod) {
    known += agg.known;
    members += agg.members;
    outstanding += netOutstanding(agg);
    agg.known = known;
    agg.members = members;
    agg.outstanding = outstanding;
    total.churnStart += agg.churnStart;
    total.churnNew += agg.churnNew;
    total.churnLost += agg.churnLost;
    total.valueAtStart += agg.valueAtStart;
    total.valueLost += agg.valueLost;
  }
  total.outstanding = netOutstanding(total);
}

/** The aggregates of a state, per segment and period; the caller sums segments into "all". */
export function aggregate(state: MetricsState, period: MetricsPeriod, zone: string): Aggregates {
  const line = timeline(state, period, zone);
  const aggs: Aggregates = { periods: line.periods, segments: new Map() };
  const n = line.periods.length;
  for (const record of state.customers.values()) {
    addCustomer(record, line, slotsFor(aggs, record.label ?? UNSEGMENTED, n));
  }
  if (state.programCells.size > 0) {
    const slot = slotsFor(aggs, UNSEGMENTED, n);
    for (const [key, cell] of state.programCells) {
      slot.perPeriod[line.ordinal.get(key) ?? 0]!.addSums(cell);
      slot.total.addSums(cell);
    }
  }
  for (const slot of aggs.segments.values()) cumulate(slot.perPeriod, slot.total);
  return aggs;
}

/** Sums every segment's aggregates into the "all customers" ones. */
export function allSegments(aggs: Aggregates): { perPeriod: Agg[]; total: Agg } {
  const perPeriod = aggs.periods.map(() => new Agg());
  const total = new Agg();
  for (const slot of aggs.segments.values()) {
    slot.perPeriod.forEach((agg, i) => {
      perPeriod[i]!.addAgg(agg);
      perPeriod[i]!.outstanding += agg.outstanding;
    });
    total.addAgg(slot.total);
    total.outstanding += slot.total.outstanding;
  }
  return { perPeriod, total };
}
