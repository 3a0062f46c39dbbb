// Issue 13: the operation cache travels in every public operation's kind context, so a kind
// computes its catch-up (the tier's period-end evaluations, the membership machine's time steps)
// once per operation, however many hooks read it. These count the catch-ups through the two
// machines' `advance`, wrapped in a spy: without the cache, an evaluation computes them once per
// hook (facts, multipliers, onEvent, the member discount) instead of once.
import { beforeEach, describe, expect, test, vi } from 'vitest';
import { defineProgram } from '../../src';
import { applyTransaction, evaluate, nextDueAt, openAccount, parseCustomer, parseEvent, quote, redeem, redeemReward, tick } from '../../src/core';
import { quoteRequestSchema, redeemRequestSchema, rewardRequestSchema } from '../../src/schemas';
import type { AccountState, Decision } from '../../src/core';
import type { LoyaltyEvent, Program } from '../../src';
import * as ladder from '../../src/kinds/tiered/ladder';
import * as machine from '../../src/kinds/paid/machine';

vi.mock('../../src/kinds/tiered/ladder', async (importOriginal) => {
  const original = await importOriginal<typeof ladder>();
  return { ...original, advance: vi.fn(original.advance) };
});
vi.mock('../../src/kinds/paid/machine', async (importOriginal) => {
  const original = await importOriginal<typeof machine>();
  return { ...original, advance: vi.fn(original.advance) };
});

const tierCatchUps = vi.mocked(ladder.advance);
const membershipCatchUps = vi.mocked(machine.advance);
beforeEach(() => {
  tierCatchUps.mockClear();
  membershipCatchUps.mockClear();
});

const customer = parseCustomer({ id: 'c1', enrolledAt: '2026-01-01T00:00:00Z', birthday: '--06-01' });
const order = { currency: 'USD', lines: [{ lineId: 'l1', sku: 'sku', quantity: 1, unitPrice: '100' }] };
const at = '2027-02-01T12:00:00Z';

function applied(account: AccountState, decision: Decision): AccountState {
  if (!decision.ok) throw new Error(JSON.stringify(decision.issues));
  return decision.transaction ? applyTransaction(account, decision.transaction) : account;
}

function purchase(id: string, occurredAt: string): LoyaltyEvent {
  return parseEvent({ id, customerId: 'c1', type: 'purchase', orderId: id, currency: 'USD', occurredAt, lines: [{ lineId: 'l1', sku: 'sku', quantity: 1, unitPrice: '400' }] });
}

describe('tiered: one catch-up of the tier per operation', () => {
  // Rules read customer.tier, tier.next and tier.progress; VIB has a multiplier and a tier-only reward.
  const program = defineProgram({
    kind: 'tiered',
    id: 'beauty',
    version: 1,
    currency: 'USD',
    timeZone: 'UTC',
    lapseDays: 3650,
    tiers: [
      { id: 'insider', threshold: 0 },
      { id: 'vib', threshold: 350, multiplier: '1.5', benefits: { birthdayGift: 250, rewards: ['gift'] } },
    ],
    qualification: { basis: 'spend', window: 'calendar_year' },
    rewards: [{ id: 'gift', name: 'Gift', cost: 10, kind: 'free_product', sku: 'GIFT' }],
    rules: [
      { id: 'base', on: 'purchase', award: { kind: 'per_amount', points: 1, per: 1 } },
      {
        id: 'status',
        on: 'purchase',
        award: { kind: 'fixed', points: 5 },
        when: { all: [{ fact: 'customer.tier', operator: 'in', value: ['insider', 'vib'] }, { fact: 'tier.next', operator: 'notEqual', value: 'x' }, { fact: 'tier.progress', operator: 'greaterThanInclusive', value: 0 }] },
      },
    ],
  });
  // VIB reached in 2026; its evaluation at the end of 2026 is due, so each operation in 2027 catches up.
  const account = applied(openAccount(program, 'c1'), evaluate(program, openAccount(program, 'c1'), purchase('o1', '2026-03-01T12:00:00Z'), { customer }));

  test('evaluate: the three tier facts, the multiplier and onEvent share one catch-up', () => {
    tierCatchUps.mockClear();
    const decision = evaluate(program, account, purchase('o2', at), { customer });
    expect(decision.ok).toBe(true);
    expect(tierCatchUps).toHaveBeenCalledTimes(1);
  });

  // Only one hook reads the tier in these, so they stay at one without the cache too: this pins the
  // count (a new hook reading the tier must go through the cache), it does not prove the cache.
  test('tick, redeemReward: one catch-up each; quote, redeem and nextDueAt need none', () => {
    const now = new Date(at);
    const counted = (run: () => unknown): number => {
      tierCatchUps.mockClear();
      run();
      return tierCatchUps.mock.calls.length;
    };
    expect(counted(() => tick(program, account, now, { customer }))).toBe(1);
    expect(counted(() => redeemReward(program, account, rewardRequestSchema.parse({ requestId: 'r1', rewardId: 'gift', at }), { customer }))).toBe(1);
    expect(counted(() => quote(program, account, quoteRequestSchema.parse({ order, points: 10, at })))).toBe(0);
    expect(counted(() => redeem(program, account, redeemRequestSchema.parse({ requestId: 'r2', points: 10, at })))).toBe(0);
    expect(counted(() => nextDueAt(program, account, now, { customer }))).toBe(0);
  });
});

describe('paid: one catch-up of the membership per operation', () => {
  const program: Program = defineProgram({
    kind: 'paid',
    id: 'plus',
    version: 1,
    currency: 'USD',
    timeZone: 'UTC',
    membership: { fee: '12.99', period: 'month', trialDays: 30, benefits: { discountPercent: 10, freeShipping: true, pointsMultiplier: 2 } },
    rules: [
      { id: 'base', on: 'purchase', award: { kind: 'per_amount', points: 1, per: 1 } },
      { id: 'members', on: 'purchase', award: { kind: 'fixed', points: 5 }, when: { all: [{ fact: 'membership.active', operator: 'equal', value: true }] } },
    ],
  });
  const started = parseEvent({ id: 'm1', customerId: 'c1', type: 'membership_started', occurredAt: '2027-01-20T12:00:00Z', trial: true });
  const account = applied(openAccount(program, 'c1'), evaluate(program, openAccount(program, 'c1'), started, { customer }));

  test('evaluate: the membership.active fact, the multiplier and the member value of a purchase share one catch-up', () => {
    membershipCatchUps.mockClear();
    const decision = evaluate(program, account, purchase('o1', at), { customer });
    expect(decision.ok && decision.transaction?.entries.some((e) => e.kind === 'state' && e.value?.kind === 'membership')).toBe(true);
    expect(membershipCatchUps).toHaveBeenCalledTimes(1);
  });

  test('a membership event, tick and quote: one catch-up each', () => {
    const counted = (run: () => unknown): number => {
      membershipCatchUps.mockClear();
      run();
      return membershipCatchUps.mock.calls.length;
    };
    const cancel = parseEvent({ id: 'm2', customerId: 'c1', type: 'membership_cancelled', occurredAt: at });
    expect(counted(() => evaluate(program, account, cancel, { customer }))).toBe(1);
    expect(counted(() => tick(program, account, new Date(at), { customer }))).toBe(1);
    expect(counted(() => quote(program, account, quoteRequestSchema.parse({ order, points: 10, at })))).toBe(1);
  });
});
