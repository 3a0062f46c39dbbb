// A refund in a spend program: the cash-back credit clawed back, the progress taken back (and
// converted rewards with it), and the credit that paid for the order given back.
import { Decimal, ZERO, ONE } from '../../money/decimal';
import { markOf } from '../../ledger/lot-index';
import { minorUnits, round } from '../../money';
import { isExpiredAt } from '../../ledger/read';
import type { AccountState, Entry, LineShare, Lot, Transaction, Unit } from '../../ledger/types';
import { lotId } from '../../ledger/ids';
import type { RefundEvent } from '../../schema/events';
import { clawbackEntries, foldDraft } from '../../engine/lots';
import { redemptionDraws, restoredFrom, restoreEntry } from '../../engine/restore';
import { refundTarget, unitsShare } from '../../engine/refund';
import type { KindEventContext, KindResult } from '../types';
import { CASH_BACK, NOTHING, creditUnit, placesOf, progressOf, rewardRule, sum, wholeTimesUp } from './common';
import type { ProgressState } from './state';
import type { SpendProgramConfig } from './schema';

interface CreditLot {
  readonly lot: string;
  readonly amount: Decimal;
  readonly lines: readonly LineShare[];
}

/** What the order's ledger says, as the spend kind needs it. */
interface OrderHistory {
  /** The purchase transaction (a reversal of it undoes everything already). */
  readonly purchase: string;
  readonly lines: readonly { readonly lineId: string; readonly quantity: number }[];
  readonly subtotal: Decimal;
  readonly eligible: Decimal;
  readonly cashBack: readonly CreditLot[];
  /** Reward lots the purchase converted, in order. */
  readonly rewards: readonly string[];
  /** The progress the purchase added, and per line. */
  readonly progress: { readonly added: Decimal; readonly lines: readonly LineShare[] } | null;
  /** Progress earlier refunds of the order took back. */
  readonly progressTaken: Decimal;
  readonly refundedUnits: ReadonlyMap<string, number>;
  readonly refundedAmount: Decimal;
  readonly refundedNet: Decimal;
  /** Per lot: what clawbacks on the order already took. */
  readonly clawed: ReadonlyMap<string, Decimal>;
  /** Redemptions that paid for the order. */
  readonly redemptions: readonly Transaction[];
}

function readOrder(orderId: string, txs: readonly Transaction[], config: SpendProgramConfig): OrderHistory | null {
  const unit = creditUnit(config);
  let found: Omit<OrderHistory, 'progressTaken' | 'refundedUnits' | 'refundedAmount' | 'refundedNet' | 'clawed' | 'redemptions'> | null = null;
  let progressTaken = ZERO;
  const refundedUnits = new Map<string, number>();
  let refundedAmount = ZERO;
  let refundedNet = ZERO;
  const clawed = new Map<string, Decimal>();
  const redemptions: Transaction[] = [];
  for (const tx of txs) {
    const activity = tx.entries.find((e) => e.kind === 'activity' && e.orderId === orderId && e.lines !== undefined);
    if (activity?.kind === 'activity' && activity.lines) {
      const cashBack: CreditLot[] = [];
      const rewards: string[] = [];
      let progress: OrderHistory['progress'] = null;
      for (const e of tx.entries) {
        if (e.kind === 'earn' && e.unit === unit && e.ruleId === CASH_BACK) cashBack.push({ lot: e.lot.id, amount: e.lot.amount, lines: e.lines ?? [] });
        else if (e.kind === 'earn' && e.unit === unit && e.ruleId === rewardRule(config)) rewards.push(e.lot.id);
        else if (e.kind === 'state' && e.value?.kind === 'progress' && e.value.order?.orderId === orderId && e.value.order.progress.gt(0)) {
          progress = { added: e.value.order.progress, lines: e.value.order.lines ?? [] };
        }
      }
      found = { purchase: tx.id, lines: activity.lines, subtotal: activity.spend, eligible: activity.eligible ?? ZERO, cashBack, rewards, progress };
      continue;
    }
    for (const e of tx.entries) {
      if (e.kind === 'refund' && e.orderId === orderId) {
        for (const l of e.lines) refundedUnits.set(l.lineId, (refundedUnits.get(l.lineId) ?? 0) + l.quantity);
        refundedAmount = refundedAmount.plus(e.amount);
        refundedNet = refundedNet.plus(e.net);
      } else if (e.kind === 'clawback' && e.orderId === orderId) {
        for (const a of e.against) clawed.set(a.lot, (clawed.get(a.lot) ?? ZERO).plus(a.amount));
      } else if (e.kind === 'state' && e.value?.kind === 'progress' && e.value.order?.orderId === orderId && e.value.order.progress.isNegative()) {
        progressTaken = progressTaken.minus(e.value.order.progress);
      } else if ((e.kind === 'redeem' || e.kind === 'capture') && e.orderId === orderId && !redemptions.includes(tx)) {
        redemptions.push(tx);
      }
    }
  }
  return found && { ...found, progressTaken, refundedUnits, refundedAmount, refundedNet, clawed, redemptions };
}

/** Reward lots a refund can take back, in order: the order's own, then the latest others; none that expired. */
function rewardCandidates(state: AccountState, history: OrderHistory, config: SpendProgramConfig, at: Date): Lot[] {
  const unit = creditUnit(config);
  const present = state.lots.filter((l) => l.unit === unit && l.cause.ruleId === rewardRule(config) && !isExpiredAt(l, at));
  const own = history.rewards.flatMap((id) => present.filter((l) => l.id === id)).reverse();
  const latestFirst = (a: Lot, b: Lot): number =>
    b.earnedAt.getTime() - a.earnedAt.getTime() || b.id.length - a.id.length || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
  const others = present.filter((l) => !history.rewards.includes(l.id)).sort(latestFirst);
  return [...own, ...others];
}

/** What this refund covers: the refunded lines (units before and after), and whether the order is now fully refunded. */
interface RefundScope {
  readonly event: RefundEvent;
  readonly refunded: Extract<Entry, { kind: 'refund' }>;
  readonly history: OrderHistory;
  readonly byLines: boolean;
  readonly parts: readonly { readonly lineId: string; readonly quantity: number; readonly from: number; readonly of: number }[];
  readonly unitsAfter: (lineId: string) => number;
  readonly complete: boolean;
  readonly places: number;
}

function refundScope(event: RefundEvent, refunded: Extract<Entry, { kind: 'refund' }>, history: OrderHistory, config: SpendProgramConfig): RefundScope {
  const byLines = event.lines !== undefined;
  const quantities = new Map(history.lines.map((l) => [l.lineId, l.quantity]));
  const parts = refunded.lines.map((r) => ({ lineId: r.lineId, quantity: r.quantity, from: history.refundedUnits.get(r.lineId) ?? 0, of: quantities.get(r.lineId) ?? 0 }));
  const refunding = new Map(parts.map((p) => [p.lineId, p.quantity]));
  const unitsAfter = (lineId: string): number => (history.refundedUnits.get(lineId) ?? 0) + (refunding.get(lineId) ?? 0);
  const allUnits = history.lines.every((l) => unitsAfter(l.lineId) >= l.quantity);
  const complete = (byLines && allUnits) || history.refundedNet.plus(refunded.net).gte(history.subtotal);
  return { event, refunded, history, byLines, parts, unitsAfter, complete, places: minorUnits(config.currency) };
}

type Want = { lot: string; unit: Unit; amount: Decimal; lines?: LineShare[] };

/** 1. The cash-back credit of the order to claw back, lot by lot, split over the lines this refund names. */
function cashBackWants(scope: RefundScope, config: SpendProgramConfig): Want[] {
  const { history, refunded, parts, places } = scope;
  const wants: Want[] = [];
  for (const lot of history.cashBack) {
    const already = history.clawed.get(lot.lot) ?? ZERO;
    const left = lot.amount.minus(already);
    if (!left.gt(0)) continue;
    let take = ZERO;
    const lines: LineShare[] = [];
    if (scope.complete) take = left;
    else {
      // One cumulative target over every refund of the order, by line and by amount (see
      // refundTarget), so the order of refunds never changes what they take together.
      const target = refundTarget(lot, { units: scope.unitsAfter, amount: history.refundedAmount.plus(refunded.amount) }, history.eligible, places, config.credit?.rounding ?? 'half-up');
      take = Decimal.min(Decimal.max(ZERO, target.minus(already)), left);
      // The take split over the lines this refund names, in order, until used up.
      let rest = take;
      const byId = new Map(lot.lines.map((x) => [x.lineId, x]));
      for (const p of parts) {
        const share = byId.get(p.lineId);
        const part = share && rest.gt(0) ? Decimal.min(rest, unitsShare(share.amount, p.of, p.from, p.quantity, places)) : ZERO;
        if (part.gt(0)) lines.push({ lineId: p.lineId, quantity: p.quantity, amount: part });
        rest = rest.minus(part);
      }
    }
    if (take.gt(0)) wants.push({ lot: lot.lot, unit: creditUnit(config), amount: take, ...(lines.length > 0 ? { lines } : {}) });
  }
  return wants;
}

/** The progress this refund takes back: by line (each line's progress per unit), by amount (× `per`), all that is left once complete. */
function progressToTake(scope: RefundScope, progress: NonNullable<SpendProgramConfig['progress']>, added: Decimal, lines: readonly LineShare[]): Decimal {
  const left = added.minus(scope.history.progressTaken);
  if (!left.gt(0)) return ZERO;
  if (scope.complete) return left;
  // Progress splits per unit in the currency's minor units (or finer, if an amount needs it).
  const dp = Math.max(scope.places, placesOf([added, ...lines.map((l) => l.amount)]));
  let take = ZERO;
  if (scope.byLines) {
    for (const p of scope.parts) {
      const share = lines.find((s) => s.lineId === p.lineId);
      if (share) take = take.plus(unitsShare(share.amount, p.of, p.from, p.quantity, dp));
    }
  } else take = scope.refunded.amount.times(progress.per);
  return Decimal.min(take, left);
}

/**
 * 2. The progress of the order comes back off the carried progress; when that falls short,
 * converted rewards are taken back (added to `wants`), one whole reward per threshold, and the
 * surplus is carried again. Returns the progress `state` entry, if any.
 */
function takeBackProgress(ctx: KindEventContext, scope: RefundScope, config: SpendProgramConfig, wants: Want[]): Entry[] {
  const { event, history } = scope;
  if (!config.progress || !history.progress) return [];
  const take = progressToTake(scope, config.progress, history.progress.added, history.progress.lines);
  if (!take.gt(0)) return [];
  const before = progressOf(ctx.after);
  let carried = before.carried.minus(take);
  let taken = 0;
  if (carried.isNegative()) {
    const outstanding = Math.max(0, before.converted - before.unwound);
    taken = Math.min(outstanding, wholeTimesUp(carried.neg(), config.progress.threshold).toNumber());
    carried = Decimal.max(ZERO, carried.plus(config.progress.threshold.times(taken)));
    const candidates = rewardCandidates(ctx.after, history, config, event.occurredAt);
    const unit = creditUnit(config);
    for (let i = 0; i < taken; i++) {
      const lot = candidates[i];
      // A reward no longer held (spent or expired) is taken back as the return policy says.
      wants.push(lot ? { lot: lot.id, unit, amount: lot.amount } : { lot: lotId({ kind: 'reward-taken', eventId: event.id, n: i + 1 }), unit, amount: config.progress.reward });
    }
  }
  const value: ProgressState = {
    kind: 'progress',
    carried,
    converted: before.converted,
    unwound: before.unwound + taken,
    order: { orderId: event.orderId, progress: take.neg(), rewardsTaken: taken },
  };
  const reason = `refund ${event.id} of order ${event.orderId} took back ${take.toString()} progress from ${before.carried.toString()} carried${taken > 0 ? `, and ${taken} converted reward(s)` : ''}; ${carried.toString()} carried`;
  return [{ kind: 'state', key: 'progress', value, reason }];
}

/**
 * 3. Credit that paid for the order comes back in the refunded proportion, to the cent (the
 * shared refund gives back whole units; this tops it up). Appends the restore entries to `entries`.
 */
function restorePaidCredit(ctx: KindEventContext, scope: RefundScope, config: SpendProgramConfig, entries: Entry[]): void {
  const { history, refunded, complete } = scope;
  const at = scope.event.occurredAt;
  const unit = creditUnit(config);
  let state = foldDraft(ctx.after, at, entries);
  const fraction = complete || history.subtotal.isZero() ? ONE : Decimal.min(ONE, history.refundedNet.plus(refunded.net).div(history.subtotal));
  for (const redemption of history.redemptions) {
    const draws = redemptionDraws(redemption).filter((d) => d.terms.unit === unit);
    if (draws.length === 0) continue;
    const total = sum(draws.map((d) => d.amount));
    const done = restoredFrom(state, redemption.id);
    const target = complete ? total : round(total.times(fraction), scope.places, 'down');
    if (!target.gt(done)) continue;
    const entry = restoreEntry(state, redemption, done, target.minus(done), at);
    if (entry) {
      entries.push(entry);
      state = foldDraft(state, at, [entry]);
    }
  }
}

/**
 * A refund: claws back the cash-back credit the refunded part earned — by line (the line's share,
 * per unit, largest remainder, in the currency's minor units), by amount (credit × refunded /
 * eligible, rounded with the credit's rounding), and exactly what is left once the order is fully
 * refunded; gives back, to the cent, the share of the credit that paid for the order; and takes
 * back the progress the refunded part added (by line: the line's progress per unit; by amount:
 * amount × `per`; never more than the order added). When the carried progress falls short, converted
 * rewards are taken back, one whole reward per threshold, and the surplus is carried again, so a
 * fully refunded order leaves progress as if it had never been bought.
 */
export function onRefund(ctx: KindEventContext, config: SpendProgramConfig, event: RefundEvent): KindResult {
  // The shared refund records what it refunded; without that record nothing was refunded.
  const refunded = ctx.entries.find((e) => e.kind === 'refund' && e.orderId === event.orderId);
  if (refunded?.kind !== 'refund') return NOTHING;
  const history = readOrder(event.orderId, ctx.orderTransactions, config);
  if (!history || markOf(ctx.account, `reversed:${history.purchase}`) !== undefined) return NOTHING;
  const scope = refundScope(event, refunded, history, config);
  const wants = cashBackWants(scope, config);
  const stateEntries = takeBackProgress(ctx, scope, config, wants);
  const entries: Entry[] = wants.length > 0 ? clawbackEntries(ctx.after, wants, event.occurredAt, ctx.program.config, event.orderId) : [];
  restorePaidCredit(ctx, scope, config, entries);
  return { entries: [...entries, ...stateEntries], notifications: [] };
}

