import { Decimal } from '../money/decimal';
import type { DecimalInput } from '../schema/primitives';

// The closed-form formulas of SPEC §11, each on exact decimals. A quotient whose divisor is zero
// has no value: null, never 0 or Infinity. Rates are percentages. The accumulators call these
// on their sums, so a figure in a report is one of these formulas on the row's counts.

const HUNDRED = new Decimal(100);

function ratio(numerator: DecimalInput, denominator: DecimalInput): Decimal | null {
  const d = new Decimal(denominator);
  return d.isZero() ? null : new Decimal(numerator).div(d);
}

function percent(part: DecimalInput, whole: DecimalInput): Decimal | null {
  return ratio(part, whole)?.times(HUNDRED) ?? null;
}

/**
 * Average order value: revenue / orders.
 *
 * @example
 * ```ts
 * averageOrderValue('250.00', 5)?.toString(); // '50'
 * averageOrderValue('0', 0); // null
 * ```
 */
export function averageOrderValue(revenue: DecimalInput, orders: DecimalInput): Decimal | null {
  return ratio(revenue, orders);
}

/**
 * Purchase frequency: orders / unique customers.
 *
 * @example
 * ```ts
 * purchaseFrequency(5, 2)?.toString(); // '2.5'
 * ```
 */
export function purchaseFrequency(orders: DecimalInput, customers: DecimalInput): Decimal | null {
  return ratio(orders, customers);
}

/**
 * Customer value: AOV × purchase frequency (null when either is).
 *
 * @example
 * ```ts
 * customerValue('50', '2.5')?.toString(); // '125'
 * ```
 */
export function customerValue(aov: DecimalInput | null, frequency: DecimalInput | null): Decimal | null {
  return aov === null || frequency === null ? null : new Decimal(aov).times(frequency);
}

/**
 * Customer lifetime value: customer value × average lifespan, times the gross margin (a
 * fraction) when given.
 *
 * @example
 * ```ts
 * customerLifetimeValue('125', '4')?.toString(); // '500'
 * customerLifetimeValue('125', '4', '0.3')?.toString(); // '150'
 * ```
 */
export function customerLifetimeValue(value: DecimalInput | null, lifespan: DecimalInput | null, margin?: DecimalInput): Decimal | null {
  if (value === null || lifespan === null) return null;
  const clv = new Decimal(value).times(lifespan);
  return margin === undefined ? clv : clv.times(margin);
}

/**
 * Adoption rate in percent: enrolled members / total customers × 100.
 *
 * @example
 * ```ts
 * adoptionRate(1000, 10000)?.toString(); // '10'
 * ```
 */
export function adoptionRate(members: DecimalInput, customers: DecimalInput): Decimal | null {
  return percent(members, customers);
}

/**
 * Redemption rate in percent: points redeemed / points issued × 100.
 *
 * @example
 * ```ts
 * redemptionRate(300, 1000)?.toString(); // '30'
 * ```
 */
export function redemptionRate(redeemed: DecimalInput, issued: DecimalInput): Decimal | null {
  return percent(redeemed, issued);
}

/**
 * Breakage rate in percent: points expired / points issued × 100.
 *
 * @example
 * ```ts
 * breakageRate(150, 1000)?.toString(); // '15'
 * ```
 */
export function breakageRate(expired: DecimalInput, issued: DecimalInput): Decimal | null {
  return percent(expired, issued);
}

/**
 * Churn rate in percent: what was lost / what there was at the start × 100. It serves both the
 * customer count (customers lost / customers at start) and the recurring value (value lost /
 * value at start).
 *
 * @example
 * ```ts
 * churnRate(30, 200)?.toString(); // '15'
 * ```
 */
export function churnRate(lost: DecimalInput, start: DecimalInput): Decimal | null {
  return percent(lost, start);
}

/**
 * Customer retention rate CRR = ((E − N) / S) × 100, with E customers at the end of the
 * period, N new in it, S at its start.
 *
 * @example
 * ```ts
 * retentionRate({ start: 200, new: 40, end: 210 })?.toString(); // '85'
 * ```
 */
export function retentionRate(counts: { readonly start: DecimalInput; readonly new: DecimalInput; readonly end: DecimalInput }): Decimal | null {
  return percent(new Decimal(counts.end).minus(counts.new), counts.start);
}

/**
 * Average customer lifespan from churn: 1 / churn rate, in periods (the churn rate given in
 * percent, as {@link churnRate} returns it). No churn gives null (an unbounded lifespan).
 *
 * @example
 * ```ts
 * lifespanFromChurn('25')?.toString(); // '4'
 * ```
 */
export function lifespanFromChurn(churnPercent: DecimalInput | null): Decimal | null {
  return churnPercent === null ? null : ratio(HUNDRED, churnPercent);
}

/**
 * Outstanding points liability: outstanding points × value per point, and the same net of
 * expected breakage (in percent) when given.
 *
 * @example
 * ```ts
 * const l = pointsLiability({ outstanding: 5000, valuePerPoint: '0.01', expectedBreakage: '20' });
 * l.gross.toString(); // '50'
 * l.net?.toString(); // '40'
 * ```
 */
export function pointsLiability(input: { readonly outstanding: DecimalInput; readonly valuePerPoint: DecimalInput; readonly expectedBreakage?: DecimalInput | null }): { gross: Decimal; net: Decimal | null } {
  const gross = new Decimal(input.outstanding).times(input.valuePerPoint);
  const breakage = input.expectedBreakage;
  const net = breakage === undefined || breakage === null ? null : gross.times(HUNDRED.minus(breakage)).div(HUNDRED);
  return { gross, net };
}
