import { Decimal, ZERO } from '../money/decimal';
import { allocate, minorUnits, round } from '../money';
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
  // Most lines hold one unit and no discount: skip the arithmetic that would not change them.
  const nets = event.lines.map((line) => {
    const gross = line.quantity === 1 ? line.unitPrice : line.unitPrice.times(line.quantity);
    return line.discount.isZero() ? gross : gross.minus(line.discount);
  });
  const flags = event.lines.map((line) => isExcluded(line, excluded));
  let eligible = nets.map((net, i) => (flags[i] ? ZERO : net));
  let eligibleTotal = eligible.reduce((s, x) => s.plus(x), ZERO);
  if (config.eligibility.netOfRedeemedPoints && event.pointsRedeemed.gt(0) && eligibleTotal.gt(0)) {
    const places = minorUnits(config.currency);
    const value = round(event.pointsRedeemed.div(config.redemption.pointsPerUnit), places, 'down');
    const reduction = Decimal.min(value, eligibleTotal);
    const shares = allocate(reduction, eligible, { places });
    eligible = eligible.map((x, i) => x.minus(shares[i] ?? ZERO));
    eligibleTotal = eligibleTotal.minus(reduction);
  }
  const lines = event.lines.map((line, i): LineView => ({ line, net: nets[i] ?? ZERO, eligible: eligible[i] ?? ZERO, excluded: flags[i] ?? false }));
  const subtotal = nets.reduce((s, x) => s.plus(x), ZERO);
  return {
    lines,
    summary: {
      id: event.orderId,
      currency: event.currency,
      subtotal,
      eligibleSubtotal: eligibleTotal,
      shipping: event.shipping,
      tax: event.tax,
      itemCount: event.lines.reduce((s, l) => s + l.quantity, 0),
      lineCount: event.lines.length,
      categories: unique(event.lines.map((l) => l.categories)),
      skus: unique([event.lines.map((l) => l.sku)]),
      tags: unique(event.lines.map((l) => l.tags)),
    },
  };
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
