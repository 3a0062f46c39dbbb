// The paid kind's hooks: membership events move the machine (machine.ts), purchases and refunds
// record the member value, `tick` records what time did; facts, multipliers and the member discount.
import { ONE, HUNDRED, ZERO, type Decimal } from '../../money/decimal';
import { minorUnits, round } from '../../money';
import type { AccountState, Entry, Transaction } from '../../ledger/types';
import type { LoyaltyEvent } from '../../schema/events';
import type { OrderView } from '../../engine/order';
import type { Program } from '../../engine/program-type';
import { noticeId, noticePrefix, tickId } from '../../ledger/ids';
import { pointsLike, stepsToResult } from '../shared';
import type { KindCache, KindEventContext, KindHooks, KindResult } from '../types';
import { PAID_FACTS } from './facts';
import { cancelled, membershipState, paidConfig, payment, renewalNoticeOwed, started, trialNoticeAt, type Step } from './machine';
import { caughtUp, holdsIn } from './caught-up';
import type { MembershipState } from './state';
import type { PaidProgramConfig } from './schema';

/** The order's redeemable amount: lines net of discounts, lines excluded from redemption left out. */
function discountBase(config: PaidProgramConfig, order: OrderView): Decimal {
  const ex = config.redemption.exclude;
  return order.lines.reduce((sum, view) => {
    const line = view.line;
    const excluded = ex.skus.includes(line.sku) || line.categories.some((c) => ex.categories.includes(c)) || line.tags.some((t) => ex.tags.includes(t));
    return excluded ? sum : sum.plus(view.net);
  }, ZERO);
}

export function discountOf(config: PaidProgramConfig, base: Decimal, currency: string): Decimal {
  return round(base.times(config.membership.benefits.discountPercent).div(HUNDRED), minorUnits(currency), 'down');
}

function purchaseValue(config: PaidProgramConfig, m: MembershipState | null, event: LoyaltyEvent, order: OrderView | undefined, cache: KindCache | undefined): Step[] {
  if (event.type !== 'purchase' || order === undefined || m === null) return [];
  if (!holdsIn(config, m, event.occurredAt, cache)) return [];
  const value = discountOf(config, discountBase(config, order), config.currency);
  if (!value.gt(0)) return [];
  const next: MembershipState = { ...m, valueReceived: m.valueReceived.plus(value), orderValue: { orderId: event.orderId, amount: value } };
  return [{ state: next, reason: `member discount of ${value.toString()} ${config.currency} on order ${event.orderId}`, notices: [] }];
}

function refundValue(config: PaidProgramConfig, m: MembershipState | null, event: LoyaltyEvent, entries: readonly Entry[], history: readonly Transaction[]): Step[] {
  if (event.type !== 'refund' || m === null) return [];
  const orderId = event.orderId;
  let credited = ZERO;
  let taken = ZERO;
  let subtotal = ZERO;
  let refundedBefore = ZERO;
  for (const tx of history) {
    for (const e of tx.entries) {
      if (e.kind === 'state' && e.value?.kind === 'membership' && e.value.orderValue?.orderId === orderId) {
        const amount = e.value.orderValue.amount;
        if (amount.gt(0)) credited = credited.plus(amount);
        else taken = taken.minus(amount);
      } else if (e.kind === 'activity' && e.orderId === orderId && e.orders > 0) subtotal = e.spend;
      else if (e.kind === 'refund' && e.orderId === orderId) refundedBefore = refundedBefore.plus(e.net);
    }
  }
  if (!credited.gt(0) || !subtotal.gt(0)) return [];
  const now = entries.reduce((s, e) => (e.kind === 'refund' && e.orderId === orderId ? s.plus(e.net) : s), ZERO);
  const refunded = refundedBefore.plus(now);
  const target = refunded.gte(subtotal) ? credited : round(credited.times(refunded).div(subtotal), minorUnits(config.currency), 'down');
  const take = target.minus(taken);
  if (!take.gt(0)) return [];
  const next: MembershipState = { ...m, valueReceived: m.valueReceived.minus(take), orderValue: { orderId, amount: take.neg() } };
  return [{ state: next, reason: `refund of order ${orderId}: its member discount of ${take.toString()} ${config.currency} no longer counts`, notices: [] }];
}

/** Membership steps as `state` entries and their notices, ids from the prefix and type (`:2`, `:3`… for a repeated type). */
function record(program: Program, account: AccountState, steps: readonly Step[], prefix: string, at: Date): KindResult {
  const stateSteps = steps.map((s) => ({ state: s.state, reason: s.reason, notices: s.notices.map((body) => ({ body, at })) }));
  return stepsToResult({ program, customerId: account.customerId, key: 'membership' }, stateSteps, (body, _at, n) => (n > 1 ? noticeId(prefix, body.type, String(n)) : noticeId(prefix, body.type)));
}

function onEvent(ctx: KindEventContext): KindResult {
  const config = paidConfig(ctx.program);
  const none: KindResult = { entries: [], notifications: [] };
  if (config === null) return none;
  const { event } = ctx;
  const stored = membershipState(ctx.after);
  const prefix = noticePrefix('event', event.id);
  if (event.type === 'membership_started' || event.type === 'membership_payment' || event.type === 'membership_cancelled') {
    const timeSteps = stored === null ? [] : caughtUp(config, stored, event.occurredAt, ctx.cache);
    const m = timeSteps.at(-1)?.state ?? stored;
    const result = event.type === 'membership_started' ? started(config, m, event) : event.type === 'membership_payment' ? payment(config, m, event) : cancelled(m, event);
    if (result.issues.length > 0) return { ...none, issues: result.issues };
    return record(ctx.program, ctx.account, [...timeSteps, ...result.steps], prefix, event.occurredAt);
  }
  if (event.type === 'purchase') return record(ctx.program, ctx.account, purchaseValue(config, stored, event, ctx.order, ctx.cache), prefix, event.occurredAt);
  if (event.type === 'refund') return record(ctx.program, ctx.account, refundValue(config, stored, event, ctx.entries, ctx.orderTransactions), prefix, event.occurredAt);
  return none;
}

/**
 * The `paid` kind's hooks: points are earned and burnt like the points kind, plus the membership.
 *
 * - `onEvent`: `membership_started` (with or without a trial), `membership_payment` (succeeded or
 *   failed; a currency other than the program's is refused `currency_mismatch`) and
 *   `membership_cancelled` move the machine, after first recording what time did by the event's
 *   instant; purchases while benefits hold add their member value, refunds take back its share.
 *   Refusals: `membership_exists`, `trial_unavailable`, `no_membership`, `period_already_paid`,
 *   `already_cancelled`, `membership_inactive`.
 * - `onTick`: `membership.trial_ending` (trialNoticeDays before the trial ends, once); the trial's
 *   end unpaid → expired; a due date passed unpaid → past due with grace until due + graceDays and
 *   `membership.renewal_due` (once per due date, not for the join); grace over → expired; a
 *   cancelled membership at its paid-through date → expired.
 * - `nextDueAt`: the next of those instants. `facts`: `membership.active`. `multipliers`: the
 *   benefits' points multiplier. `discount`: the member discount a quote shows.
 *
 * Benefits hold while trialing, active, past due within grace, and cancelled until the
 * paid-through date; never once expired.
 *
 * @example
 * ```ts
 * hooksOf(program) === paidHooks; // for a program of kind 'paid'
 * paidHooks.discount?.({ program, account, customer: undefined, at, order, eligibleAmount: new Decimal('80') });
 * // { percent: 10, amount: 8 } while benefits hold, else null
 * ```
 */
export const paidHooks = {
  ...pointsLike,
  facts: PAID_FACTS,
  multipliers: ({ program, account, at, cache }) => {
    const config = paidConfig(program);
    if (config === null || !holdsIn(config, membershipState(account), at, cache)) return [];
    const factor = config.membership.benefits.pointsMultiplier;
    return factor.eq(ONE) ? [] : [factor];
  },
  onEvent,
  onTick: ({ program, account, now, after, cache }) => {
    const config = paidConfig(program);
    const m = membershipState(after);
    if (config === null || m === null) return { entries: [], notifications: [] };
    return record(program, account, caughtUp(config, m, now, cache), `${tickId(now)}:membership`, now);
  },
  nextDueAt: ({ program, account, after }) => {
    const config = paidConfig(program);
    const m = membershipState(account);
    if (config === null || m === null) return null;
    const candidates: (Date | null)[] = [];
    switch (m.status) {
      case 'trialing':
        candidates.push(trialNoticeAt(config, m), m.trialEndsAt);
        break;
      case 'active':
        candidates.push(m.nextDueAt);
        break;
      case 'past_due':
        candidates.push(m.graceEndsAt, renewalNoticeOwed(m));
        break;
      case 'cancelled':
        candidates.push(m.endsAt ?? after);
        break;
      case 'expired':
        break;
    }
    // An instant already past (a late event changed the state) is due at once.
    const soon = after.getTime() + 1;
    let best: number | null = null;
    for (const d of candidates) {
      if (d === null) continue;
      const t = Math.max(d.getTime(), soon);
      if (best === null || t < best) best = t;
    }
    return best === null ? null : new Date(best);
  },
  discount: ({ program, account, at, order, eligibleAmount, cache }) => {
    const config = paidConfig(program);
    if (config === null || !holdsIn(config, membershipState(account), at, cache)) return null;
    const percent = config.membership.benefits.discountPercent;
    if (percent.isZero()) return null;
    return { percent, amount: discountOf(config, eligibleAmount, order.currency) };
  },
} satisfies KindHooks;

