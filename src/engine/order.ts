import { Decimal, ZERO } from '../money/decimal';
import { allocate, minorUnits, round } from '../money';
import { MAX_SAFE, decimalOfUnits, isPositive, unitsOf } from '../money/minor';
import type { PurchaseEvent, PurchaseLine } from '../schema/events';
import type { ProgramConfig } from '../schema/program';
import type { OrderSummary } from '../rules/facts';


/** One purchase line as the engine sees it: its net price and the part of it that earns. */
export interface LineView {
  readonly line: PurchaseLine;
  /** unitPrice × quantity − discount. */
  readonly net: Decimal;
  /** The net price that earns: 0 for excluded lines, less its share of redeemed points. */
  readonly eligible: Decimal;
  readonly excluded: boolean;
}

/** An order prepared for the rules. */
export interface OrderView {
  readonly lines: readonly LineView[];
  readonly summary: OrderSummary;
  /** The lines' nets and eligible amounts in the currency's minor units, when they are safe integers and no points were redeemed on the order. */
  readonly units?: OrderUnits;
}

/** Line amounts counted in the currency's minor units. */
export interface OrderUnits {
  /** The decimals of the minor unit they count. */
  readonly places: number;
  readonly nets: readonly number[];
  readonly eligible: readonly number[];
}

function isExcluded(line: PurchaseLine, excluded: { skus: ReadonlySet<string>; categories: ReadonlySet<string>; tags: ReadonlySet<string> }): boolean {
  if (excluded.skus.has(line.sku)) return true;
  for (const c of line.categories) if (excluded.categories.has(c)) return true;
  for (const t of line.tags) if (excluded.tags.has(t)) return true;
  return false;
}

function unique(lists: Iterable<readonly string[]>): string[] {
  const seen = new Set<string>();
  for (const list of lists) for (const x of list) seen.add(x);
  return [...seen];
}

/**
 * Prices an order's lines for earning: net of discounts, exclusions applied, and — when the
 * program says so — net of the points redeemed on the order, spread over the eligible lines
 * exactly (largest remainder, in the currency's minor units).
 */
export function viewOrder(
  event: PurchaseEvent,
  config: ProgramConfig,
  excluded: { skus: ReadonlySet<string>; categories: ReadonlySet<string>; tags: ReadonlySet<string> },
): OrderView {
  const flags = event.lines.map((line) => isExcluded(line, excluded));
  const priced = pricesOnUnits(event, flags, minorUnits(config.currency)) ?? pricesOnDecimals(event, flags);
  let { eligible, eligibleTotal } = priced;
  let units = priced.units;
  if (config.eligibility.netOfRedeemedPoints && isPositive(event.pointsRedeemed) && isPositive(eligibleTotal)) {
    units = undefined;
    const places = minorUnits(config.currency);
    const value = round(event.pointsRedeemed.div(config.redemption.pointsPerUnit), places, 'down');
    const reduction = Decimal.min(value, eligibleTotal);
    const shares = allocate(reduction, eligible, { places });
    eligible = eligible.map((x, i) => x.minus(shares[i] ?? ZERO));
    eligibleTotal = eligibleTotal.minus(reduction);
  }
  const { nets } = priced;
  const lines = event.lines.map((line, i): LineView => ({ line, net: nets[i] ?? ZERO, eligible: eligible[i] ?? ZERO, excluded: flags[i] ?? false }));
  let itemCount = 0;
  for (const l of event.lines) itemCount += l.quantity;
  const summary: OrderSummary = {
      id: event.orderId,
      currency: event.currency,
      subtotal: priced.subtotal,
      eligibleSubtotal: eligibleTotal,
      shipping: event.shipping,
      tax: event.tax,
      itemCount,
      lineCount: event.lines.length,
      categories: unique(event.lines.map((l) => l.categories)),
      skus: unique([event.lines.map((l) => l.sku)]),
      tags: unique(event.lines.map((l) => l.tags)),
  };
  return units ? { lines, summary, units } : { lines, summary };
}

/** Each line's net price and what of it earns, with their totals. */
interface Prices {
  readonly nets: readonly Decimal[];
  readonly eligible: Decimal[];
  readonly subtotal: Decimal;
  readonly eligibleTotal: Decimal;
  readonly units?: OrderUnits;
}

/**
 * The prices counted in the currency's minor units: the usual case, where every amount is a safe
 * integer count of them; Decimals only at the end. Undefined when one is not.
 */
function pricesOnUnits(event: PurchaseEvent, flags: readonly boolean[], places: number): Prices | undefined {
  const nets: Decimal[] = [];
  const eligible: Decimal[] = [];
  const netUnits: number[] = [];
  const eligibleUnits: number[] = [];
  let subtotal = 0;
  let eligibleTotal = 0;
  for (let i = 0; i < event.lines.length; i++) {
    const line = event.lines[i] as PurchaseLine;
    const price = unitsOf(line.unitPrice, places);
    const discount = unitsOf(line.discount, places);
    const units = price * line.quantity - discount;
    if (!(units <= MAX_SAFE && price * line.quantity <= MAX_SAFE)) return undefined;
    // Most lines hold one unit and no discount: their net is the price, as it came. Otherwise one
    // Decimal operation is cheaper than building a Decimal from the count.
    const gross = line.quantity === 1 ? line.unitPrice : line.unitPrice.times(line.quantity);
    const net = discount === 0 ? gross : gross.minus(line.discount);
    nets.push(net);
    eligible.push(flags[i] ? ZERO : net);
    netUnits.push(units);
    eligibleUnits.push(flags[i] ? 0 : units);
    subtotal += units;
    if (!flags[i]) eligibleTotal += units;
  }
  if (!(subtotal <= MAX_SAFE)) return undefined;
  return { nets, eligible, subtotal: decimalOfUnits(subtotal, places), eligibleTotal: decimalOfUnits(eligibleTotal, places), units: { places, nets: netUnits, eligible: eligibleUnits } };
}

/** The prices on Decimals: amounts beyond the safe integers, or finer than the currency's minor unit. */
function pricesOnDecimals(event: PurchaseEvent, flags: readonly boolean[]): Prices {
  const nets = event.lines.map((line) => {
    const gross = line.quantity === 1 ? line.unitPrice : line.unitPrice.times(line.quantity);
    return line.discount.isZero() ? gross : gross.minus(line.discount);
  });
  const eligible = nets.map((net, i) => (flags[i] ? ZERO : net));
  return { nets, eligible, subtotal: nets.reduce((s, x) => s.plus(x), ZERO), eligibleTotal: eligible.reduce((s, x) => s.plus(x), ZERO) };
}

/** The line facts a `lines` filter reads. */
export function lineFacts(view: LineView): Record<string, unknown> {
  const { line } = view;
  return {
    'line.id': line.lineId,
    'line.sku': line.sku,
    'line.categories': line.categories,
    'line.tags': line.tags,
    'line.quantity': line.quantity,
    'line.unitPrice': line.unitPrice,
    'line.discount': line.discount,
    'line.netAmount': view.net,
  };
}
