import { Decimal, ZERO, ONE, HUNDRED } from '../../money/decimal';
import { allocate, minorUnits, round } from '../../money';
import { addDaysIn } from '../../time';
import { isExpiredAt } from '../../ledger/read';
import type { ProgressState } from './state';
import type { AccountState, Entry, LineShare, Lot, Transaction, Unit } from '../../ledger/types';
import { earnLot, type NewLot } from '../../engine/earn-lot';
import type { PurchaseEvent, RefundEvent } from '../../schema/events';
import type { ExpiryPolicy, SpendProgramConfig } from '../../schema/program';
import { expiresAt } from '../../engine/expiry';
import { clawbackEntries, foldDraft } from '../../engine/lots';
import type { Notification } from '../../engine/notifications';
import type { OrderView } from '../../engine/order';
import type { Program } from '../../engine/program-type';
import { redemptionDraws, restoredFrom, restoreEntry } from '../../engine/restore';
import { refundTarget, unitsShare } from '../../engine/refund';
import type { KindEventContext, KindHooks, KindResult } from '../types';
import { lotId, noticeId, noticePrefix } from '../../ledger/ids';

// The spend kind: cash-back / store credit in money, and Kohl's-style progress.
//
// Cash-back credit lots carry their split over the order's lines but no `orderId`: the spend kind
// claws them back itself on refunds (below), in the currency's minor units. The shared refund
// (engine/refund.ts) splits a line's share per unit and rounds refunds by amount in whole units
// only, which is right for points and punches but not for cents of credit.

const NOTHING: KindResult = { entries: [], notifications: [] };
/** The rule id recorded on cash-back lots (lot id `<event>:credit`). */
const CASH_BACK = 'credit';
/** The rule id recorded on converted rewards unless the config names one (lot id `<event>:reward:<n>`). */
const REWARD = 'reward';

function spendConfig(program: Program): SpendProgramConfig {
  const config = program.config;
  if (config.kind !== 'spend') throw new TypeError(`program ${program.id} is a ${config.kind} program, not a spend program`);
  return config;
}

const creditUnit = (config: SpendProgramConfig): Unit => `credit:${config.currency}`;
const rewardRule = (config: SpendProgramConfig): string => config.progress?.rewardId ?? REWARD;
const sum = (xs: readonly Decimal[]): Decimal => xs.reduce((s, x) => s.plus(x), ZERO);

/** The progress state of an account (zero when it has none yet). */
function progressOf(state: AccountState): ProgressState {
  const p = state.kinds.progress;
  return p?.kind === 'progress' ? p : { kind: 'progress', carried: ZERO, converted: 0, unwound: 0 };
}

/** A line's cash-back percent: the highest of its categories' percents, else the program's. */
function percentOf(credit: NonNullable<SpendProgramConfig['credit']>, categories: readonly string[]): Decimal {
  let best: Decimal | undefined;
  for (const c of categories) {
    const p = Object.hasOwn(credit.categoryPercents, c) ? credit.categoryPercents[c] : undefined;
    if (p !== undefined && (best === undefined || p.gt(best))) best = p;
  }
  return best ?? credit.percent;
}

/** The largest whole n with n × step ≤ x (x, step > 0), exactly. */
function wholeTimes(x: Decimal, step: Decimal): Decimal {
  let n = x.div(step).floor();
  while (n.times(step).gt(x)) n = n.minus(1);
  while (n.plus(1).times(step).lte(x)) n = n.plus(1);
  return n;
}

/** The smallest whole n with n × step ≥ x (x, step > 0), exactly. */
function wholeTimesUp(x: Decimal, step: Decimal): Decimal {
  const n = wholeTimes(x, step);
  return n.times(step).eq(x) ? n : n.plus(1);
}

/** The decimals needed to split amounts exactly. */
const placesOf = (xs: readonly Decimal[]): number => xs.reduce((m, x) => Math.max(m, x.decimalPlaces()), 0);

// ---- Purchases ---------------------------------------------------------------------------------

/** Writes earn entries for one event, repaying the unit's debt first, and sums what they earned. */
class Earner {
  readonly entries: Entry[] = [];
  total = ZERO;
  pending = ZERO;
  private debt: Decimal;

  constructor(
    private readonly config: SpendProgramConfig,
    private readonly event: PurchaseEvent,
    after: AccountState,
  ) {
    this.debt = after.debt[creditUnit(config)] ?? ZERO;
  }

  earn(id: string, ruleId: string, amount: Decimal, pendingDays: number, policy: ExpiryPolicy, lines?: LineShare[]): void {
    const { config, event } = this;
    const at = event.occurredAt;
    const availableAt = pendingDays > 0 ? addDaysIn(at, pendingDays, config.timeZone) : at;
    const unit = creditUnit(config);
    const lot: NewLot = {
      id,
      unit,
      amount,
      earnedAt: at,
      availableAt,
      expiresAt: expiresAt(policy, at, config.timeZone),
      account: availableAt.getTime() > at.getTime() ? 'pending' : 'available',
      cause: { eventId: event.id, ruleId, programVersion: config.version },
    };
    const earned = earnLot(lot, this.debt, ruleId, lines);
    this.debt = earned.debt;
    this.entries.push(earned.entry);
    this.total = this.total.plus(amount);
    if (lot.account === 'pending') this.pending = this.pending.plus(amount);
  }
}

/**
 * A purchase: cash-back credit (one lot, split over the lines by their weighted eligible amounts),
 * then progress, converting each full threshold into a reward lot and carrying the rest.
 */
function onPurchase(ctx: KindEventContext, config: SpendProgramConfig, event: PurchaseEvent, order: OrderView): KindResult {
  const earner = new Earner(config, event, ctx.after);
  const places = minorUnits(config.currency);
  const stateEntries: Entry[] = [];

  if (config.credit) {
    const credit = config.credit;
    const weights = order.lines.map((v) => (v.excluded ? ZERO : Decimal.max(ZERO, v.eligible).times(percentOf(credit, v.line.categories))));
    // One rounding for the whole order, to the currency's minor unit.
    const amount = round(sum(weights).div(HUNDRED), places, credit.rounding);
    if (amount.gt(0)) {
      const shares = allocate(amount, weights, { places });
      const lines = order.lines.map((v, l): LineShare => ({ lineId: v.line.lineId, quantity: v.line.quantity, amount: shares[l] ?? ZERO }));
      earner.earn(lotId({ kind: 'rule', eventId: event.id, ruleId: CASH_BACK }), CASH_BACK, amount, credit.pendingDays, credit.expiry, lines);
    }
  }

  if (config.progress) {
    const progress = config.progress;
    const perLine = order.lines.map((v) => (v.excluded ? ZERO : Decimal.max(ZERO, v.eligible).times(progress.per)));
    const added = sum(perLine);
    if (added.gt(0)) {
      const before = progressOf(ctx.after);
      const total = before.carried.plus(added);
      const count = wholeTimes(total, progress.threshold).toNumber();
      const carried = total.minus(progress.threshold.times(count));
      for (let k = 1; k <= count; k++) earner.earn(lotId({ kind: 'reward', eventId: event.id, n: k }), rewardRule(config), progress.reward, progress.pendingDays, progress.expiry);
      const value: ProgressState = {
        kind: 'progress',
        carried,
        converted: before.converted + count,
        unwound: before.unwound,
        order: {
          orderId: event.orderId,
          progress: added,
          lines: order.lines.map((v, l) => ({ lineId: v.line.lineId, quantity: v.line.quantity, amount: perLine[l] ?? ZERO })),
          rewardsConverted: count,
        },
      };
      const converted = count === 0 ? 'no reward yet' : `${count} reward(s) of ${progress.reward.toString()} ${config.currency} converted at ${progress.threshold.toString()} each`;
      stateEntries.push({
        kind: 'state',
        key: 'progress',
        value,
        reason: `order ${event.orderId} added ${added.toString()} progress to ${before.carried.toString()} carried: ${converted}; ${carried.toString()} carried`,
      });
    }
  }

  const notifications: Notification[] = [];
  if (earner.total.gt(0)) {
    notifications.push({
      id: noticeId(noticePrefix('event', event.id), 'credit.earned'),
      type: 'credit.earned',
      programId: ctx.program.id,
      customerId: ctx.account.customerId,
      at: event.occurredAt,
      amount: earner.total,
      currency: config.currency,
      pending: earner.pending,
      eventId: event.id,
    });
  }
  return { entries: [...earner.entries, ...stateEntries], notifications };
}

// ---- Refunds -----------------------------------------------------------------------------------

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
function onRefund(ctx: KindEventContext, config: SpendProgramConfig, event: RefundEvent): KindResult {
  // The shared refund records what it refunded; without that record nothing was refunded.
  const refunded = ctx.entries.find((e) => e.kind === 'refund' && e.orderId === event.orderId);
  if (refunded?.kind !== 'refund') return NOTHING;
  const history = readOrder(event.orderId, ctx.orderTransactions, config);
  if (!history || ctx.account.marks[`reversed:${history.purchase}`] !== undefined) return NOTHING;
  const at = event.occurredAt;
  const unit = creditUnit(config);
  const places = minorUnits(config.currency);

  const byLines = event.lines !== undefined;
  const quantities = new Map(history.lines.map((l) => [l.lineId, l.quantity]));
  const parts = refunded.lines.map((r) => ({ lineId: r.lineId, quantity: r.quantity, from: history.refundedUnits.get(r.lineId) ?? 0, of: quantities.get(r.lineId) ?? 0 }));
  const refunding = new Map(parts.map((p) => [p.lineId, p.quantity]));
  const unitsAfter = (lineId: string): number => (history.refundedUnits.get(lineId) ?? 0) + (refunding.get(lineId) ?? 0);
  const allUnits = history.lines.every((l) => unitsAfter(l.lineId) >= l.quantity);
  const complete = (byLines && allUnits) || history.refundedNet.plus(refunded.net).gte(history.subtotal);
  const shares = (lot: CreditLot): ReadonlyMap<string, LineShare> => new Map(lot.lines.map((x) => [x.lineId, x]));

  // 1. Cash-back credit of the order.
  const wants: { lot: string; unit: Unit; amount: Decimal; lines?: LineShare[] }[] = [];
  for (const lot of history.cashBack) {
    const already = history.clawed.get(lot.lot) ?? ZERO;
    const left = lot.amount.minus(already);
    if (!left.gt(0)) continue;
    let take = ZERO;
    const lines: LineShare[] = [];
    if (complete) take = left;
    else {
      // One cumulative target over every refund of the order, by line and by amount (see
      // refundTarget), so the order of refunds never changes what they take together.
      const target = refundTarget(lot, { units: unitsAfter, amount: history.refundedAmount.plus(refunded.amount) }, history.eligible, places, config.credit?.rounding ?? 'half-up');
      take = Decimal.min(Decimal.max(ZERO, target.minus(already)), left);
      // The take split over the lines this refund names, in order, until used up.
      let rest = take;
      const byId = shares(lot);
      for (const p of parts) {
        const share = byId.get(p.lineId);
        const part = share && rest.gt(0) ? Decimal.min(rest, unitsShare(share.amount, p.of, p.from, p.quantity, places)) : ZERO;
        if (part.gt(0)) lines.push({ lineId: p.lineId, quantity: p.quantity, amount: part });
        rest = rest.minus(part);
      }
    }
    if (take.gt(0)) wants.push({ lot: lot.lot, unit, amount: take, ...(lines.length > 0 ? { lines } : {}) });
  }

  // 2. Progress of the order, and the rewards it can no longer carry.
  const stateEntries: Entry[] = [];
  if (config.progress && history.progress) {
    const { added, lines } = history.progress;
    const left = added.minus(history.progressTaken);
    // Progress splits per unit in the currency's minor units (or finer, if an amount needs it).
    const dp = Math.max(places, placesOf([added, ...lines.map((l) => l.amount)]));
    let take = ZERO;
    if (left.gt(0)) {
      if (complete) take = left;
      else if (byLines) {
        for (const p of parts) {
          const share = lines.find((s) => s.lineId === p.lineId);
          if (share) take = take.plus(unitsShare(share.amount, p.of, p.from, p.quantity, dp));
        }
      } else take = refunded.amount.times(config.progress.per);
      take = Decimal.min(take, left);
    }
    if (take.gt(0)) {
      const before = progressOf(ctx.after);
      let carried = before.carried.minus(take);
      let taken = 0;
      if (carried.isNegative()) {
        const outstanding = Math.max(0, before.converted - before.unwound);
        taken = Math.min(outstanding, wholeTimesUp(carried.neg(), config.progress.threshold).toNumber());
        carried = Decimal.max(ZERO, carried.plus(config.progress.threshold.times(taken)));
        const candidates = rewardCandidates(ctx.after, history, config, at);
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
      stateEntries.push({
        kind: 'state',
        key: 'progress',
        value,
        reason: `refund ${event.id} of order ${event.orderId} took back ${take.toString()} progress from ${before.carried.toString()} carried${taken > 0 ? `, and ${taken} converted reward(s)` : ''}; ${carried.toString()} carried`,
      });
    }
  }

  const entries: Entry[] = wants.length > 0 ? clawbackEntries(ctx.after, wants, at, ctx.program.config, event.orderId) : [];

  // 3. Credit that paid for the order comes back in the refunded proportion, to the cent (the
  //    shared refund gives back whole units; this tops it up).
  let state = foldDraft(ctx.after, at, entries);
  const fraction = complete || history.subtotal.isZero() ? ONE : Decimal.min(ONE, history.refundedNet.plus(refunded.net).div(history.subtotal));
  for (const redemption of history.redemptions) {
    const draws = redemptionDraws(redemption).filter((d) => d.terms.unit === unit);
    if (draws.length === 0) continue;
    const total = sum(draws.map((d) => d.amount));
    const done = restoredFrom(state, redemption.id);
    const target = complete ? total : round(total.times(fraction), places, 'down');
    if (!target.gt(done)) continue;
    const entry = restoreEntry(state, redemption, done, target.minus(done), at);
    if (entry) {
      entries.push(entry);
      state = foldDraft(state, at, [entry]);
    }
  }
  return { entries: [...entries, ...stateEntries], notifications: [] };
}

/**
 * The `spend` kind's hooks. Its unit is store credit in the program's currency
 * (`credit:<CUR>`, worth one currency unit each), so quotes, redemptions and holds burn credit,
 * capped by the order's redeemable amount. On a purchase it earns cash-back credit and/or builds
 * Kohl's-style progress (see `spendProgramSchema`); on a refund it claws the credit back exactly
 * and takes the progress back. Pending credit is released and expired credit removed by `tick`,
 * as for any lot.
 *
 * @example
 * ```ts
 * const program = defineProgram({ kind: 'spend', id: 'cash-back', version: 1, currency: 'USD', timeZone: 'UTC', credit: { percent: 5 } });
 * spendHooks.unit(program); // 'credit:USD'
 * const d = evaluate(program, openAccount(program, 'c1'), parseEvent({
 *   id: 'e1', customerId: 'c1', type: 'purchase', orderId: 'A', currency: 'USD', occurredAt: '2027-03-01T12:00:00Z',
 *   lines: [{ lineId: 'l1', sku: 'shoes', quantity: 1, unitPrice: '80.00' }],
 * }));
 * // d.transaction.entries: activity, then an earn of 4.00 `credit:USD` (lot `e1:credit`)
 * ```
 */
export const spendHooks: KindHooks = {
  unit: (program) => creditUnit(spendConfig(program)),
  rate: () => ONE,
  onEvent: (ctx) => {
    const config = spendConfig(ctx.program);
    if (ctx.event.type === 'purchase' && ctx.order) return onPurchase(ctx, config, ctx.event, ctx.order);
    if (ctx.event.type === 'refund') return onRefund(ctx, config, ctx.event);
    return NOTHING;
  },
};
