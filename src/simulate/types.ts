import type { Decimal } from '../money/decimal';
import type { Balance } from '../ledger/read';
import type { Transaction, Unit } from '../ledger/types';
import type { InstantInput } from '../schema/primitives';
import type { MetricsOptions, MetricsReport } from '../metrics';

/**
 * Options of `simulate` and `compare`.
 *
 * @example
 * ```ts
 * const options: SimulateOptions = { until: '2028-01-01T05:00:00Z', onTransaction: (tx) => seen.push(tx) };
 * ```
 */
export interface SimulateOptions {
  /**
   * Day boundaries are ticked from the first one after this instant. Default: the first event's
   * instant (a shard passes the whole history's start, so that every shard ticks the same days).
   */
  readonly start?: InstantInput | undefined;
  /**
   * Ticks through this instant (every day boundary up to it, then at it), and reads the final
   * state as of it. Default: the first day boundary after the last event.
   */
  readonly until?: InstantInput | undefined;
  /** Called with every transaction as it is written (events and ticks), in the order written. */
  readonly onTransaction?: ((tx: Transaction) => void) | undefined;
  /**
   * Keep an order's transactions (what a refund needs) for this many days after its purchase:
   * a refund more than this many days after the purchase is refused as `unknown_order`, and the
   * order is let go at the first day boundary after that. Default: keep every order, which is
   * exact but keeps each order's transactions for the whole run.
   */
  readonly orderRetentionDays?: number | undefined;
  /**
   * Options of the metrics report (`loyalty-engine/metrics`). Default: by month, in the
   * program's zone and currency, points in the program's unit valued at its redemption rate.
   */
  readonly metrics?: Partial<MetricsOptions> | undefined;
}

/**
 * The program's books over the replay, in one unit: what was issued, redeemed, expired, clawed
 * back and adjusted, and what customers still hold. Amounts are positive.
 *
 * @example
 * ```ts
 * const t: UnitTotals = result.totals;
 * t.redeemed.div(t.issued).toString(); // the redemption rate
 * ```
 */
export interface UnitTotals {
  readonly unit: Unit;
  readonly issued: Decimal;
  readonly redeemed: Decimal;
  readonly expired: Decimal;
  readonly clawedBack: Decimal;
  /** Net manual adjustments: credits less debits. */
  readonly adjusted: Decimal;
  /** Customers' available + pending + held, less their debt, at the end. */
  readonly outstanding: Decimal;
  /** `outstanding` at the program's redemption value, in the program's currency (100 points = 1.00). */
  readonly liability: Decimal;
}

/**
 * A customer's account at the end of a replay.
 *
 * @example
 * ```ts
 * const c: CustomerOutcome = result.customers[0]!;
 * console.log(c.customerId, c.balance.available.toString(), c.tier);
 * ```
 */
export interface CustomerOutcome {
  readonly customerId: string;
  /** Balance in the program's unit as of the end. */
  readonly balance: Balance;
  /** The tier held at the end (tiered programs), else null. */
  readonly tier: string | null;
  /** Open lots at the end: how many, what they hold, and the soonest expiry. */
  readonly lots: { readonly open: number; readonly remaining: Decimal; readonly nextExpiry: Date | null };
  /** Issued to this customer over the replay, in the program's unit. */
  readonly issued: Decimal;
  readonly redeemed: Decimal;
  readonly expired: Decimal;
  readonly clawedBack: Decimal;
  /** Transactions written for this customer. */
  readonly transactions: number;
}

/**
 * How the replay went: events read, events that wrote a transaction, refusals by code (input
 * refusals the service would throw, business refusals it would record, replays of an event id),
 * and the ticks.
 *
 * @example
 * ```ts
 * const { read, refused } = result.run;
 * console.log(`${read} events, ${refused.order_conflict ?? 0} conflicting orders`);
 * ```
 */
export interface SimulationRun {
  readonly events: number;
  readonly transactions: number;
  readonly refused: Readonly<Record<string, number>>;
  /** Day boundaries ticked (plus the final instant when it is not one). */
  readonly boundaries: number;
  readonly ticked: number;
  readonly tickFailures: number;
  readonly start: Date | null;
  readonly end: Date | null;
}

/**
 * What `simulate` returns.
 *
 * @example
 * ```ts
 * const result: SimulationResult = await simulate(program, events, customers);
 * console.log(result.totals.issued.toString(), result.tierMix);
 * ```
 */
export interface SimulationResult {
  readonly programId: string;
  readonly programVersion: number;
  readonly totals: UnitTotals;
  /** Tiered programs: how many customers hold each tier at the end (every tier listed). Else null. */
  readonly tierMix: Readonly<Record<string, number>> | null;
  /** Every customer's account at the end, sorted by customer id. */
  readonly customers: readonly CustomerOutcome[];
  readonly run: SimulationRun;
  /** SPEC §11 metrics of the replay (AOV, frequency, CLV, churn, redemption, breakage, liability…), per period and segment. */
  readonly metrics: MetricsReport;
}

/**
 * One customer's difference between two programs (B minus A).
 *
 * @example
 * ```ts
 * const d: CustomerDifference = comparison.customers[0]!;
 * if (d.issued.gt(0)) console.log(`${d.customerId} earns ${d.issued} more under B`);
 * ```
 */
export interface CustomerDifference {
  readonly customerId: string;
  /** Points issued under B minus under A. */
  readonly issued: Decimal;
  /** End balance (available + pending − debt) under B minus under A. */
  readonly balance: Decimal;
  readonly tierA: string | null;
  readonly tierB: string | null;
}

/**
 * What `compare` returns: both results, the customers whose outcome differs, and the cost
 * difference.
 *
 * @example
 * ```ts
 * const c: Comparison = await compare(programA, programB, events, customers);
 * console.log(`liability +${c.liability.toString()} USD; ${c.gainers} customers gain`);
 * ```
 */
export interface Comparison {
  readonly a: SimulationResult;
  readonly b: SimulationResult;
  /** Customers whose issued points, balance or tier differ, sorted by customer id. */
  readonly customers: readonly CustomerDifference[];
  /** Customers who end with more (fewer) points under B. */
  readonly gainers: number;
  readonly losers: number;
  /** Customers whose end tier differs. */
  readonly tierChanges: number;
  /** Liability under B minus under A, in the programs' currency. */
  readonly liability: Decimal;
  /** Points issued under B minus under A. */
  readonly issued: Decimal;
}
