// The `paid` kind: a fee-based membership with a free trial, driven by payment events and by time.
//
// Decisions (the host-facing ones are repeated in the TSDoc of `paidHooks` and of the schema):
// - Trial end: `trialDays` calendar days in the program's zone from the start of the start day
//   (the start day is day 1): a 30-day trial started at any time on 31 Jan 2027 ends at 00:00 on
//   2 Mar 2027. A trial is given once per customer.
// - Periods: period k is [anchor + (k−1) periods, anchor + k periods), each bound computed from the
//   anchor with anchor-day months (never from the previous due date). The anchor is the join
//   instant, or the trial's end (a trial converts into periods that start at its end, whenever the
//   payment arrives during it), or the instant of a payment that restarts an expired membership.
// - A join without a trial is active at once, with its first period due at the join: its payment
//   normally arrives with it; if none does, the usual grace applies.
// - A succeeded payment pays the next unpaid period (the engine's calendar decides the periods;
//   a payment whose `periodEnd` is not after the paid-through date is refused as a duplicate,
//   `period_already_paid`). Its amount is added to the fees paid as sent.
// - A succeeded payment while expired (or with no membership yet) restarts an active membership
//   anchored at the payment; while cancelled it resumes the membership.
// - Grace ends `graceDays` calendar days after the unpaid due date, whenever a failure is reported.
// - Value received: on a purchase while benefits hold, `discountPercent` % of the order's
//   redeemable amount (its lines net of their discounts, lines excluded from redemption left out,
//   shipping and tax outside), rounded down to the currency's minor unit — the member discount a
//   quote of those lines shows. A refund takes back the refunded share of its order's value.
// - Notices: a due date that passes unpaid sends `membership.renewal_due` (the host charges) and
//   records past due quietly; `membership.past_due` goes out when a failure is reported, and
//   `membership.activated` on a start without a trial, a conversion, a resumption, a restart, or a
//   recovery after a reported failure — so an ordinary renewal sends only `renewal_due`.
// - A membership event first records what time did by its instant (as `tick` would, notices
//   included), so it always acts on the membership as of its own instant.
import { ZERO, type Decimal } from '../../money/decimal';
import { addDaysIn, addMonthsIn, startOfDayIn } from '../../time';
import type { Issue } from '../../errors';
import type { AccountState } from '../../ledger/types';
import type { EventOf } from '../../schema/events';
import type { NotificationBody } from '../../engine/notifications';
import type { Program } from '../../engine/program-type';
import { configOf, stateOf } from '../shared';
import type { MembershipState, MembershipStatus } from './state';
import type { PaidProgramConfig } from './schema';

/**
 * Every move the membership state machine allows, from a status (or `none`, before the first
 * start) to the statuses it may be recorded in next. A status may also be recorded again (a
 * value update, a notice sent), which is listed too.
 *
 * @example
 * ```ts
 * MEMBERSHIP_TRANSITIONS.trialing.includes('active'); // true (a payment converts the trial)
 * MEMBERSHIP_TRANSITIONS.active.includes('expired'); // false (an active membership goes through past_due or cancelled)
 * ```
 */
export const MEMBERSHIP_TRANSITIONS: Readonly<Record<MembershipStatus | 'none', readonly MembershipStatus[]>> = {
  none: ['trialing', 'active'],
  trialing: ['trialing', 'active', 'cancelled', 'expired'],
  active: ['active', 'past_due', 'cancelled'],
  past_due: ['past_due', 'active', 'cancelled', 'expired'],
  cancelled: ['cancelled', 'active', 'expired'],
  expired: ['expired', 'trialing', 'active'],
};

/**
 * The benefits a member has while they hold (see `memberBenefits`).
 *
 * @example
 * ```ts
 * const b: MemberBenefits | null = memberBenefits(program, account, clock.now());
 * const shipping = b?.freeShipping ? '0.00' : '6.95';
 * ```
 */
export interface MemberBenefits {
  /** Percent off the order's redeemable amount (shown by quotes as `memberDiscount`). */
  readonly discountPercent: Decimal;
  readonly freeShipping: boolean;
  /** Earn multiplier on every line, stacked with rule multipliers by the program's stacking. */
  readonly pointsMultiplier: Decimal;
}

/** One step of the machine: the state to record, why, and what to tell the host. */
export interface Step {
  readonly state: MembershipState;
  readonly reason: string;
  readonly notices: readonly NotificationBody[];
}

/** The program's config when it is a paid program. */
export function paidConfig(program: Program): PaidProgramConfig | null {
  return configOf(program, 'paid');
}

/** The customer's recorded membership, if any. */
export function membershipState(account: AccountState): MembershipState | null {
  return stateOf(account, 'membership', 'membership');
}

export const iso = (d: Date): string => d.toISOString();

/** The end of period `n` after the anchor (anchor-day months; a year is 12 of them). */
export function periodBound(config: PaidProgramConfig, anchor: Date, n: number): Date {
  return addMonthsIn(anchor, config.membership.period === 'year' ? 12 * n : n, config.timeZone);
}

/** A trial started at `start` ends `trialDays` calendar days after the start of its first day. */
export function trialEnd(config: PaidProgramConfig, start: Date): Date {
  return addDaysIn(startOfDayIn(start, config.timeZone), config.membership.trialDays, config.timeZone);
}

export function graceEnd(config: PaidProgramConfig, due: Date): Date {
  return addDaysIn(due, config.membership.graceDays, config.timeZone);
}

export function trialNoticeAt(config: PaidProgramConfig, m: MembershipState): Date | null {
  if (m.status !== 'trialing' || m.trialNoticeSent || m.trialEndsAt === null || config.membership.trialNoticeDays === 0) return null;
  return addDaysIn(m.trialEndsAt, -config.membership.trialNoticeDays, config.timeZone);
}

/** The due date whose renewal notice is still owed (a renewal, not the join), or null. */
export function renewalNoticeOwed(m: MembershipState): Date | null {
  if ((m.status !== 'active' && m.status !== 'past_due') || m.periodsPaid < 1 || m.nextDueAt === null) return null;
  if (m.renewalNoticeFor !== null && m.renewalNoticeFor.getTime() === m.nextDueAt.getTime()) return null;
  return m.nextDueAt;
}

export function statusNotice(type: 'membership.activated' | 'membership.past_due' | 'membership.expired' | 'membership.cancelled', m: MembershipState): NotificationBody {
  return { type, status: m.status, paidThrough: m.paidThrough };
}

export function renewalNotice(config: PaidProgramConfig, due: Date): NotificationBody {
  return { type: 'membership.renewal_due', dueAt: due, fee: config.membership.fee, currency: config.currency };
}

export function expire(m: MembershipState, at: Date): MembershipState {
  return { ...m, status: 'expired', nextDueAt: null, graceEndsAt: null, endsAt: null, expiredAt: at, paymentFailedAt: null, orderValue: null };
}

/**
 * What time alone does to a membership by `now`: the trial notice, the trial's end, a due date
 * passing (past due, with the renewal notice), the grace's end, a cancelled membership reaching
 * its end. Returns the steps in order (empty when nothing is due). Pure; `tick` records them, and
 * membership events record them first so the event sees the membership as of its instant.
 */
export function advance(config: PaidProgramConfig, start: MembershipState, now: Date): Step[] {
  const t = now.getTime();
  const steps: Step[] = [];
  let m = start;
  const push = (state: MembershipState, reason: string, notices: NotificationBody[]): void => {
    m = { ...state, orderValue: null };
    steps.push({ state: m, reason, notices });
  };
  // Each pass moves at least one step along a finite path (trialing/active → past_due → expired).
  for (let pass = 0; pass < 6; pass += 1) {
    switch (m.status) {
      case 'trialing': {
        const end = m.trialEndsAt ?? now;
        if (t >= end.getTime()) {
          const next = expire(m, end);
          push(next, `the trial ended ${iso(end)} without a payment`, [statusNotice('membership.expired', next)]);
          return steps;
        }
        const noticeAt = trialNoticeAt(config, m);
        if (noticeAt !== null && t >= noticeAt.getTime()) {
          push({ ...m, trialNoticeSent: true }, `the trial ends ${iso(end)}, ${config.membership.trialNoticeDays} day(s) from ${iso(noticeAt)}`, [
            { type: 'membership.trial_ending', trialEndsAt: end },
          ]);
        }
        return steps;
      }
      case 'active': {
        const due = m.nextDueAt ?? now;
        if (t < due.getTime()) return steps;
        const graceEndsAt = graceEnd(config, due);
        const owed = renewalNoticeOwed(m);
        const notify = owed !== null && t < graceEndsAt.getTime();
        push(
          { ...m, status: 'past_due', graceEndsAt, renewalNoticeFor: notify ? due : m.renewalNoticeFor },
          `the period due ${iso(due)} is unpaid: past due, grace until ${iso(graceEndsAt)}`,
          notify ? [renewalNotice(config, due)] : [],
        );
        continue;
      }
      case 'past_due': {
        const graceEndsAt = m.graceEndsAt ?? now;
        if (t >= graceEndsAt.getTime()) {
          const next = expire(m, graceEndsAt);
          push(next, `the grace period ended ${iso(graceEndsAt)} without a payment`, [statusNotice('membership.expired', next)]);
          return steps;
        }
        const owed = renewalNoticeOwed(m);
        if (owed !== null && t >= owed.getTime()) {
          push({ ...m, renewalNoticeFor: owed }, `the renewal due ${iso(owed)} is unpaid`, [renewalNotice(config, owed)]);
        }
        return steps;
      }
      case 'cancelled': {
        const end = m.endsAt;
        if (end !== null && t < end.getTime()) return steps;
        const next = expire(m, end ?? now);
        push(next, end ? `the cancelled membership reached its paid-through date ${iso(end)}` : 'the cancelled membership had nothing paid', [statusNotice('membership.expired', next)]);
        return steps;
      }
      case 'expired':
        return steps;
    }
  }
  return steps;
}

/** The membership as it stands at `at`: the recorded state carried forward by what time does. */
export function projected(config: PaidProgramConfig, m: MembershipState, at: Date): MembershipState {
  return advance(config, m, at).at(-1)?.state ?? m;
}

export function holdsAt(config: PaidProgramConfig, m: MembershipState | null, at: Date): boolean {
  if (m === null || at.getTime() < m.startedAt.getTime()) return false;
  return projected(config, m, at).status !== 'expired';
}

/** A fresh run of the membership: a start, or a payment that restarts it. */
export function freshRun(previous: MembershipState | null, at: Date, fields: Pick<MembershipState, 'status' | 'anchor' | 'periodsPaid' | 'trialEndsAt' | 'trialUsed'>, config: PaidProgramConfig): MembershipState {
  const paidThrough = fields.periodsPaid > 0 ? periodBound(config, fields.anchor, fields.periodsPaid) : null;
  return {
    kind: 'membership',
    ...fields,
    startedAt: at,
    paidThrough,
    nextDueAt: paidThrough ?? fields.anchor,
    graceEndsAt: null,
    cancelledAt: null,
    endsAt: null,
    expiredAt: null,
    trialNoticeSent: false,
    renewalNoticeFor: null,
    paymentFailedAt: null,
    feesPaid: previous?.feesPaid ?? ZERO,
    valueReceived: previous?.valueReceived ?? ZERO,
    orderValue: null,
  };
}

export function issue(code: string, path: (string | number)[], message: string): { steps: Step[]; issues: Issue[] } {
  return { steps: [], issues: [{ code, path, message }] };
}

export function started(config: PaidProgramConfig, m: MembershipState | null, event: EventOf<'membership_started'>): { steps: Step[]; issues: Issue[] } {
  const at = event.occurredAt;
  if (m !== null && m.status !== 'expired') return issue('membership_exists', ['type'], `the customer's membership is already ${m.status}`);
  if (event.trial) {
    if (config.membership.trialDays === 0) return issue('trial_unavailable', ['trial'], 'this program has no free trial');
    if (m?.trialUsed) return issue('trial_unavailable', ['trial'], 'the free trial was already used');
    const end = trialEnd(config, at);
    const next = freshRun(m, at, { status: 'trialing', anchor: end, periodsPaid: 0, trialEndsAt: end, trialUsed: true }, config);
    return { steps: [{ state: next, reason: `free trial of ${config.membership.trialDays} day(s) started; it ends ${iso(end)}`, notices: [] }], issues: [] };
  }
  const next = freshRun(m, at, { status: 'active', anchor: at, periodsPaid: 0, trialEndsAt: null, trialUsed: m?.trialUsed ?? false }, config);
  return { steps: [{ state: next, reason: `joined without a trial: the first period is due at ${iso(at)}`, notices: [statusNotice('membership.activated', next)] }], issues: [] };
}

export function payment(config: PaidProgramConfig, m: MembershipState | null, event: EventOf<'membership_payment'>): { steps: Step[]; issues: Issue[] } {
  const at = event.occurredAt;
  if (event.currency !== config.currency) {
    return issue('currency_mismatch', ['currency'], `the program runs in ${config.currency}, the payment is in ${event.currency}`);
  }
  const stale = m?.paidThrough != null && event.periodEnd !== undefined && event.periodEnd.getTime() <= m.paidThrough.getTime();
  if (event.status === 'failed') {
    if (m === null) return issue('no_membership', ['customerId'], 'a payment failed for a customer without a membership');
    // A failure of a period already paid, or while trialing, cancelled or expired, changes nothing:
    // a trial simply ends unpaid, a cancelled membership does not renew.
    if (stale || (m.status !== 'active' && m.status !== 'past_due')) return { steps: [], issues: [] };
    if (m.status === 'past_due' && m.paymentFailedAt !== null) return { steps: [], issues: [] };
    const due = m.nextDueAt ?? at;
    const next: MembershipState = { ...m, status: 'past_due', graceEndsAt: m.graceEndsAt ?? graceEnd(config, due), paymentFailedAt: at };
    return {
      steps: [{ state: next, reason: `the payment for the period due ${iso(due)} failed: grace until ${iso(next.graceEndsAt ?? due)}`, notices: [statusNotice('membership.past_due', next)] }],
      issues: [],
    };
  }
  if (m === null || m.status === 'expired') {
    const next = freshRun(m, at, { status: 'active', anchor: at, periodsPaid: 1, trialEndsAt: null, trialUsed: m?.trialUsed ?? false }, config);
    const paid: MembershipState = { ...next, feesPaid: next.feesPaid.plus(event.amount) };
    const why = m === null ? 'a payment started the membership' : 'a payment restarted the expired membership';
    return { steps: [{ state: paid, reason: `${why}: paid through ${iso(paid.paidThrough ?? at)}`, notices: [statusNotice('membership.activated', paid)] }], issues: [] };
  }
  if (stale) return issue('period_already_paid', ['periodEnd'], `the membership is already paid through ${iso(m.paidThrough ?? at)}`);
  const periodsPaid = m.periodsPaid + 1;
  const paidThrough = periodBound(config, m.anchor, periodsPaid);
  const current = paidThrough.getTime() > at.getTime();
  const next: MembershipState = {
    ...m,
    status: current ? 'active' : 'past_due',
    periodsPaid,
    paidThrough,
    nextDueAt: paidThrough,
    graceEndsAt: current ? null : graceEnd(config, paidThrough),
    cancelledAt: null,
    endsAt: null,
    paymentFailedAt: current ? null : m.paymentFailedAt,
    feesPaid: m.feesPaid.plus(event.amount),
  };
  const reason =
    m.status === 'trialing'
      ? `the trial converted: paid through ${iso(paidThrough)}, renewing on the anniversary of ${iso(m.anchor)}`
      : m.status === 'cancelled'
        ? `a payment resumed the cancelled membership: paid through ${iso(paidThrough)}`
        : m.status === 'past_due'
          ? `the overdue period was paid: paid through ${iso(paidThrough)}`
          : `renewal paid: paid through ${iso(paidThrough)}`;
  const announce = current && (m.status === 'trialing' || m.status === 'cancelled' || (m.status === 'past_due' && m.paymentFailedAt !== null));
  return { steps: [{ state: next, reason, notices: announce ? [statusNotice('membership.activated', next)] : [] }], issues: [] };
}

export function cancelled(m: MembershipState | null, event: EventOf<'membership_cancelled'>): { steps: Step[]; issues: Issue[] } {
  const at = event.occurredAt;
  if (m === null || m.status === 'expired') return issue('membership_inactive', ['type'], 'there is no membership to cancel');
  if (m.status === 'cancelled') return issue('already_cancelled', ['type'], `the membership was cancelled at ${iso(m.cancelledAt ?? at)}`);
  const endsAt = m.status === 'trialing' ? m.trialEndsAt : m.paidThrough;
  const next: MembershipState = { ...m, status: 'cancelled', cancelledAt: at, endsAt, nextDueAt: null, graceEndsAt: null, paymentFailedAt: null };
  const steps: Step[] = [
    { state: next, reason: endsAt && endsAt > at ? `cancelled: benefits until ${iso(endsAt)}` : 'cancelled with nothing paid beyond now', notices: [statusNotice('membership.cancelled', next)] },
  ];
  if (endsAt === null || endsAt.getTime() <= at.getTime()) {
    const gone = expire(next, at);
    steps.push({ state: gone, reason: 'the cancelled membership had no paid time left', notices: [statusNotice('membership.expired', gone)] });
  }
  return { steps, issues: [] };
}

