// Issue 13: one steps-to-entries converter (stepsToResult, src/kinds/shared.ts) for the tiered
// and paid machines. Notification ids are stored (the outbox, the processed records), so these pin
// them, and the order of the entries, as they were before the two converters became one.
import { describe, expect, test } from 'vitest';
import { defineProgram } from '../../src';
import { applyTransaction, evaluate, openAccount, parseCustomer, parseEvent, tick } from '../../src/core';
import type { AccountState, Decision } from '../../src/core';
import type { LoyaltyEvent } from '../../src';

const customer = parseCustomer({ id: 'c1', enrolledAt: '2026-01-01T00:00:00Z' });

function applied(account: AccountState, decision: Decision): AccountState {
  if (!decision.ok) throw new Error(JSON.stringify(decision.issues));
  return decision.transaction ? applyTransaction(account, decision.transaction) : account;
}
const ids = (d: Decision): string[] => (d.ok ? d.notifications.map((n) => n.id) : []);
const kinds = (d: Decision): string[] => (d.ok ? (d.transaction?.entries.map((e) => e.kind) ?? []) : []);
const event = (input: Record<string, unknown>): LoyaltyEvent => parseEvent({ customerId: 'c1', ...input });

describe('tiered: period-end evaluations recorded by stepsToResult', () => {
  const program = defineProgram({
    kind: 'tiered',
    id: 't',
    version: 1,
    currency: 'USD',
    timeZone: 'UTC',
    lapseDays: 3650,
    tiers: [{ id: 'a', threshold: 0 }, { id: 'b', threshold: 350 }, { id: 'c', threshold: 1000 }],
    qualification: { basis: 'spend', window: 'calendar_year' },
    rules: [{ id: 'base', on: 'purchase', award: { kind: 'per_amount', points: 1, per: 1 } }],
  });
  const bought = applied(openAccount(program, 'c1'), evaluate(program, openAccount(program, 'c1'), event({ id: 'e1', type: 'purchase', orderId: 'o1', currency: 'USD', occurredAt: '2026-03-01T12:00:00Z', lines: [{ lineId: 'l', sku: 's', quantity: 1, unitPrice: '1200' }] }), { customer }));

  test('a late tick: one state entry per evaluation, the downgrade notice with the tick and the instant in its id', () => {
    const d = tick(program, bought, new Date('2029-06-01T00:00:00Z'), { customer });
    expect(ids(d)).toEqual(['tick:2029-06-01T00:00:00.000Z:tier.downgraded:2028-01-01T00:00:00.000Z']);
    expect(kinds(d)).toEqual(['state', 'state']);
    const notice = d.ok ? d.notifications[0] : undefined;
    expect(notice?.type === 'tier.downgraded' && [notice.from, notice.to, notice.at.toISOString()]).toEqual(['c', 'a', '2028-01-01T00:00:00.000Z']);
  });

  test('a late purchase records the evaluations it catches up before its own upgrade', () => {
    const d = evaluate(program, bought, event({ id: 'e2', type: 'purchase', orderId: 'o2', currency: 'USD', occurredAt: '2029-07-01T12:00:00Z', lines: [{ lineId: 'l', sku: 's', quantity: 1, unitPrice: '400' }] }), { customer });
    expect(ids(d)).toEqual(['event:e2:points.earned', 'event:e2:tier.downgraded:2028-01-01T00:00:00.000Z', 'event:e2:tier.upgraded']);
    expect(kinds(d)).toEqual(['activity', 'earn', 'state', 'state', 'state']);
  });
});

describe('paid: membership steps recorded by stepsToResult', () => {
  const program = defineProgram({ kind: 'paid', id: 'm', version: 1, currency: 'USD', timeZone: 'UTC', lapseDays: 3650, membership: { fee: '12.99', period: 'month', trialDays: 30, graceDays: 3 } });
  let member = openAccount(program, 'c1');
  member = applied(member, evaluate(program, member, event({ id: 'm1', type: 'membership_started', occurredAt: '2027-01-20T12:00:00Z', trial: false }), { customer }));
  member = applied(member, evaluate(program, member, event({ id: 'm2', type: 'membership_payment', status: 'succeeded', amount: '12.99', currency: 'USD', occurredAt: '2027-01-20T13:00:00Z' }), { customer }));

  test('tick and a payment: ids from the prefix and the notice type, one state entry per step', () => {
    const late = tick(program, member, new Date('2027-06-01T00:00:00Z'), { customer });
    expect(ids(late)).toEqual(['tick:2027-06-01T00:00:00.000Z:membership:membership.expired']);
    expect(kinds(late)).toEqual(['state', 'state']);
    const renewal = evaluate(program, member, event({ id: 'm3', type: 'membership_payment', status: 'succeeded', amount: '12.99', currency: 'USD', occurredAt: '2027-02-22T13:00:00Z' }), { customer });
    expect(ids(renewal)).toEqual(['event:m3:membership.renewal_due']);
    expect(kinds(renewal)).toEqual(['state', 'state']);
  });
});
