import type { Customer } from '../schema/customer';
import type { LoyaltyEvent } from '../schema/events';
import type { Transaction } from '../ledger/types';
import { PeriodFinder } from './periods';
import { addCustomer, addEvent, addFlow, addTransaction, settingsOf, type Settings } from './ingest';
import { buildReport } from './report';
import { mergeStates, type MetricsState } from './state';
import type { Accumulator, MetricsInput, MetricsOptions, MetricsReport, PointsFlow } from './types';

/**
 * The metrics accumulator: the generic {@link Accumulator} shape plus one typed `add…` per kind
 * of input, which skip the dispatch on `kind`.
 *
 * @example
 * ```ts
 * const acc = metricsAccumulator({ timeZone: 'Europe/Paris', period: 'month', currency: 'EUR' });
 * const state = acc.empty();
 * for (const tx of transactions) acc.addTransaction(state, tx);
 * const report = acc.result(state);
 * ```
 */
export interface MetricsAccumulator extends Accumulator<MetricsState, MetricsInput, MetricsReport> {
  readonly options: MetricsOptions;
  addEvent(state: MetricsState, event: LoyaltyEvent): MetricsState;
  addTransaction(state: MetricsState, transaction: Transaction): MetricsState;
  /** A profile; `member` false for a known customer who is not enrolled (default true). */
  addCustomer(state: MetricsState, customer: Customer, member?: boolean): MetricsState;
  /** The hot path: a points movement already in integer steps. */
  addFlow(state: MetricsState, flow: PointsFlow): MetricsState;
}

function addItem(state: MetricsState, settings: Settings, item: MetricsInput): void {
  switch (item.kind) {
    case 'points':
      addFlow(state, item);
      return;
    case 'event':
      addEvent(state, settings, item.event);
      return;
    case 'transaction':
      addTransaction(state, settings, item.transaction);
      return;
    case 'customer':
      addCustomer(state, settings, item.customer, item.member ?? true);
      return;
  }
}

/**
 * Makes the mergeable accumulator of every SPEC §11 metric, per period (in `timeZone`) and per
 * segment. States are owned and mutable: `add…` and `merge(a, b)` change and return their first
 * argument; after `merge(a, b)`, `b` is empty. States merged together must come from
 * accumulators with the same options.
 *
 * @throws LoyaltyError `invalid_time_zone`, `unknown_currency`, `invalid_places` on bad options;
 * `currency_mismatch`, `too_many_decimals`, `invalid_amount`, `invalid_points` on bad input
 * @example
 * ```ts
 * const acc = metricsAccumulator({ timeZone: 'UTC', period: 'month', currency: 'USD' });
 * const [a, b] = [acc.empty(), acc.empty()];
 * acc.addEvent(a, purchase1);
 * acc.addEvent(b, purchase2);
 * const report = acc.result(acc.merge(a, b)); // the same as adding both to one state
 * ```
 */
export function metricsAccumulator(options: MetricsOptions): MetricsAccumulator {
  const settings = settingsOf(options);
  new PeriodFinder(options.period, options.timeZone); // validates the zone now, not on the first item
  return {
    options,
    empty: () => ({ customers: new Map(), finder: new PeriodFinder(options.period, options.timeZone) }),
    add: (state, item) => (addItem(state, settings, item), state),
    addEvent: (state, event) => (addEvent(state, settings, event), state),
    addTransaction: (state, tx) => (addTransaction(state, settings, tx), state),
    addCustomer: (state, customer, member = true) => (addCustomer(state, settings, customer, member), state),
    addFlow: (state, flow) => (addFlow(state, flow), state),
    merge: mergeStates,
    result: (state) => buildReport(state, settings),
  };
}

function isAsync<T>(items: Iterable<T> | AsyncIterable<T>): items is AsyncIterable<T> {
  return typeof (items as Partial<AsyncIterable<T>>)[Symbol.asyncIterator] === 'function';
}

/**
 * Computes the metrics report of a stream of items (sync or async iterable) in one pass, in
 * memory that grows with customers and periods, not with items.
 *
 * @example
 * ```ts
 * const report = await computeMetrics(readItems(), { timeZone: 'America/New_York', period: 'quarter', currency: 'USD' });
 * console.log(report.totals.orders.aov);
 * ```
 */
export async function computeMetrics(items: Iterable<MetricsInput> | AsyncIterable<MetricsInput>, options: MetricsOptions): Promise<MetricsReport> {
  if (!isAsync(items)) return computeMetricsSync(items, options);
  const acc = metricsAccumulator(options);
  const state = acc.empty();
  for await (const item of items) acc.add(state, item);
  return acc.result(state);
}

/**
 * {@link computeMetrics} for a synchronous iterable, returning the report directly.
 *
 * @example
 * ```ts
 * const report = computeMetricsSync(items, { timeZone: 'UTC', period: 'month', currency: 'USD' });
 * ```
 */
export function computeMetricsSync(items: Iterable<MetricsInput>, options: MetricsOptions): MetricsReport {
  const acc = metricsAccumulator(options);
  const state = acc.empty();
  for (const item of items) acc.add(state, item);
  return acc.result(state);
}
