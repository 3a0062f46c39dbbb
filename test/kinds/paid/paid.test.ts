// The `paid` kind (SPEC §1, §2b, §7, §9, §10): trial, renewals on the anchor day, payment failure
// with grace, cancellation until the paid-through date, benefits (quote discount, free shipping,
// points multiplier), value received against fees paid, notices once — through the pure core and
// through the service with tickDue.
import { describe, expect, test } from 'vitest';
import { createLoyalty, defineProgram, fixedClock, memoryStore } from '../../../src';
import { nextDueAt, parseEvent, quote, benefitsHold, MEMBERSHIP_TRANSITIONS, memberBenefits, membershipOf, membershipStatusAt } from '../../../src/core';
import { quoteRequestSchema } from '../../../src/schemas';
import type { Program, ProgramConfigInput, InstantInput } from '../../../src';
import type { Decision, MembershipState } from '../../../src/core';
import { customer, ZONE } from '../../fixtures';
import { LedgerCore } from '../../harness';
import { requestsAtTheirInstant } from '../../request-clock';

type PaidInput = Extract<ProgramConfigInput, { kind: 'paid' }>;
type MembershipInput = PaidInput['membership'];

function paidProgram(membership: Partial<MembershipInput> = {}, extra: Partial<PaidInput> = {}): Program {
  return defineProgram({
    kind: 'paid',
    id: 'plus',
    version: 1,
    currency: 'USD',
    timeZone: ZONE,
    membership: { fee: '12.99', period: 'month', trialDays: 30, graceDays: 7, trialNoticeDays: 3, benefits: { discountPercent: 10, freeShipping: true, pointsMultiplier: 2 }, ...membership },
    rules: [{ id: 'base', on: 'purchase', award: { kind: 'per_amount', points: 1, per: 1 } }],
    ...extra,
  });
}

const instant = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);

/** A member over the pure core: keeps the account, every transaction and notification; checks the fold after each step. */
class Member extends LedgerCore {
  private seq = 0;
  constructor(program: Program) {
    super(program, { checkEachStep: true, ofOrder: (tx, orderId) => tx.entries.some((x) => (x.kind === 'activity' || x.kind === 'refund') && x.orderId === orderId) });
  }
  event(type: string, occurredAt: string, extra: Record<string, unknown> = {}): Decision {
    this.seq += 1;
    return this.decide(parseEvent({ id: `m${this.seq}`, customerId: 'c1', type, occurredAt, ...extra }));
  }
  start(at: string, trial: boolean): Decision {
    return this.event('membership_started', at, { trial });
  }
  pay(at: string, extra: Record<string, unknown> = {}): Decision {
    return this.event('membership_payment', at, { status: 'succeeded', amount: '12.99', currency: 'USD', ...extra });
  }
  fail(at: string): Decision {
    return this.event('membership_payment', at, { status: 'failed', amount: '12.99', currency: 'USD' });
  }
  cancel(at: string): Decision {
    return this.event('membership_cancelled', at);
  }
  buy(orderId: string, at: string, lines: { unitPrice: string; categories?: string[] }[]): Decision {
    return this.event('purchase', at, { orderId, currency: 'USD', lines: lines.map((l, i) => ({ lineId: `l${i + 1}`, sku: `s${i + 1}`, quantity: 1, ...l })) });
  }
  get m(): MembershipState {
    const m = membershipOf(this.program, this.account);
    if (!m) throw new Error('no membership');
    return m;
  }
  next(after: string): string | null {
    return instant(nextDueAt(this.program, this.account, new Date(after), { customer: customer() }));
  }
  discount(at: string, lines: { unitPrice: string; categories?: string[] }[] = [{ unitPrice: '80.00' }]): string | null {
    const order = { currency: 'USD', lines: lines.map((l, i) => ({ lineId: `q${i}`, sku: `q${i}`, quantity: 1, ...l })), shipping: '5.00', tax: '4.00' };
    const q = quote(this.program, this.account, quoteRequestSchema.parse({ order, points: 'max', at }));
    return q.memberDiscount ? `${q.memberDiscount.percent.toString()}% ${q.memberDiscount.amount.toFixed(2)}` : null;
  }
  /** The membership's recorded steps, oldest first: status and reason. */
  steps(): { status: string; reason: string }[] {
    return this.txs.flatMap((tx) => tx.entries.flatMap((e) => (e.kind === 'state' && e.value?.kind === 'membership' ? [{ status: e.value.status, reason: e.reason }] : [])));
  }
  types(): string[] {
    return this.notices.map((n) => n.type);
  }
}

const issueCode = (d: Decision): string => (d.ok ? 'ok' : d.issues[0].code);
const earnedPoints = (d: Decision): string => (d.ok && d.transaction ? d.transaction.entries.reduce((s, e) => (e.kind === 'earn' ? s + Number(e.lot.amount.toString()) : s), 0).toString() : '0');

describe('paid: the config', () => {
  test('defaults: no trial, 7 days of grace, trial notice 3 days ahead, no discount, 1×; a misspelt key is refused', () => {
    const p = defineProgram({ kind: 'paid', id: 'plus', version: 1, currency: 'USD', timeZone: ZONE, membership: { fee: '99', period: 'year' } });
    if (p.config.kind !== 'paid') throw new Error('not paid');
    const m = p.config.membership;
    expect([m.trialDays, m.graceDays, m.trialNoticeDays, m.benefits.discountPercent.toString(), m.benefits.freeShipping, m.benefits.pointsMultiplier.toString()]).toEqual([0, 7, 3, '0', false, '1']);
    expect(() => paidProgram({ trailDays: 30 } as Partial<MembershipInput>)).toThrow(/trailDays/);
    expect(() => paidProgram({ benefits: { discountPercent: 120 } })).toThrow(/0 to 100/);
  });
});

describe('paid: the calendar (SPEC §2b acceptance)', () => {
  test('a 30-day trial started 31 January 2027 ends at 00:00 on 2 March 2027 and converts when a payment arrives', () => {
    for (const startedAt of ['2027-01-31T05:00:00Z', '2027-01-31T15:00:00Z', '2027-02-01T04:59:59Z']) {
      // 00:00, 10:00 and 23:59:59 on 31 January in New York: the start day is day 1 of 30.
      const a = new Member(paidProgram());
      a.start(startedAt, true);
      expect(a.m.status).toBe('trialing');
      expect(instant(a.m.trialEndsAt)).toBe('2027-03-02T05:00:00.000Z'); // 00:00 EST on 2 March
    }
    const a = new Member(paidProgram());
    a.start('2027-01-31T15:00:00Z', true);
    expect(a.pay('2027-02-20T15:00:00Z').ok).toBe(true);
    expect(a.m.status).toBe('active');
    // A converted trial renews on the anniversary of the trial's end: 2 April, 2 May (00:00 EDT).
    expect([instant(a.m.anchor), instant(a.m.paidThrough), instant(a.m.nextDueAt)]).toEqual(['2027-03-02T05:00:00.000Z', '2027-04-02T04:00:00.000Z', '2027-04-02T04:00:00.000Z']);
    a.pay('2027-04-01T15:00:00Z');
    expect(instant(a.m.paidThrough)).toBe('2027-05-02T04:00:00.000Z');
    expect(a.types()).toEqual(['membership.activated']);
  });

  test('a trial that ends unpaid expires at 00:00 on 2 March 2027, not a millisecond before', () => {
    const a = new Member(paidProgram());
    a.start('2027-01-31T15:00:00Z', true);
    a.tick('2027-03-02T04:59:59.999Z');
    expect(a.m.status).toBe('trialing');
    expect(benefitsHold(a.program, a.account, new Date('2027-03-02T04:59:59.999Z'))).toBe(true);
    const d = a.tick('2027-03-02T05:00:00Z');
    expect(d.ok && d.notifications.map((n) => n.type)).toEqual(['membership.expired']);
    expect([a.m.status, instant(a.m.expiredAt)]).toEqual(['expired', '2027-03-02T05:00:00.000Z']);
    expect(benefitsHold(a.program, a.account, new Date('2027-03-02T05:00:00Z'))).toBe(false);
    // The trial notice went out on 27 February (3 days before), once, during the earlier tick.
    expect(a.types()).toEqual(['membership.trial_ending', 'membership.expired']);
  });

  test('joining without a trial on 31 January 2027: monthly renewals fall on 28 February, then 31 March, then 30 April', () => {
    const a = new Member(paidProgram());
    a.start('2027-01-31T15:00:00Z', false); // 10:00 EST
    expect([a.m.status, instant(a.m.anchor), instant(a.m.nextDueAt)]).toEqual(['active', '2027-01-31T15:00:00.000Z', '2027-01-31T15:00:00.000Z']);
    a.pay('2027-01-31T15:00:05Z');
    const due: string[] = [instant(a.m.nextDueAt) ?? ''];
    a.pay('2027-02-28T15:00:00Z');
    due.push(instant(a.m.nextDueAt) ?? '');
    a.pay('2027-03-31T14:00:00Z');
    due.push(instant(a.m.nextDueAt) ?? '');
    // 10:00 in New York each time, EST then EDT; each counted from 31 January, never from 28 February.
    expect(due).toEqual(['2027-02-28T15:00:00.000Z', '2027-03-31T14:00:00.000Z', '2027-04-30T14:00:00.000Z']);
    expect([a.m.periodsPaid, a.m.feesPaid.toString()]).toEqual([3, '38.97']);
  });

  test('yearly renewals of a 29 February 2028 join fall on 28 February 2029 and come back to 29 February in 2032', () => {
    const a = new Member(paidProgram({ period: 'year', fee: '99' }));
    a.start('2028-02-29T17:00:00Z', false);
    const due: string[] = [];
    for (let i = 0; i < 4; i += 1) {
      a.pay(a.m.nextDueAt?.toISOString() ?? '', { amount: '99' });
      due.push(instant(a.m.nextDueAt) ?? '');
    }
    expect(due).toEqual(['2029-02-28T17:00:00.000Z', '2030-02-28T17:00:00.000Z', '2031-02-28T17:00:00.000Z', '2032-02-29T17:00:00.000Z']);
  });

  test('a payment failure reported two days after the renewal due date still ends grace 7 days after the due date; expiry follows', () => {
    for (const tickAtDue of [true, false]) {
      const a = new Member(paidProgram());
      a.start('2027-01-31T15:00:00Z', false);
      a.pay('2027-01-31T15:00:00Z'); // due 28 Feb, 10:00 EST
      if (tickAtDue) a.tick('2027-02-28T15:00:00Z');
      a.fail('2027-03-02T15:00:00Z');
      expect([a.m.status, instant(a.m.graceEndsAt)]).toEqual(['past_due', '2027-03-07T15:00:00.000Z']);
      expect(a.next('2027-03-02T15:00:00Z')).toBe('2027-03-07T15:00:00.000Z');
      a.tick('2027-03-07T14:59:59.999Z');
      expect(a.m.status).toBe('past_due');
      expect(benefitsHold(a.program, a.account, new Date('2027-03-07T14:59:59.999Z'))).toBe(true);
      a.tick('2027-03-07T15:00:00Z');
      expect([a.m.status, instant(a.m.expiredAt)]).toEqual(['expired', '2027-03-07T15:00:00.000Z']);
      expect(a.types()).toEqual(['membership.activated', 'membership.renewal_due', 'membership.past_due', 'membership.expired']);
      expect(a.next('2027-03-07T15:00:00Z')).toBe(null);
    }
    // The same after a converted trial: due 00:00 on 2 April (EDT), failure on 4 April, grace to 00:00 on 9 April.
    const b = new Member(paidProgram());
    b.start('2027-01-31T15:00:00Z', true);
    b.pay('2027-03-01T15:00:00Z');
    b.fail('2027-04-04T04:00:00Z');
    expect(instant(b.m.graceEndsAt)).toBe('2027-04-09T04:00:00.000Z');
    b.tick('2027-04-09T04:00:00Z');
    expect(b.m.status).toBe('expired');
  });
});

describe('paid: the state machine with a reason for every step', () => {
  test('trialing → active → past_due (failure) → active (paid within grace) → cancelled → expired at the paid-through date', () => {
    const a = new Member(paidProgram());
    a.start('2027-01-31T15:00:00Z', true);
    a.tick('2027-02-27T05:00:00Z'); // trial notice
    a.pay('2027-03-01T15:00:00Z'); // converts: paid through 2 April
    a.fail('2027-04-02T10:00:00Z'); // the renewal charge fails
    expect([a.m.status, instant(a.m.graceEndsAt)]).toEqual(['past_due', '2027-04-09T04:00:00.000Z']);
    a.pay('2027-04-05T10:00:00Z'); // recovery within grace
    expect([a.m.status, instant(a.m.paidThrough), a.m.graceEndsAt, a.m.paymentFailedAt]).toEqual(['active', '2027-05-02T04:00:00.000Z', null, null]);
    a.cancel('2027-04-20T10:00:00Z');
    expect([a.m.status, instant(a.m.endsAt), instant(a.m.cancelledAt)]).toEqual(['cancelled', '2027-05-02T04:00:00.000Z', '2027-04-20T10:00:00.000Z']);
    expect(a.next('2027-04-20T10:00:00Z')).toBe('2027-05-02T04:00:00.000Z');
    a.tick('2027-05-02T03:59:59.999Z');
    expect(a.m.status).toBe('cancelled');
    a.tick('2027-05-02T04:00:00Z');
    expect(a.m.status).toBe('expired');
    // The failure came after the 00:00 due date: the event first records that the due date passed
    // unpaid (no tick ran at it), then the failure.
    expect(a.steps().map((s) => s.status)).toEqual(['trialing', 'trialing', 'active', 'past_due', 'past_due', 'active', 'cancelled', 'expired']);
    for (const s of a.steps()) expect(s.reason.length).toBeGreaterThan(10);
    expect(a.steps()[2]?.reason).toMatch(/trial converted/);
    expect(a.steps()[3]?.reason).toMatch(/period due 2027-04-02T04:00:00.000Z is unpaid/);
    expect(a.steps()[4]?.reason).toMatch(/payment for the period due 2027-04-02T04:00:00.000Z failed: grace until 2027-04-09T04:00:00.000Z/);
    expect(a.steps().at(-1)?.reason).toMatch(/paid-through date 2027-05-02T04:00:00.000Z/);
    expect(a.types()).toEqual(['membership.trial_ending', 'membership.activated', 'membership.renewal_due', 'membership.past_due', 'membership.activated', 'membership.cancelled', 'membership.expired']);
    expect([a.m.feesPaid.toString(), a.m.periodsPaid]).toEqual(['25.98', 2]);
  });

  test('an ordinary renewal: at the due date tick sends renewal_due and records past due; the payment brings it back quietly', () => {
    const a = new Member(paidProgram());
    a.start('2027-01-31T15:00:00Z', false);
    a.pay('2027-01-31T15:00:00Z');
    expect(a.next('2027-02-01T00:00:00Z')).toBe('2027-02-28T15:00:00.000Z');
    const d = a.tick('2027-02-28T15:00:00Z');
    expect(d.ok && d.notifications.map((n) => [n.type, n.type === 'membership.renewal_due' ? `${n.dueAt.toISOString()} ${n.fee.toString()} ${n.currency}` : ''])).toEqual([
      ['membership.renewal_due', '2027-02-28T15:00:00.000Z 12.99 USD'],
    ]);
    expect(a.m.status).toBe('past_due');
    a.pay('2027-02-28T15:00:30Z');
    expect(a.m.status).toBe('active');
    expect(a.types()).toEqual(['membership.activated', 'membership.renewal_due']);
  });

  test('a cancelled trial keeps its benefits until the trial ends, sends no trial notice, then expires', () => {
    const a = new Member(paidProgram());
    a.start('2027-01-31T15:00:00Z', true);
    a.cancel('2027-02-10T15:00:00Z');
    expect([a.m.status, instant(a.m.endsAt)]).toEqual(['cancelled', '2027-03-02T05:00:00.000Z']);
    expect(a.next('2027-02-10T15:00:00Z')).toBe('2027-03-02T05:00:00.000Z');
    a.tick('2027-02-27T05:00:00Z');
    expect(a.discount('2027-03-01T12:00:00Z')).toBe('10% 8.00');
    a.tick('2027-03-02T05:00:00Z');
    expect(a.m.status).toBe('expired');
    expect(a.types()).toEqual(['membership.cancelled', 'membership.expired']);
  });

  test('cancelling while past due, or with nothing paid, expires at once', () => {
    const a = new Member(paidProgram());
    a.start('2027-01-31T15:00:00Z', false);
    a.pay('2027-01-31T15:00:00Z');
    a.fail('2027-02-28T16:00:00Z');
    const d = a.cancel('2027-03-01T15:00:00Z');
    expect(d.ok && d.notifications.map((n) => n.type)).toEqual(['membership.cancelled', 'membership.expired']);
    expect([a.m.status, instant(a.m.expiredAt)]).toEqual(['expired', '2027-03-01T15:00:00.000Z']);
    expect(a.discount('2027-03-01T15:00:00Z')).toBe(null);

    const b = new Member(paidProgram());
    b.start('2027-01-31T15:00:00Z', false);
    b.cancel('2027-01-31T15:10:00Z');
    // The first period was due at the join and never paid: past due, then cancelled with nothing paid.
    expect(b.steps().map((s) => s.status)).toEqual(['active', 'past_due', 'cancelled', 'expired']);
    expect(b.types()).toEqual(['membership.activated', 'membership.cancelled', 'membership.expired']);
  });

  test('a payment resumes a cancelled membership; a payment after expiry restarts it anchored at the payment', () => {
    const a = new Member(paidProgram());
    a.start('2027-01-31T15:00:00Z', false);
    a.pay('2027-01-31T15:00:00Z');
    a.cancel('2027-02-10T15:00:00Z');
    a.pay('2027-02-20T15:00:00Z');
    expect([a.m.status, a.m.cancelledAt, instant(a.m.paidThrough)]).toEqual(['active', null, '2027-03-31T14:00:00.000Z']);
    // Nothing more is paid: no tick runs, and a payment arrives after the grace has ended. The
    // event first records what time did (past due, then expired), then the restart.
    const late = a.pay('2027-04-15T14:00:00Z');
    expect(a.steps().slice(-3).map((s) => s.status)).toEqual(['past_due', 'expired', 'active']);
    expect(late.ok && late.notifications.map((n) => n.type)).toEqual(['membership.expired', 'membership.activated']);
    expect([instant(a.m.startedAt), instant(a.m.anchor), instant(a.m.paidThrough), a.m.periodsPaid, a.m.feesPaid.toString()]).toEqual([
      '2027-04-15T14:00:00.000Z',
      '2027-04-15T14:00:00.000Z',
      '2027-05-15T14:00:00.000Z',
      1,
      '38.97',
    ]);
  });

  test('typed refusals: a second start, a second trial, a trial the program lacks, a foreign currency, a period paid twice, cancelling twice or nothing', () => {
    const a = new Member(paidProgram());
    expect(issueCode(a.fail('2027-01-30T15:00:00Z'))).toBe('no_membership');
    expect(issueCode(a.cancel('2027-01-30T15:00:00Z'))).toBe('membership_inactive');
    a.start('2027-01-31T15:00:00Z', true);
    expect(issueCode(a.start('2027-02-01T15:00:00Z', false))).toBe('membership_exists');
    expect(issueCode(a.pay('2027-02-01T15:00:00Z', { currency: 'EUR' }))).toBe('currency_mismatch');
    a.pay('2027-02-01T15:00:00Z', { periodStart: '2027-03-02T05:00:00Z', periodEnd: '2027-04-02T04:00:00Z' });
    expect(issueCode(a.pay('2027-02-01T15:05:00Z', { periodStart: '2027-03-02T05:00:00Z', periodEnd: '2027-04-02T04:00:00Z' }))).toBe('period_already_paid');
    expect(a.m.feesPaid.toString()).toBe('12.99');
    a.cancel('2027-02-05T15:00:00Z');
    expect(issueCode(a.cancel('2027-02-06T15:00:00Z'))).toBe('already_cancelled');
    a.tick('2027-04-02T04:00:00Z');
    expect(a.m.status).toBe('expired');
    expect(issueCode(a.start('2027-04-03T15:00:00Z', true))).toBe('trial_unavailable'); // once per customer
    expect(a.start('2027-04-03T15:00:00Z', false).ok).toBe(true);
    const noTrial = new Member(paidProgram({ trialDays: 0 }));
    expect(issueCode(noTrial.start('2027-01-31T15:00:00Z', true))).toBe('trial_unavailable');
    // Refusals write nothing.
    expect(a.steps().map((s) => s.status)).toEqual(['trialing', 'active', 'cancelled', 'expired', 'active']);
  });

  test('a failed payment during the trial or after cancellation changes nothing', () => {
    const a = new Member(paidProgram());
    a.start('2027-01-31T15:00:00Z', true);
    const d = a.fail('2027-02-10T15:00:00Z');
    expect(d.ok && d.transaction).toBe(null);
    expect(a.m.status).toBe('trialing');
  });

  test('every recorded step follows an allowed transition', () => {
    const a = new Member(paidProgram());
    a.start('2027-01-31T15:00:00Z', true);
    a.pay('2027-02-15T15:00:00Z');
    a.fail('2027-04-02T10:00:00Z');
    a.pay('2027-04-03T10:00:00Z');
    a.cancel('2027-04-10T10:00:00Z');
    a.pay('2027-04-20T10:00:00Z');
    a.tick('2027-07-01T00:00:00Z');
    a.pay('2027-07-02T00:00:00Z');
    let from: keyof typeof MEMBERSHIP_TRANSITIONS = 'none';
    for (const { status } of a.steps()) {
      expect(MEMBERSHIP_TRANSITIONS[from]).toContain(status);
      from = status as keyof typeof MEMBERSHIP_TRANSITIONS;
    }
    expect(a.steps().map((s) => s.status)).toEqual(['trialing', 'active', 'past_due', 'past_due', 'active', 'cancelled', 'active', 'past_due', 'expired', 'active']);
  });
});

describe('paid: benefits (SPEC §7)', () => {
  test('the 10% member discount appears in a quote during the trial, while active, during grace, after cancellation until the paid-through date — never after expiry', () => {
    const a = new Member(paidProgram());
    expect(a.discount('2027-01-30T12:00:00Z')).toBe(null); // not a member
    a.start('2027-01-31T15:00:00Z', true);
    expect(a.discount('2027-02-10T12:00:00Z')).toBe('10% 8.00'); // trialing
    a.pay('2027-02-28T12:00:00Z');
    expect(a.discount('2027-03-10T12:00:00Z')).toBe('10% 8.00'); // active
    a.fail('2027-04-02T12:00:00Z');
    expect(a.discount('2027-04-08T12:00:00Z')).toBe('10% 8.00'); // past due, within grace
    expect(a.discount('2027-04-09T04:00:00Z')).toBe(null); // grace over, even before tick records it
    a.pay('2027-04-05T12:00:00Z');
    a.cancel('2027-04-06T12:00:00Z');
    expect(a.discount('2027-05-02T03:59:59Z')).toBe('10% 8.00'); // cancelled, before the paid-through date
    expect(a.discount('2027-05-02T04:00:00Z')).toBe(null); // at the paid-through date
    a.tick('2027-05-02T04:00:00Z');
    expect(a.m.status).toBe('expired');
    for (const at of ['2027-05-02T04:00:00Z', '2027-06-01T00:00:00Z', '2028-01-01T00:00:00Z']) expect(a.discount(at)).toBe(null);
  });

  test('the discount is 10% of the quote eligible amount (redemption exclusions, shipping and tax outside), rounded down to the cent', () => {
    const a = new Member(paidProgram({}, { redemption: { exclude: { categories: ['gift-card'] } } }));
    a.start('2027-01-31T15:00:00Z', true);
    expect(a.discount('2027-02-10T12:00:00Z', [{ unitPrice: '80.05' }, { unitPrice: '50.00', categories: ['gift-card'] }])).toBe('10% 8.00'); // 8.005 → 8.00
    expect(a.discount('2027-02-10T12:00:00Z', [{ unitPrice: '19.99' }])).toBe('10% 1.99');
  });

  test('free shipping and the benefits view hold exactly when benefits hold', () => {
    const a = new Member(paidProgram());
    a.start('2027-01-31T15:00:00Z', false);
    const b = memberBenefits(a.program, a.account, new Date('2027-02-01T00:00:00Z'));
    expect([b?.freeShipping, b?.discountPercent.toString(), b?.pointsMultiplier.toString()]).toEqual([true, '10', '2']);
    expect(membershipStatusAt(a.program, a.account, new Date('2027-02-01T00:00:00Z'))).toBe('past_due'); // due at the join, unpaid
    expect(membershipStatusAt(a.program, a.account, new Date('2027-02-07T15:00:00Z'))).toBe('expired');
    expect(memberBenefits(a.program, a.account, new Date('2027-02-07T15:00:00Z'))).toBe(null);
    expect(membershipStatusAt(a.program, a.account, new Date('2027-01-01T00:00:00Z'))).toBe(null);
  });

  test('the points multiplier (2×) applies to purchases while benefits hold, and the membership.active fact is true; after expiry 1× and false', () => {
    const rules = [
      { id: 'base', on: 'purchase' as const, award: { kind: 'per_amount' as const, points: 1, per: 1 } },
      { id: 'member-bonus', on: 'purchase' as const, when: { all: [{ fact: 'membership.active', operator: 'equal', value: true }] }, award: { kind: 'fixed' as const, points: 5 } },
    ];
    const a = new Member(paidProgram({}, { rules }));
    expect(earnedPoints(a.buy('o0', '2027-01-20T15:00:00Z', [{ unitPrice: '19.99' }]))).toBe('19'); // not a member
    a.start('2027-01-31T15:00:00Z', true);
    expect(earnedPoints(a.buy('o1', '2027-02-10T15:00:00Z', [{ unitPrice: '19.99' }]))).toBe('44'); // 39.98 → 39, + 5
    a.pay('2027-03-01T15:00:00Z');
    expect(earnedPoints(a.buy('o2', '2027-03-10T15:00:00Z', [{ unitPrice: '10.00' }]))).toBe('25');
    a.tick('2027-04-09T04:00:00Z'); // due 2 April unpaid, grace over
    expect(a.m.status).toBe('expired');
    expect(earnedPoints(a.buy('o3', '2027-04-10T15:00:00Z', [{ unitPrice: '10.00' }]))).toBe('10');
  });

  test('value received against fees paid: 10% of each order while benefits hold, none after expiry, refunds take back their share', () => {
    const a = new Member(paidProgram());
    a.buy('o0', '2027-01-20T15:00:00Z', [{ unitPrice: '100.00' }]); // before joining: no value
    a.start('2027-01-31T15:00:00Z', true);
    a.buy('o1', '2027-02-10T15:00:00Z', [{ unitPrice: '45.00' }, { unitPrice: '0.05' }]); // 4.505 → 4.50
    a.pay('2027-03-01T15:00:00Z');
    a.buy('o2', '2027-03-10T15:00:00Z', [{ unitPrice: '120.00' }]); // 12.00
    expect([a.m.feesPaid.toString(), a.m.valueReceived.toString()]).toEqual(['12.99', '16.5']);
    // A refund of a third of o2 takes back a third of its value; the completing refund the rest.
    a.event('refund', '2027-03-12T15:00:00Z', { orderId: 'o2', amount: '40.00', currency: 'USD' });
    expect(a.m.valueReceived.toString()).toBe('12.5');
    a.event('refund', '2027-03-13T15:00:00Z', { orderId: 'o2', amount: '80.00', currency: 'USD' });
    expect(a.m.valueReceived.toString()).toBe('4.5');
    a.tick('2027-04-09T04:00:00Z');
    a.buy('o3', '2027-04-10T15:00:00Z', [{ unitPrice: '200.00' }]);
    expect([a.m.status, a.m.feesPaid.toString(), a.m.valueReceived.toString()]).toEqual(['expired', '12.99', '4.5']);
    // A refund of an order bought before joining takes nothing.
    a.event('refund', '2027-04-11T15:00:00Z', { orderId: 'o0', amount: '100.00', currency: 'USD' });
    expect(a.m.valueReceived.toString()).toBe('4.5');
  });
});

describe('paid: notices once, tick idempotent, next due instants (SPEC §9, §10)', () => {
  test('trial_ending 3 days before the trial ends, once; ticking twice at one instant changes nothing', () => {
    const a = new Member(paidProgram());
    a.start('2027-01-31T15:00:00Z', true);
    expect(a.next('1970-01-01T00:00:00Z')).toBe('2027-02-27T05:00:00.000Z'); // 00:00 EST on 27 February
    expect(a.tick('2027-02-27T04:59:59Z').ok && a.notices.length).toBe(0);
    const first = a.tick('2027-02-27T05:00:00Z');
    expect(first.ok && first.notifications.map((n) => [n.type, n.type === 'membership.trial_ending' ? n.trialEndsAt.toISOString() : ''])).toEqual([
      ['membership.trial_ending', '2027-03-02T05:00:00.000Z'],
    ]);
    const again = a.tick('2027-02-27T05:00:00Z');
    expect(again.ok && [again.transaction, again.notifications.length]).toEqual([null, 0]);
    a.tick('2027-02-28T05:00:00Z');
    expect(a.types()).toEqual(['membership.trial_ending']);
    expect(a.next('2027-02-27T05:00:00Z')).toBe('2027-03-02T05:00:00.000Z');
  });

  test('renewal_due at each due date, once; a state a late event left behind is due at once', () => {
    const a = new Member(paidProgram());
    a.start('2027-01-31T15:00:00Z', false);
    a.pay('2027-01-31T15:00:00Z');
    a.tick('2027-02-28T15:00:00Z');
    a.tick('2027-02-28T15:00:00Z');
    a.tick('2027-03-01T15:00:00Z');
    expect(a.types().filter((t) => t === 'membership.renewal_due')).toHaveLength(1);
    a.pay('2027-03-01T15:00:00Z');
    a.tick('2027-03-31T14:00:00Z');
    expect(a.types().filter((t) => t === 'membership.renewal_due')).toHaveLength(2);
    // A failure reported before the due date makes it past due; the renewal notice still goes out at the due date.
    a.pay('2027-03-31T14:00:01Z');
    a.fail('2027-04-29T14:00:00Z');
    expect(a.next('2027-04-29T14:00:00Z')).toBe('2027-04-30T14:00:00.000Z');
    a.tick('2027-04-30T14:00:00Z');
    expect(a.types().filter((t) => t === 'membership.renewal_due')).toHaveLength(3);
    expect(a.next('2027-04-30T14:00:00Z')).toBe('2027-05-07T14:00:00.000Z');
    // Scheduled from an instant past the grace end (a late event), the account is due right away.
    expect(a.next('2027-06-01T00:00:00Z')).toBe('2027-06-01T00:00:00.001Z');
  });
});

describe('paid: through createLoyalty and tickDue', () => {
  test('the acceptance story over the service: trial, conversion, renewal, failure, grace, expiry; verify after every step', async () => {
    const program = paidProgram();
    const clock = fixedClock('2027-01-31T15:00:00Z');
    const loyalty = requestsAtTheirInstant(createLoyalty({ programs: [program], store: memoryStore(), clock }), clock);
    await loyalty.upsertCustomer({ customer: { id: 'c1', enrolledAt: '2027-01-01T00:00:00Z' } });
    const who = { customerId: 'c1', programId: 'plus' };
    let seq = 0;
    const send = async (at: string, body: Record<string, unknown>) => {
      clock.set(at);
      seq += 1;
      const event = { id: `s${seq}`, customerId: 'c1', occurredAt: at, ...body };
      const result = await loyalty.process(event as Parameters<typeof loyalty.process>[0]);
      expect(await loyalty.verify({ customerId: 'c1', programId: 'plus' })).toEqual([]);
      expect((await loyalty.process(event as Parameters<typeof loyalty.process>[0])).replayed).toBe(true); // idempotent by event id
      return result;
    };
    const runDue = async (until: string) => {
      for (let due = (await loyalty.account({ customerId: 'c1', programId: 'plus' })).nextDueAt; due !== null && due.getTime() <= Date.parse(until); due = (await loyalty.account({ customerId: 'c1', programId: 'plus' })).nextDueAt) {
        clock.set(due);
        await loyalty.tickDue({ now: due });
        expect((await loyalty.tickDue({ now: due })).changed).toBe(0); // twice at one instant: nothing
        expect(await loyalty.verify({ customerId: 'c1', programId: 'plus' })).toEqual([]);
      }
      clock.set(until);
    };
    const status = async () => membershipOf(program, (await loyalty.account({ customerId: 'c1', programId: 'plus' })).state)?.status;
    const memberDiscount = async (at: InstantInput) => (await loyalty.quote({ ...who, order: { currency: 'USD', lines: [{ lineId: 'a', sku: 'a', quantity: 1, unitPrice: '50.00' }] }, points: 'max', at })).memberDiscount?.amount.toFixed(2) ?? null;

    await send('2027-01-31T15:00:00Z', { type: 'membership_started', trial: true });
    expect((await loyalty.account({ customerId: 'c1', programId: 'plus' })).nextDueAt?.toISOString()).toBe('2027-02-27T05:00:00.000Z');
    expect(await memberDiscount('2027-02-01T12:00:00Z')).toBe('5.00');
    await runDue('2027-03-01T12:00:00Z');
    await send('2027-03-01T12:00:00Z', { type: 'membership_payment', status: 'succeeded', amount: '12.99', currency: 'USD' });
    expect(await status()).toBe('active');
    const bought = await send('2027-03-15T12:00:00Z', { type: 'purchase', orderId: 'A1', currency: 'USD', lines: [{ lineId: 'a', sku: 'a', quantity: 1, unitPrice: '30.00' }] });
    expect(bought.outcomes[0]?.ok && bought.outcomes[0].transaction?.entries.find((e) => e.kind === 'earn')?.lot.amount.toString()).toBe('60');
    await runDue('2027-04-04T04:00:00Z'); // the 2 April renewal passes unpaid
    expect(await status()).toBe('past_due');
    await send('2027-04-04T04:00:00Z', { type: 'membership_payment', status: 'failed', amount: '12.99', currency: 'USD' });
    expect((await loyalty.account({ customerId: 'c1', programId: 'plus' })).nextDueAt?.toISOString()).toBe('2027-04-09T04:00:00.000Z');
    expect(await memberDiscount('2027-04-08T12:00:00Z')).toBe('5.00');
    await runDue('2027-04-10T00:00:00Z');
    expect(await status()).toBe('expired');
    expect(await memberDiscount('2027-04-10T00:00:00Z')).toBe(null);
    // Nothing is left for the membership; what remains scheduled is the win-back notice, 60 days after the purchase.
    expect((await loyalty.account({ customerId: 'c1', programId: 'plus' })).nextDueAt?.toISOString()).toBe('2027-05-14T12:00:00.000Z');

    const outbox = (await loyalty.outbox({ limit: 1000 })).map((r) => `${r.notification.at.toISOString()} ${r.notification.type}`);
    expect(outbox).toEqual([
      '2027-02-27T05:00:00.000Z membership.trial_ending',
      '2027-03-01T12:00:00.000Z membership.activated',
      '2027-03-15T12:00:00.000Z points.earned',
      '2027-04-02T04:00:00.000Z membership.renewal_due',
      '2027-04-04T04:00:00.000Z membership.past_due',
      '2027-04-09T04:00:00.000Z membership.expired',
    ]);
    const m = membershipOf(program, (await loyalty.account({ customerId: 'c1', programId: 'plus' })).state);
    expect([m?.feesPaid.toString(), m?.valueReceived.toString()]).toEqual(['12.99', '3']);
  });

  test('a currency mismatch on a payment is refused at the boundary and writes nothing', async () => {
    const program = paidProgram();
    const clock = fixedClock('2027-02-01T00:00:00Z');
    const loyalty = requestsAtTheirInstant(createLoyalty({ programs: [program], store: memoryStore(), clock }), clock);
    await loyalty.upsertCustomer({ customer: { id: 'c1', enrolledAt: '2027-01-01T00:00:00Z' } });
    await loyalty.process({ id: 'start', customerId: 'c1', type: 'membership_started', trial: true, occurredAt: '2027-01-31T15:00:00Z' });
    await expect(loyalty.process({ id: 'pay', customerId: 'c1', type: 'membership_payment', status: 'succeeded', amount: '12.99', currency: 'EUR', occurredAt: '2027-01-31T16:00:00Z' })).rejects.toMatchObject({
      code: 'currency_mismatch',
    });
    expect((await loyalty.history({ customerId: 'c1', programId: 'plus' })).transactions).toHaveLength(1);
    expect(await loyalty.verify({ customerId: 'c1', programId: 'plus' })).toEqual([]);
  });
});
