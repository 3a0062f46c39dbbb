// Running a backtest for the command line: the replay (src/simulate) with the metrics
// accumulators (src/metrics) fed from the same pass — every event, and every transaction the
// replay writes — so the month-by-month figures and the totals come from one ledger.
import { hooksOf } from '../engine/kinds';
import type { Program } from '../engine/program';
import type { Transaction } from '../ledger/types';
import { metricsAccumulator, type MetricsReport } from '../metrics';
import { Decimal } from '../money/decimal';
import { minorUnits } from '../money/currencies';
import type { LoyaltyEvent } from '../schema/events';
import { simulate, type SimulationResult } from '../simulate';
import type { History } from './read/history';

/** A replay's result and its metrics by month. */
export interface Backtest {
  readonly program: Program;
  readonly result: SimulationResult;
  readonly metrics: MetricsReport;
}

/** Options of a backtest run. */
export interface BacktestOptions {
  /** Called after each event is read by the replay (the progress bar). */
  readonly onEvent?: ((done: number) => void) | undefined;
}

/** What one point is worth in the program's currency: 1 / the points-per-currency-unit rate. */
export function valuePerPoint(program: Program): Decimal {
  return new Decimal(1).div(hooksOf(program).rate(program));
}

function metricsFor(program: Program) {
  const unit = hooksOf(program).unit(program);
  const { currency, timeZone } = program.config;
  return metricsAccumulator({
    timeZone,
    period: 'month',
    currency,
    unit,
    // Store credit is counted in the currency's minor units; points in whole points.
    pointDecimals: unit.startsWith('credit:') ? minorUnits(currency) : 0,
    valuePerPoint: valuePerPoint(program),
    programId: program.id,
    // The replay's refund entries carry what was refunded; a refund event by lines has no price.
    refundsFrom: 'transactions',
  });
}

/** Yields the events, feeding each to the metrics and reporting progress. */
function* tap(events: readonly LoyaltyEvent[], onEach: (event: LoyaltyEvent, done: number) => void): Generator<LoyaltyEvent> {
  let done = 0;
  for (const event of events) {
    yield event;
    done += 1;
    onEach(event, done);
  }
}

/** Replays the history under a program and computes its metrics by month. */
export async function runBacktest(program: Program, history: History, options: BacktestOptions = {}): Promise<Backtest> {
  const acc = metricsFor(program);
  const state = acc.empty();
  for (const customer of history.customers) acc.addCustomer(state, customer);
  const onTransaction = (tx: Transaction): void => void acc.addTransaction(state, tx);
  const events = tap(history.events, (event, done) => {
    acc.addEvent(state, event);
    options.onEvent?.(done);
  });
  const result = await simulate(program, events, history.customerInputs, { onTransaction });
  return { program, result, metrics: acc.result(state) };
}
