import { Decimal, ZERO } from '../money/decimal';
import { allocate, minorUnits, round } from '../money';
import { MAX_SAFE, decimalOfUnits, isPositive, unitsOf } from '../money/minor';
import type { PurchaseEvent, PurchaseLine } from '../schema/events';
import type { ProgramConfig } from '../schema/program';
import type { OrderSummary } from '../rules/facts';
import type { LineFactName } from '../rules/catalog';


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

/** The program's exclusions, as Sets. */
type Exclusions = { readonly skus: ReadonlySet<string>; readonly categories: ReadonlySet<string>; readonly tags: ReadonlySet<string> };

function isExcluded(line: PurchaseLine, excluded: Exclusions): boolean {
  if (excluded.skus.size > 0 && excluded.skus.has(line.sku)) return true;
  if (excluded.categories.size > 0) for (const c of line.categories) if (excluded.categories.has(c)) return true;
  if (excluded.tags.size > 0) for (const t of line.tags) if (excluded.tags.has(t)) return true;
  return false;
}

// Below this many values, a linear scan of what was kept beats building a Set (most orders list a
// few categories and tags).
const SMALL_UNIQUE = 32;

/** Whether `list` holds `x` (a loop: the lists here are short, and the builtin costs more to enter). */
function holds(list: readonly string[], x: string): boolean {
  for (let k = 0; k < list.length; k++) if (list[k] === x) return true;
  return false;
}

/** Adds `x` to `out` unless it holds it already (`seen` mirrors `out` once it grew past {@link SMALL_UNIQUE}); returns the Set in use. */
function keep(out: string[], seen: Set<string> | undefined, x: string): Set<string> | undefined {
  if (seen ? seen.has(x) : holds(out, x)) return seen;
  seen?.add(x);
  out.push(x);
  return !seen && out.length > SMALL_UNIQUE ? new Set(out) : seen;
}

/** Each category (or tag, with `tags`) the lines list, once, in first-seen order: plain loops, no closure per order. */
function uniqueOfLists(lines: readonly PurchaseLine[], tags: boolean): string[] {
  const out: string[] = [];
  let seen: Set<string> | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as PurchaseLine;
    const list = tags ? line.tags : line.categories;
    for (let k = 0; k < list.length; k++) seen = keep(out, seen, list[k] as string);
  }
  return out;
}

/** Each sku of the lines, once, in first-seen order. */
function uniqueSkus(lines: readonly PurchaseLine[]): string[] {
  const out: string[] = [];
  let seen: Set<string> | undefined;
  for (let i = 0; i < lines.length; i++) seen = keep(out, seen, (lines[i] as PurchaseLine).sku);
  return out;
}

/**
 * Prices an order's lines for earning: net of discounts, exclusions applied, and — when the
 * program says so — net of the points redeemed on the order, spread over the eligible lines
 * exactly (largest remainder, in the currency's minor units).
 */
export function viewOrder(event: PurchaseEvent, config: ProgramConfig, excluded: Exclusions): OrderView {
  const places = minorUnits(config.currency);
  const priced = pricesOnUnits(event, excluded, places) ?? pricesOnDecimals(event, excluded);
  const summary: OrderSummary = {
    id: event.orderId,
    currency: event.currency,
    subtotal: priced.subtotal,
    eligibleSubtotal: priced.eligibleTotal,
    shipping: event.shipping,
    tax: event.tax,
    itemCount: priced.itemCount,
    lineCount: event.lines.length,
    categories: uniqueOfLists(event.lines, false),
    skus: uniqueSkus(event.lines),
    tags: uniqueOfLists(event.lines, true),
  };
  if (config.eligibility.netOfRedeemedPoints && isPositive(event.pointsRedeemed) && isPositive(priced.eligibleTotal)) {
    return netOfRedeemed(event, config, priced, summary, places);
  }
  return priced.units ? { lines: priced.lines, summary, units: priced.units } : { lines: priced.lines, summary };
}

/** The view when points redeemed on the order reduce what earns: the reduction spread over the eligible lines, on Decimals. */
function netOfRedeemed(event: PurchaseEvent, config: ProgramConfig, priced: Prices, summary: OrderSummary, places: number): OrderView {
  const value = round(event.pointsRedeemed.div(config.redemption.pointsPerUnit), places, 'down');
  const reduction = Decimal.min(value, priced.eligibleTotal);
  const shares = allocate(reduction, priced.lines.map((v) => v.eligible), { places });
  const lines = priced.lines.map((v, i): LineView => ({ line: v.line, net: v.net, eligible: v.eligible.minus(shares[i] ?? ZERO), excluded: v.excluded }));
  return { lines, summary: { ...summary, eligibleSubtotal: priced.eligibleTotal.minus(reduction) } };
}

/** Each line's view (net price, what of it earns) and the order's totals. */
interface Prices {
  readonly lines: readonly LineView[];
  readonly subtotal: Decimal;
  readonly eligibleTotal: Decimal;
  readonly itemCount: number;
  readonly units?: OrderUnits;
}

/**
 * The prices counted in the currency's minor units: the usual case, where every amount is a safe
 * integer count of them; Decimals only for each line's net and the two totals. Undefined when one
 * is not a safe integer count.
 */
function pricesOnUnits(event: PurchaseEvent, excluded: Exclusions, places: number): Prices | undefined {
  const n = event.lines.length;
  const lines = new Array<LineView>(n);
  const netUnits = new Array<number>(n);
  const eligibleUnits = new Array<number>(n);
  let subtotal = 0;
  let eligibleTotal = 0;
  let itemCount = 0;
  for (let i = 0; i < n; i++) {
    const line = event.lines[i] as PurchaseLine;
    const price = unitsOf(line.unitPrice, places);
    const discount = unitsOf(line.discount, places);
    const gross = price * line.quantity;
    const units = gross - discount;
    if (!(gross <= MAX_SAFE && units >= 0)) return undefined;
    const flag = isExcluded(line, excluded);
    // Most lines hold one unit and no discount: their net is the price, as it came. Otherwise the
    // count is built into a Decimal without parsing.
    const net = line.quantity === 1 && discount === 0 ? line.unitPrice : decimalOfUnits(units, places);
    lines[i] = { line, net, eligible: flag ? ZERO : net, excluded: flag };
    netUnits[i] = units;
    eligibleUnits[i] = flag ? 0 : units;
    subtotal += units;
    if (!flag) eligibleTotal += units;
    itemCount += line.quantity;
  }
  if (!(subtotal <= MAX_SAFE)) return undefined;
  // Without an excluded line the two totals are one value: one Decimal (immutable) serves both.
  const subtotalDecimal = decimalOfUnits(subtotal, places);
  return {
    lines,
    subtotal: subtotalDecimal,
    eligibleTotal: eligibleTotal === subtotal ? subtotalDecimal : decimalOfUnits(eligibleTotal, places),
    itemCount,
    units: { places, nets: netUnits, eligible: eligibleUnits },
  };
}

/** The prices on Decimals: amounts beyond the safe integers, or finer than the currency's minor unit. */
function pricesOnDecimals(event: PurchaseEvent, excluded: Exclusions): Prices {
  let subtotal = ZERO;
  let eligibleTotal = ZERO;
  let itemCount = 0;
  const lines = event.lines.map((line): LineView => {
    const gross = line.quantity === 1 ? line.unitPrice : line.unitPrice.times(line.quantity);
    const net = line.discount.isZero() ? gross : gross.minus(line.discount);
    const flag = isExcluded(line, excluded);
    subtotal = subtotal.plus(net);
    if (!flag) eligibleTotal = eligibleTotal.plus(net);
    itemCount += line.quantity;
    return { line, net, eligible: flag ? ZERO : net, excluded: flag };
  });
  return { lines, subtotal, eligibleTotal, itemCount };
}

/** Each line fact's value on a line. */
const LINE_FACT_VALUES: { readonly [K in LineFactName]: (view: LineView) => unknown } = {
  'line.id': (v) => v.line.lineId,
  'line.sku': (v) => v.line.sku,
  'line.categories': (v) => v.line.categories,
  'line.tags': (v) => v.line.tags,
  'line.quantity': (v) => v.line.quantity,
  'line.unitPrice': (v) => v.line.unitPrice,
  'line.discount': (v) => v.line.discount,
  'line.netAmount': (v) => v.net,
};

/**
 * A builder of the line facts `names` only (a compiled program makes one for the facts its line
 * filters read): one small object per line instead of all eight facts.
 */
export function lineFactBuilder(names: readonly string[]): (view: LineView) => Record<string, unknown> {
  const kept = names.filter((n): n is LineFactName => Object.hasOwn(LINE_FACT_VALUES, n));
  const values = kept.map((n) => LINE_FACT_VALUES[n]);
  return (view) => {
    const facts: Record<string, unknown> = {};
    for (let k = 0; k < kept.length; k++) facts[kept[k] as string] = (values[k] as (v: LineView) => unknown)(view);
    return facts;
  };
}
