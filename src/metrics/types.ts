import type { DecimalInput } from '../schema/primitives';
import type { Customer } from '../schema/customer';
import type { LoyaltyEvent } from '../schema/events';
import type { Transaction, Unit } from '../ledger/types';

/** The calendar periods a report breaks down by, in the report's IANA zone (weeks are ISO weeks, Monday first). */
export type MetricsPeriod = 'day' | 'week' | 'month' | 'quarter' | 'year';

/**
 * How a customer is put into a segment: the name of one of the profile's `attributes` (its value,
 * as text, is the label), or a function of the profile. Customers without a profile, or without
 * the attribute, fall into {@link UNSEGMENTED}.
 *
 * @example
 * ```ts
 * const byRegion: MetricsSegment = 'region';
 * const byTag: MetricsSegment = (customer) => (customer.tags.includes('vip') ? 'vip' : 'regular');
 * ```
 */
export type MetricsSegment = string | ((customer: Customer) => string);

/**
 * What the metrics are computed with. Only `timeZone`, `period` and `currency` are required.
 *
 * @example
 * ```ts
 * const options: MetricsOptions = {
 *   timeZone: 'America/New_York', period: 'month', currency: 'USD',
 *   segment: 'region', margin: '0.3', valuePerPoint: '0.01',
 * };
 * ```
 */
export interface MetricsOptions {
  /** The IANA zone whose calendar cuts the periods. */
  readonly timeZone: string;
  /** The period of the breakdown. */
  readonly period: MetricsPeriod;
  /** The currency of every amount; an event in another currency is refused (`currency_mismatch`). */
  readonly currency: string;
  /** The ledger unit counted as points (default `'points'`). */
  readonly unit?: Unit;
  /** Decimal places points may have (default 0): points are summed as integers of 10^−pointDecimals. */
  readonly pointDecimals?: number;
  /** Segment breakdown; without it every customer is in {@link UNSEGMENTED}. */
  readonly segment?: MetricsSegment;
  /** Gross margin as a fraction (`'0.3'` for 30 %), for the margin-adjusted CLV; without it that CLV is null. */
  readonly margin?: DecimalInput;
  /** What one point costs the program, in the currency's major units; without it the liability is null. */
  readonly valuePerPoint?: DecimalInput;
  /**
   * Expected breakage in percent (`'20'`), for the liability net of breakage. Default: the
   * breakage rate observed over the whole input.
   */
  readonly expectedBreakage?: DecimalInput;
  /** Count only transactions of this program (default: every transaction given). */
  readonly programId?: string;
  /**
   * Where refunds come from: `'events'` (default; a refund event by `amount` lowers revenue, one
   * by lines cannot be priced from the event alone and is counted in `unpricedRefunds`) or
   * `'transactions'` (the `refund` entries' `net`; refund events are then ignored).
   */
  readonly refundsFrom?: 'events' | 'transactions';
  /** Decimal places of derived figures (averages, rates, CLV; default 4, rounded half-even). Sums are exact. */
  readonly places?: number;
}

/** The system accounts a points flow goes to or comes from. */
export type PointsFlowAccount = 'issued' | 'redeemed' | 'expired' | 'clawed_back' | 'adjusted';

/**
 * The lean input of the hot path: one movement of points, already in integer point steps
 * (10^−pointDecimals of a point). `amount` is signed: for `issued` it is what the program issued
 * to the customer (negative when an issue is taken back); for the other accounts it is what went
 * from the customer to that account (negative when it came back, as a restored redemption).
 *
 * @example
 * ```ts
 * const flow: PointsFlow = { kind: 'points', customerId: 'c1', at: Date.parse('2027-01-31T10:00:00Z'), account: 'issued', amount: 80 };
 * ```
 */
export interface PointsFlow {
  readonly kind: 'points';
  readonly customerId: string;
  /** Epoch milliseconds. */
  readonly at: number;
  readonly account: PointsFlowAccount;
  /** A safe integer of point steps, |amount| ≤ 2^52. */
  readonly amount: number;
}

/**
 * One item the accumulator takes: an event (purchases and refunds count; other types only make
 * the customer known), a ledger transaction (its points postings), a customer profile (its
 * enrolment and segment; `member: false` for a known customer who is not enrolled), or a
 * pre-digested {@link PointsFlow}.
 *
 * @example
 * ```ts
 * const items: MetricsInput[] = [
 *   { kind: 'customer', customer },
 *   { kind: 'event', event },
 *   { kind: 'transaction', transaction },
 * ];
 * ```
 */
export type MetricsInput =
  | { readonly kind: 'event'; readonly event: LoyaltyEvent }
  | { readonly kind: 'transaction'; readonly transaction: Transaction }
  | { readonly kind: 'customer'; readonly customer: Customer; readonly member?: boolean }
  | PointsFlow;

/**
 * One side of the members vs non-members comparison (program lift).
 *
 * @example
 * ```ts
 * report.totals.lift.members.aov; // '40'
 * ```
 */
export interface LiftSide {
  /** Customers of this side with at least one order. */
  readonly customers: number;
  readonly orders: number;
  readonly revenue: string;
  readonly aov: string | null;
  readonly frequency: string | null;
}

/**
 * The metrics of one row: the whole input, one period, one segment, or one segment in one
 * period. Decimals are strings (exact sums; derived figures rounded to `places`); a figure that
 * would divide by zero is null. Rates are percentages. Lifespans are counted in periods.
 *
 * @example
 * ```ts
 * const row: MetricsRow = report.totals;
 * console.log(row.orders.aov, row.points.redemptionRate, row.churn.retentionRate);
 * ```
 */
export interface MetricsRow {
  readonly customers: {
    /** Customers known by the row's end: seen in a profile or an event at or before it (ledger items alone do not count). */
    readonly known: number;
    /** Of those, enrolled members (enrolled before the row's end). */
    readonly members: number;
    /** members / known × 100. */
    readonly adoptionRate: string | null;
    /** Customers with at least one order in the row. */
    readonly active: number;
  };
  readonly orders: {
    readonly count: number;
    /** Net merchandise revenue (lines after discounts; no shipping, no tax), minus refunds. */
    readonly revenue: string;
    /** revenue / count. */
    readonly aov: string | null;
    /** count / active customers. */
    readonly frequency: string | null;
    /** aov × frequency (= revenue / active customers). */
    readonly customerValue: string | null;
    /** revenue / customer-periods of activity: the customer value of one period, what CLV multiplies. */
    readonly valuePerPeriod: string | null;
  };
  readonly lifespan: {
    /** Mean, over the row's active customers, of the periods from first to last purchase, both counted. */
    readonly span: string | null;
    /** 1 / churn rate (100 / lostRate) periods. */
    readonly churn: string | null;
  };
  readonly clv: {
    /** valuePerPeriod × lifespan.span. */
    readonly span: string | null;
    /** valuePerPeriod × lifespan.churn. */
    readonly churn: string | null;
    /** The same × margin (null without `margin`). */
    readonly marginSpan: string | null;
    readonly marginChurn: string | null;
  };
  readonly churn: {
    /** S: customers active in the previous period. */
    readonly start: number;
    /** N: customers active in this period and not in the previous one (first purchases and returns). */
    readonly new: number;
    /** E: customers active in this period. */
    readonly end: number;
    /** Customers lost: active in the previous period and not in this one. */
    readonly lost: number;
    /** lost / start × 100. */
    readonly lostRate: string | null;
    /** Recurring value at start: the previous period's revenue of the customers active then. */
    readonly valueAtStart: string;
    /** Recurring value lost: the previous period's revenue of the customers lost. */
    readonly valueLost: string;
    /** valueLost / valueAtStart × 100. */
    readonly valueLostRate: string | null;
    /** CRR = (end − new) / start × 100. */
    readonly retentionRate: string | null;
  };
  readonly points: {
    readonly issued: string;
    readonly redeemed: string;
    readonly expired: string;
    readonly clawedBack: string;
    /** Net debits by adjustment (credits count negative). */
    readonly adjusted: string;
    /** Points still with customers at the row's end (issued − the rest, cumulative). */
    readonly outstanding: string;
    /** redeemed / issued × 100. */
    readonly redemptionRate: string | null;
    /** expired / issued × 100. */
    readonly breakageRate: string | null;
  };
  /** outstanding × valuePerPoint, gross and net of expected breakage (null without `valuePerPoint`). */
  readonly liability: { readonly gross: string; readonly net: string | null } | null;
  readonly lift: { readonly members: LiftSide; readonly nonMembers: LiftSide };
  /** Refund events by lines that could not be priced (see `refundsFrom`). */
  readonly unpricedRefunds: number;
}

/**
 * The metrics of one period: all customers, and each segment.
 *
 * @example
 * ```ts
 * for (const p of report.periods) console.log(p.label, p.all.orders.revenue);
 * ```
 */
export interface PeriodMetrics {
  /** `2027-01-31` (day, week: its Monday), `2027-01` (month), `2027-Q1`, `2027`. */
  readonly label: string;
  /** The period's first instant (ISO). */
  readonly start: string;
  /** The next period's first instant (ISO): periods are half-open. */
  readonly end: string;
  readonly all: MetricsRow;
  readonly segments: Readonly<Record<string, MetricsRow>>;
}

/**
 * The result of the accumulators: plain JSON (decimals as strings), the same bytes however the
 * input was split and merged.
 *
 * @example
 * ```ts
 * const report = await computeMetrics(items, { timeZone: 'UTC', period: 'month', currency: 'USD' });
 * JSON.stringify(report); // safe: strings, numbers, nulls
 * ```
 */
export interface MetricsReport {
  readonly timeZone: string;
  readonly period: MetricsPeriod;
  readonly currency: string;
  /** The whole input; churn figures are pooled over the period transitions. */
  readonly totals: MetricsRow;
  readonly segments: Readonly<Record<string, MetricsRow>>;
  /** Every period from the first with data to the last, in order (empty ones included). */
  readonly periods: readonly PeriodMetrics[];
}

/**
 * A mergeable accumulator: `empty()` makes a state, `add` folds an item in, `merge` combines two
 * states, `result` reads one. States are owned and mutable, for a fast hot loop: `add(s, x)`
 * and `merge(a, b)` update and return their first argument, and `b` must not be used after a
 * merge. `result` does not change its state. Splitting the input any way, adding the parts to
 * separate states and merging them in any order gives the same `result` as one pass.
 *
 * @example
 * ```ts
 * const acc = metricsAccumulator({ timeZone: 'UTC', period: 'month', currency: 'USD' });
 * const a = acc.empty(), b = acc.empty();
 * acc.add(a, { kind: 'event', event: e1 });
 * acc.add(b, { kind: 'event', event: e2 });
 * acc.result(acc.merge(a, b));
 * ```
 */
export interface Accumulator<S, I, R> {
  /** A new, empty state. */
  empty(): S;
  /** Folds one item into `state` (changed in place) and returns it. */
  add(state: S, item: I): S;
  /** Folds `b` into `a` and returns `a`; `b` is left empty and must not be used again. */
  merge(a: S, b: S): S;
  /** Reads the result of a state, leaving it unchanged (it can take more items after). */
  result(state: S): R;
}

/** The value placed on customers with no segment label. */
export const UNSEGMENTED = '(none)';
