import { Decimal, ZERO } from '../money/decimal';
import { minorUnits, round } from '../money';
import type { RoundingMode } from '../money';
import { allocateEqualRange } from '../money/allocate';
import { fromUnits, toUnits } from '../money/internal/units';
import type { AccountState, CounterChange, Entry, LineShare, Transaction, Unit } from '../ledger/types';
import type { RefundEvent } from '../schema/events';
import type { Decision } from './decision';
import { clawbackEntries } from './lots';
import { accept, refuse } from './outcome';
import type { Program } from './program-type';
import { redemptionDraws, restoredFrom, restoreEntry } from './restore';

interface OrderLine {
  readonly lineId: string;
  readonly quantity: number;
  readonly net: Decimal;
}

interface EarnedLot {
  readonly lot: string;
  readonly unit: Unit;
  readonly amount: Decimal;
  readonly lines: readonly LineShare[];
}

/** What the order's history says: what was bought and earned, and what refunds already took. */
interface OrderHistory {
  readonly lines: readonly OrderLine[];
  readonly subtotal: Decimal;
  readonly eligible: Decimal;
  readonly earned: readonly EarnedLot[];
  readonly refundedUnits: Map<string, number>;
  readonly refundedAmount: Decimal;
  readonly refundedNet: Decimal;
  readonly clawed: Map<string, Decimal>;
  readonly counters: readonly CounterChange[];
  readonly redemptions: readonly Transaction[];
  /** The purchase was undone by a reversal: its figures are already given back. */
  readonly reversed: boolean;
}

function readHistory(orderId: string, txs: readonly Transaction[], account: AccountState): OrderHistory | null {
  let lines: OrderLine[] | null = null;
  let reversed = false;
  let subtotal = ZERO;
  let eligible = ZERO;
  const earned: EarnedLot[] = [];
  const refundedUnits = new Map<string, number>();
  let refundedAmount = ZERO;
  let refundedNet = ZERO;
  const clawed = new Map<string, Decimal>();
  const counters: CounterChange[] = [];
  const redemptions: Transaction[] = [];
  for (const tx of txs) {
    for (const e of tx.entries) {
      if (e.kind === 'activity' && e.orderId === orderId && e.lines) {
        lines = [...e.lines];
        reversed = account.marks[`reversed:${tx.id}`] !== undefined;
        subtotal = e.spend;
        eligible = e.eligible ?? ZERO;
      } else if (e.kind === 'earn' && e.lot.orderId === orderId) {
        earned.push({ lot: e.lot.id, unit: e.lot.unit, amount: e.lot.amount, lines: e.lines ?? [] });
      } else if (e.kind === 'refund' && e.orderId === orderId) {
        for (const l of e.lines) refundedUnits.set(l.lineId, (refundedUnits.get(l.lineId) ?? 0) + l.quantity);
        refundedAmount = refundedAmount.plus(e.amount);
        refundedNet = refundedNet.plus(e.net);
      } else if (e.kind === 'clawback' && e.orderId === orderId) {
        for (const a of e.against) clawed.set(a.lot, (clawed.get(a.lot) ?? ZERO).plus(a.amount));
      } else if (e.kind === 'usage') {
        for (const c of e.counters) if (c.lot !== undefined) counters.push(c);
      } else if ((e.kind === 'redeem' || e.kind === 'capture') && e.orderId === orderId && !redemptions.includes(tx)) {
        redemptions.push(tx);
      }
    }
  }
  if (lines === null) return null;
  return { lines, subtotal, eligible, earned, refundedUnits, refundedAmount, refundedNet, clawed, counters, redemptions, reversed };
}

/** The decimals a unit is counted in: whole points and punches, a currency's minor units for credit. */
function placesOf(unit: Unit): number {
  return unit.startsWith('credit:') ? minorUnits(unit.slice('credit:'.length)) : 0;
}

/** The share of units `from`..`from + count − 1` of a line's share, split per unit by largest remainder (closed form, O(1)). */
export function unitsShare(share: Decimal, quantity: number, from: number, count: number, places: number): Decimal {
  if (count <= 0 || quantity <= 0 || share.isZero()) return ZERO;
  return allocateEqualRange(share, quantity, from, count, { places });
}

/** n / d (d > 0) rounded to a whole number with `mode`, exactly (half-up is half away from zero). */
function roundRational(n: bigint, d: bigint, mode: RoundingMode): bigint {
  const negative = n < 0n;
  const a = negative ? -n : n;
  let q = a / d;
  const r2 = (a % d) * 2n;
  const up =
    r2 === 0n
      ? false
      : mode === 'ceil'
        ? !negative
        : mode === 'floor'
          ? negative
          : mode === 'half-up'
            ? r2 >= d
            : mode === 'half-even'
              ? r2 > d || (r2 === d && q % 2n === 1n)
              : false;
  if (up) q += 1n;
  return negative ? -q : q;
}

const gcd = (a: bigint, b: bigint): bigint => {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
};

/** What a lot earned, and how it splits over the order's lines. */
export interface RefundLot {
  readonly amount: Decimal;
  readonly lines: readonly LineShare[];
}

/** Everything an order's refunds have covered so far: units per line and the amount refunded by amount. */
export interface RefundedSoFar {
  readonly units: (lineId: string) => number;
  readonly amount: Decimal;
}

/**
 * The cumulative clawback of one earn lot once an order's refunds have covered `so` (units per
 * line and an amount): what any sequence of refunds with these totals has taken from the lot,
 * whatever their order, and what one refund of the same totals would take.
 *
 * By lines alone it is the line allocation: per line, its refunded units' share (largest
 * remainder per unit). Once an amount is refunded too, it is at least the lot × the refunded part
 * of the order, rounded with `rounding`, where the refunded part counts the amount (over the
 * eligible amount) and each line's refunded units (their share of the lot's points, pro rata by
 * quantity: a line that earned nothing, such as a gift card, adds nothing). Never more than the
 * lot. Every term only grows as refunds add up, so each refund takes `target − already taken`.
 *
 * @example
 * ```ts
 * // $50 + $50 earned 100 (50 / 50); line a refunded, then $49.99 by amount: floor(49.99 + 50) = 99.
 * const lot = { amount: new Decimal(100), lines: [{ lineId: 'a', quantity: 1, amount: new Decimal(50) }, { lineId: 'b', quantity: 1, amount: new Decimal(50) }] };
 * refundTarget(lot, { units: (id) => (id === 'a' ? 1 : 0), amount: new Decimal('49.99') }, new Decimal(100), 0, 'floor').toString(); // '99'
 * ```
 */
export function refundTarget(lot: RefundLot, so: RefundedSoFar, eligible: Decimal, places: number, rounding: RoundingMode): Decimal {
  let byLines = ZERO;
  for (const s of lot.lines) byLines = byLines.plus(unitsShare(s.amount, s.quantity, 0, Math.min(s.quantity, so.units(s.lineId)), places));
  let target = byLines;
  if (so.amount.gt(0) && eligible.gt(0)) {
    // lot × amount / eligible + Σ share × units / quantity, as one exact fraction of 10^-places steps.
    const dp = Math.max(so.amount.decimalPlaces(), eligible.decimalPlaces());
    let num = toUnits(lot.amount, places) * toUnits(so.amount, dp);
    let den = toUnits(eligible, dp);
    for (const s of lot.lines) {
      const u = Math.min(s.quantity, so.units(s.lineId));
      if (u <= 0 || s.amount.isZero()) continue;
      const q = BigInt(s.quantity);
      num = num * q + toUnits(s.amount, places) * BigInt(u) * den;
      den *= q;
      const g = gcd(num, den);
      if (g > 1n) {
        num /= g;
        den /= g;
      }
    }
    target = Decimal.max(target, fromUnits(roundRational(num, den, rounding), places));
  }
  return Decimal.min(target, lot.amount);
}

/**
 * How a take splits over the lines this refund names: each line's refunded units' share of the
 * lot, in order, until the take is used up (a refund that follows one by amount may take less).
 */
function lineParts(shares: readonly LineShare[], refundLines: readonly { lineId: string; quantity: number; from: number }[], take: Decimal, places: number): LineShare[] {
  const parts: LineShare[] = [];
  const byId = new Map(shares.map((s) => [s.lineId, s]));
  let rest = take;
  for (const r of refundLines) {
    const share = byId.get(r.lineId);
    if (!share || !rest.gt(0)) continue;
    const part = Decimal.min(rest, unitsShare(share.amount, share.quantity, r.from, r.quantity, places));
    if (part.gt(0)) parts.push({ lineId: r.lineId, quantity: r.quantity, amount: part });
    rest = rest.minus(part);
  }
  return parts;
}

/** One line this refund covers: units `from`..`from + quantity − 1` of the order's line. */
interface RefundLine {
  readonly lineId: string;
  readonly quantity: number;
  readonly from: number;
  readonly line: OrderLine;
}

/** What this refund covers, and what the order's refunds will have covered once it is applied. */
interface RefundScope {
  readonly lines: readonly RefundLine[];
  /** The amount refunded by amount (zero for a refund by lines). */
  readonly amount: Decimal;
  /** Units of a line refunded by every refund of the order, this one included. */
  readonly unitsAfter: (lineId: string) => number;
  /** The net amount this refund gives back. */
  readonly net: Decimal;
  /** This refund completes the order: it takes whatever is left. */
  readonly complete: boolean;
}

/** The index of the first line the refund names that the order does not have, or −1. */
function unknownLineIndex(event: RefundEvent, history: OrderHistory): number {
  const ids = new Set(history.lines.map((l) => l.lineId));
  return (event.lines ?? []).findIndex((r) => !ids.has(r.lineId));
}

/** What this refund covers, capped at what is still unrefunded (line ids are unique per event). */
function refundScope(event: RefundEvent, history: OrderHistory, places: number): RefundScope {
  const lines: RefundLine[] = [];
  const orderLines = new Map(history.lines.map((l) => [l.lineId, l]));
  for (const r of event.lines ?? []) {
    const line = orderLines.get(r.lineId);
    if (!line) continue;
    const done = history.refundedUnits.get(r.lineId) ?? 0;
    const quantity = Math.min(r.quantity, line.quantity - done);
    if (quantity > 0) lines.push({ lineId: r.lineId, quantity, from: done, line });
  }
  const amount = event.amount ?? ZERO;
  const refunding = new Map(lines.map((r) => [r.lineId, r.quantity]));
  const unitsAfter = (lineId: string): number => (history.refundedUnits.get(lineId) ?? 0) + (refunding.get(lineId) ?? 0);
  // The net a line refund gives back, rounded down cumulatively: a line's units add up to its net
  // exactly, and only its last unit reaches the full net.
  const lineNet = (l: OrderLine, units: number): Decimal => round(l.net.times(units).div(l.quantity), places, 'down');
  let net = lines.reduce((s, r) => s.plus(lineNet(r.line, r.from + r.quantity)).minus(lineNet(r.line, r.from)), ZERO).plus(amount);
  const allUnits = history.lines.every((l) => unitsAfter(l.lineId) >= l.quantity);
  const complete = (event.lines !== undefined && allUnits) || history.refundedNet.plus(net).gte(history.subtotal);
  if (complete) net = Decimal.max(ZERO, history.subtotal.minus(history.refundedNet));
  if (history.reversed) net = ZERO;
  return { lines, amount, unitsAfter, net, complete };
}

/** What to claw back from one earn lot, split over the refunded lines when by lines. */
interface ClawbackWant {
  readonly lot: string;
  readonly unit: Unit;
  readonly amount: Decimal;
  readonly lines?: LineShare[];
}

/** Points to claw back, lot by lot: what each earn lot's target after this refund adds. */
function clawbackWants(history: OrderHistory, scope: RefundScope, rounding: RoundingMode): ClawbackWant[] {
  const wants: ClawbackWant[] = [];
  for (const earned of history.earned) {
    const already = history.clawed.get(earned.lot) ?? ZERO;
    const left = earned.amount.minus(already);
    if (!left.gt(0)) continue;
    let take = ZERO;
    let lines: LineShare[] = [];
    if (scope.complete) take = left;
    else {
      // The lot's cumulative target after this refund counts every refund of the order, by line
      // and by amount, so the order of refunds never changes what they take together.
      const unitPlaces = placesOf(earned.unit);
      const so = { units: scope.unitsAfter, amount: history.refundedAmount.plus(scope.amount) };
      const target = refundTarget(earned, so, history.eligible, unitPlaces, rounding);
      take = Decimal.min(Decimal.max(ZERO, target.minus(already)), left);
      lines = lineParts(earned.lines, scope.lines, take, unitPlaces);
    }
    if (take.gt(0)) wants.push({ lot: earned.lot, unit: earned.unit, amount: take, ...(lines.length ? { lines } : {}) });
  }
  return wants;
}

/** Caps the order consumed are given back: its points, and its count once the award is gone. */
function givenBackCounters(history: OrderHistory, wants: readonly ClawbackWant[]): CounterChange[] {
  const giveBack: CounterChange[] = [];
  for (const want of wants) {
    const earned = history.earned.find((e) => e.lot === want.lot);
    const fullyGone = earned !== undefined && (history.clawed.get(want.lot) ?? ZERO).plus(want.amount).gte(earned.amount);
    for (const c of history.counters.filter((x) => x.lot === want.lot && x.count > 0)) {
      giveBack.push({ key: c.key, lot: want.lot, count: fullyGone ? -c.count : 0, points: Decimal.min(c.points, want.amount).neg(), keepUntil: c.keepUntil });
    }
  }
  return giveBack;
}

/** Points that paid for the order come back in the refunded proportion, with their original expiry. */
function restoredPayments(account: AccountState, history: OrderHistory, scope: RefundScope, at: Date): Entry[] {
  const { complete, net } = scope;
  const entries: Entry[] = [];
  const fraction = complete || history.subtotal.isZero() ? new Decimal(1) : Decimal.min(new Decimal(1), history.refundedNet.plus(net).div(history.subtotal));
  for (const redemption of history.redemptions) {
    const total = redemptionDraws(redemption).reduce((s, d) => s.plus(d.amount), ZERO);
    const done = restoredFrom(account, redemption.id);
    const places = placesOf(redemptionDraws(redemption)[0]?.terms.unit ?? 'points');
    const target = complete ? total : round(total.times(fraction), places, 'down');
    if (target.gt(done)) {
      const entry = restoreEntry(account, redemption, done, target.minus(done), at);
      if (entry) entries.push(entry);
    }
  }
  return entries;
}

/**
 * A refund or return, by line or by amount: claws back exactly what the refunded part earned —
 * by line allocation (pro rata by quantity, largest remainder) or, by amount, the order's points ×
 * refunded / eligible amount rounded as configured — never more and never twice; the refund that
 * completes the order takes exactly what is left. Limits the order consumed are given back, and
 * points that paid for the order come back in the same proportion with their original expiry.
 * Points already spent are taken as the return policy says.
 */
export function refundDecision(program: Program, account: AccountState, event: RefundEvent, orderTransactions: readonly Transaction[]): Decision {
  const history = readHistory(event.orderId, orderTransactions, account);
  if (!history) return refuse('unknown_order', ['orderId'], `no purchase of order "${event.orderId}" in program ${program.id}`);
  const { config } = program;
  const unknownLine = unknownLineIndex(event, history);
  const unknown = event.lines?.[unknownLine];
  if (unknown !== undefined) return refuse('unknown_line', ['lines', unknownLine, 'lineId'], `order "${event.orderId}" has no line "${unknown.lineId}"`);
  const scope = refundScope(event, history, minorUnits(config.currency));
  const noop = (): Decision => accept(program, account, `event:${event.id}`, event.occurredAt, { kind: 'event', eventId: event.id, eventType: 'refund' }, []);
  if (scope.lines.length === 0 && scope.amount.isZero()) return noop();

  const entries: Entry[] = [];
  const wants = clawbackWants(history, scope, config.rounding);
  if (wants.length > 0) {
    entries.push(...clawbackEntries(account, wants, event.occurredAt, config, event.orderId));
    const giveBack = givenBackCounters(history, wants);
    if (giveBack.length > 0) entries.push({ kind: 'usage', counters: giveBack });
  }
  entries.push(...restoredPayments(account, history, scope, event.occurredAt));

  // A refund of an order already fully refunded changes nothing.
  if (entries.length === 0 && scope.lines.length === 0 && scope.net.isZero()) return noop();
  const refunded = scope.lines.map((r) => ({ lineId: r.lineId, quantity: r.quantity }));
  entries.push({ kind: 'refund', orderId: event.orderId, lines: refunded, amount: scope.amount, net: scope.net });
  return accept(program, account, `event:${event.id}`, event.occurredAt, { kind: 'event', eventId: event.id, eventType: 'refund' }, entries);
}
