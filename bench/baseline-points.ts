/*
 * The hand-written baseline of PERFORMANCE.md target 2: the 20-rule points program of
 * bench/lib/programs.ts (`twentyRuleProgram`) evaluated on one purchase by code written for that
 * program alone, on integers: cents for amounts, whole points for awards, largest remainder for
 * the line shares. It reads the same inputs `evaluate` reads (the parsed event, the account's
 * stats and counters, the customer) and produces the same awards: one lot per rule with its
 * points and its per-line shares, and the daily cap's counter. `sameAwards` checks it against
 * `evaluate`'s transaction, so the ratio compares equal work.
 */
import { zonedParts, startOfDayIn } from '../src/time';
import type { AccountState } from '../src/core';
import type { Customer } from '../src/schema/customer';
import type { LoyaltyEvent, PurchaseEvent } from '../src/schema/events';
import type { Transaction } from '../src/ledger/types';
import { safeUnits } from '../src/money/internal/units';
import type { Decimal } from '../src/money/decimal';

/** One rule's award: its whole points and their split over the order's lines. */
export interface BaselineLot {
  readonly ruleId: string;
  readonly points: number;
  readonly lines: readonly number[];
}

/** What the baseline computes for one purchase. */
export interface BaselineAwards {
  readonly lots: readonly BaselineLot[];
  /** The daily cap's counter key and the points it records, when the cap's rule awarded. */
  readonly counters: readonly { readonly key: string; readonly points: number }[];
}

const ZONE = 'America/New_York';
const EXCLUDED = new Set(['gift-cards', 'tobacco']);
const PILOT_STORES = new Set(['101', '102', '103']);
const CENTS = 2;

/** Largest remainder on integers: the parts sum to `total`, ties to the earlier line. */
function split(total: number, weights: readonly number[]): number[] {
  let sum = 0;
  for (const w of weights) sum += w;
  const ws = sum === 0 ? weights.map(() => 1) : weights;
  if (sum === 0) sum = ws.length;
  const parts: number[] = [];
  const rest: number[] = [];
  let left = total;
  for (const w of ws) {
    const q = Math.floor((total * w) / sum);
    parts.push(q);
    rest.push(total * w - q * sum);
    left -= q;
  }
  for (; left > 0; left--) {
    let best = 0;
    for (let i = 1; i < rest.length; i++) if ((rest[i] as number) > (rest[best] as number)) best = i;
    parts[best] = (parts[best] as number) + 1;
    rest[best] = -1;
  }
  return parts;
}

function cents(value: Decimal): number {
  const n = safeUnits(value, CENTS);
  if (n !== n) throw new Error('baseline: an amount beyond the safe integers');
  return n;
}

function hasAny(list: readonly string[], set: ReadonlySet<string>): boolean {
  for (const x of list) if (set.has(x)) return true;
  return false;
}

/** The awards of the 20-rule program on one purchase, by hand, on integers. */
export function baselineAwards(event: LoyaltyEvent, account: AccountState, customer: Customer): BaselineAwards {
  if (event.type !== 'purchase') throw new Error('baseline: purchases only');
  const order: PurchaseEvent = event;
  if (!order.pointsRedeemed.isZero()) throw new Error('baseline: no points redeemed on the bench stream');
  const parts = zonedParts(order.occurredAt, ZONE);
  const vip = customer.tags.includes('vip') || account.stats.lifetimeSpend.gte(10_000);
  const weekend = parts.dayOfWeek === 0 || parts.dayOfWeek === 6;
  const n = order.lines.length;
  const nets: number[] = new Array<number>(n);
  const eligible: number[] = new Array<number>(n);
  const weighted: number[] = new Array<number>(n);
  const apparel: number[] = new Array<number>(n);
  let subtotal = 0;
  let eligibleTotal = 0;
  let weightedTotal = 0;
  let apparelTotal = 0;
  let items = 0;
  let grocery = false;
  let clearance = false;
  for (let l = 0; l < n; l++) {
    const line = order.lines[l] as PurchaseEvent['lines'][number];
    const net = cents(line.unitPrice) * line.quantity - cents(line.discount);
    const excluded = hasAny(line.categories, EXCLUDED);
    const electronics = line.categories.includes('electronics');
    // Highest stacking: electronics 3×, otherwise VIP or weekend 2×.
    const factor = electronics ? 3 : vip || weekend ? 2 : 1;
    nets[l] = net;
    eligible[l] = excluded ? 0 : net;
    weighted[l] = excluded ? 0 : net * factor;
    apparel[l] = !excluded && line.categories.includes('apparel') ? 5 * line.quantity * factor : 0;
    subtotal += net;
    eligibleTotal += excluded ? 0 : net;
    weightedTotal += excluded ? 0 : net * factor;
    apparelTotal += apparel[l] as number;
    items += line.quantity;
    grocery ||= line.categories.includes('grocery');
    clearance ||= line.tags.includes('clearance');
  }
  const fixedWeights = eligibleTotal > 0 ? eligible : subtotal > 0 ? nets : nets.map(() => 1);
  const lots: BaselineLot[] = [];
  // base: 1 point per dollar of eligible spend, multiplied, floored.
  const base = Math.floor(weightedTotal / 100);
  if (base > 0) lots.push({ ruleId: 'base', points: base, lines: split(base, weighted) });
  if (eligibleTotal >= 100_00) lots.push({ ruleId: 'big-basket', points: 50, lines: split(50, fixedWeights) });
  // fifty: 10 points per full $50 of eligible spend, spread in proportion to the multiplied spend.
  const fifty = eligibleTotal > 0 ? Math.floor((Math.floor(eligibleTotal / 50_00) * 10 * weightedTotal) / eligibleTotal) : 0;
  if (fifty > 0) lots.push({ ruleId: 'fifty', points: fifty, lines: split(fifty, weighted) });
  if (order.channel === 'app') lots.push({ ruleId: 'app', points: 10, lines: split(10, fixedWeights) });
  if (order.storeId !== undefined && PILOT_STORES.has(order.storeId)) lots.push({ ruleId: 'store-pilot', points: 70, lines: split(70, fixedWeights) });
  if (account.stats.orderCount === 0) lots.push({ ruleId: 'first', points: 200, lines: split(200, fixedWeights) });
  if (items >= 5) lots.push({ ruleId: 'multi-item', points: 35, lines: split(35, fixedWeights) });
  if (clearance) lots.push({ ruleId: 'clearance', points: 5, lines: split(5, fixedWeights) });
  if (parts.hour >= 22 || parts.hour < 5) lots.push({ ruleId: 'night-owl', points: 12, lines: split(12, fixedWeights) });
  if (grocery && subtotal < 100_00) lots.push({ ruleId: 'grocery', points: 15, lines: split(15, fixedWeights) });
  if (apparelTotal > 0) lots.push({ ruleId: 'apparel-items', points: apparelTotal, lines: split(apparelTotal, apparel) });
  const counters: { key: string; points: number }[] = [];
  if (subtotal + cents(order.shipping) + cents(order.tax) > 500_00) {
    const key = `daily-cap#0|day=${startOfDayIn(order.occurredAt, ZONE).toISOString()}`;
    const used = account.counters[key]?.points;
    const points = Math.min(100, Math.max(0, 100 - (used === undefined ? 0 : safeUnits(used, 0))));
    if (points > 0) {
      lots.push({ ruleId: 'daily-cap', points, lines: split(points, fixedWeights) });
      counters.push({ key, points });
    }
  }
  return { lots, counters };
}

/** `evaluate`'s transaction seen as the baseline's awards: the lots in order, the counters with points. */
export function awardsOf(transaction: Transaction | null): BaselineAwards {
  const lots: BaselineLot[] = [];
  const counters: { key: string; points: number }[] = [];
  for (const entry of transaction?.entries ?? []) {
    if (entry.kind === 'earn') lots.push({ ruleId: entry.ruleId ?? '', points: entry.lot.amount.toNumber(), lines: (entry.lines ?? []).map((s) => s.amount.toNumber()) });
    if (entry.kind === 'usage') for (const c of entry.counters) if (c.key.startsWith('daily-cap#')) counters.push({ key: c.key, points: c.points.toNumber() });
  }
  return { lots, counters };
}

/** Throws when the baseline's awards differ from `evaluate`'s on an event. */
export function sameAwards(eventId: string, fromEvaluate: BaselineAwards, fromBaseline: BaselineAwards): void {
  const a = JSON.stringify(fromEvaluate);
  const b = JSON.stringify(fromBaseline);
  if (a !== b) throw new Error(`baseline and evaluate differ on ${eventId}:\n  evaluate ${a}\n  baseline ${b}`);
}
