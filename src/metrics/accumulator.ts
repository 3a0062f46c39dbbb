import type { Customer } from '../schema/customer';
import type { LoyaltyEvent } from '../schema/events';
import type { Transaction } from '../ledger/types';
import { PeriodFinder } from './periods';
import { addCustomer, addEvent, addFlow, addTransaction, settingsOf, type Settings } from './ingest';
import { buildReport } from './report';
import { emptyState, mergeStates, type MetricsState } from './state';
import { restoreState, snapshotOf, type MetricsSnapshot } from './snapshot';
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
  /** The options the accumulator was made with. */
  readonly options: MetricsOptions;
  /** A parsed event: purchases and refunds count; any event makes its customer known. */
  addEvent(state: MetricsState, event: LoyaltyEvent): MetricsState;
  /** A ledger transaction: its points movements (of `options.unit`), and refunds with `refundsFrom: 'transactions'`. */
  addTransaction(state: MetricsState, transaction: Transaction): MetricsState;
  /** A profile; `member` false for a known customer who is not enrolled (default true). */
  addCustomer(state: MetricsState, customer: Customer, member?: boolean): MetricsState;
  /** The hot path: a points movement already in integer steps. */
  addFlow(state: MetricsState, flow: PointsFlow): MetricsState;
  /**
   * The state as plain JSON data, to send to another worker or process (or store) and `restore`
   * there; the state is not changed. Use this rather than cloning a state: its inside may change.
   */
  snapshot(state: MetricsState): MetricsSnapshot;
  /** A state from a snapshot made by an accumulator with the same options; merge it like any other. */
  restore(snapshot: MetricsSnapshot): MetricsState;
}

function addItem(state: MetricsState, settings: Settings, item: MetricsInput): void {
  switch (item.kind) {
    case 'points':
      addFlow(state, settings, item);
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
 * accumulators with the same options. To move a state between workers, `snapshot` it (plain
 * JSON) and `restore` it on the other side.
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
    empty: () => emptyState(new PeriodFinder(options.period, options.timeZone)),
    add: (state, item) => (addItem(state, settings, item), state),
    addEvent: (state, event) => (addEvent(state, settings, event), state),
    addTransaction: (state, tx) => (addTransaction(state, settings, tx), state),
    addCustomer: (state, customer, member = true) => (addCustomer(state, settings, customer, member), state),
    addFlow: (state, flow) => (addFlow(state, settings, flow), state),
    merge: mergeStates,
    snapshot: snapshotOf,
    restore: (data) => restoreState(data, new PeriodFinder(options.period, options.timeZone)),
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
