// The ledger path: transactions written by the service (earn, pending release, redeem, cancel,
// hold, capture, release, adjust both ways, reverse, refund clawback, expiry by tick) counted by
// the accumulator agree with the program's books (`ledgerBalances`, the sums of `postingsOf`).
import { describe, expect, test } from 'vitest';
import { createLoyalty, defineProgram, fixedClock, memoryStore } from '../../src';
import { ledgerBalances, parseEvent } from '../../src/core';
import { Decimal } from '../../src/money/decimal';
import { computeMetricsSync, type MetricsInput } from '../../src/metrics';
import type { Transaction } from '../../src';
import { requestsAtTheirInstant } from '../request-clock';

const program = defineProgram({
  kind: 'points',
  id: 'rewards',
  version: 1,
  currency: 'USD',
  timeZone: 'America/New_York',
  returns: { whenSpent: 'allow_negative' },
  expiry: { kind: 'rolling', days: 20 },
  rules: [{ id: 'base', on: 'purchase', award: { kind: 'per_amount', points: 1, per: 1 } }],
});

async function history(): Promise<Transaction[]> {
  const clock = fixedClock('2027-04-01T00:00:00Z');
  const loyalty = requestsAtTheirInstant(createLoyalty({ programs: [program], store: memoryStore(), clock }), clock);
  await loyalty.upsertCustomer({ customer: { id: 'c1', enrolledAt: '2027-01-01T00:00:00Z' } });
  const base = { customerId: 'c1', programId: 'rewards' };
  const buy = (id: string, at: string, price: string) =>
    loyalty.process(parseEvent({ type: 'purchase', id, customerId: 'c1', occurredAt: at, orderId: id, currency: 'USD', lines: [{ lineId: 'l1', sku: 's', quantity: 2, unitPrice: price }] }));
  clock.set('2027-03-02T00:00:00Z');
  await buy('o1', '2027-03-01T12:00:00Z', '100.00'); // +200
  await buy('o2', '2027-03-01T13:00:00Z', '50.00'); // +100
  const redemption = await loyalty.redeem({ ...base, requestId: 'r1', points: '120', at: '2027-03-01T14:00:00Z' });
  await loyalty.cancelRedemption({ ...base, requestId: 'r2', transactionId: redemption.transactionId ?? '', at: '2027-03-01T15:00:00Z' });
  await loyalty.redeem({ ...base, requestId: 'r3', points: '90', at: '2027-03-01T16:00:00Z' });
  const held = await loyalty.hold({ ...base, requestId: 'h1', points: '40', at: '2027-03-01T17:00:00Z' });
  await loyalty.capture({ ...base, requestId: 'h2', holdId: held.holdId ?? '', points: '25', at: '2027-03-01T17:10:00Z' });
  const held2 = await loyalty.hold({ ...base, requestId: 'h3', points: '10', at: '2027-03-01T19:00:00Z' });
  await loyalty.release({ ...base, requestId: 'h4', holdId: held2.holdId ?? '', at: '2027-03-01T20:00:00Z' });
  await loyalty.adjust({ ...base, requestId: 'a1', points: '30', actor: 'ops', reason: 'goodwill', at: '2027-03-01T21:00:00Z' });
  const debit = await loyalty.adjust({ ...base, requestId: 'a2', points: '-15', actor: 'ops', reason: 'fix', at: '2027-03-01T22:00:00Z' });
  await loyalty.reverse({ ...base, requestId: 'a3', transactionId: debit.transactionId ?? '', at: '2027-03-01T23:00:00Z' });
  await loyalty.process(parseEvent({ type: 'refund', id: 'f1', customerId: 'c1', occurredAt: '2027-03-01T23:30:00Z', orderId: 'o1', lines: [{ lineId: 'l1', quantity: 2 }] }));
  clock.set('2027-04-01T00:00:00Z');
  await loyalty.tickDue({ now: '2027-04-01T00:00:00Z' });
  const page = await loyalty.history({ ...base, limit: 1000 });
  return [...page.transactions].reverse();
}

describe('transactions', () => {
  test('points issued, redeemed, expired, clawed back and adjusted equal the books', async () => {
    const txs = await history();
    const kinds = new Set(txs.flatMap((tx) => tx.entries.map((e) => e.kind)));
    for (const kind of ['earn', 'redeem', 'restore', 'hold', 'capture', 'adjust', 'clawback', 'expire']) expect(kinds, kind).toContain(kind);
    const books = ledgerBalances(txs).get('points') ?? new Map<string, Decimal>();
    const book = (account: string) => (books.get(account as never) ?? new Decimal(0)).toString();
    const items: MetricsInput[] = txs.map((transaction) => ({ kind: 'transaction', transaction }));
    const points = computeMetricsSync(items, { timeZone: 'America/New_York', period: 'month', currency: 'USD' }).totals.points;
    expect(points.issued).toBe(new Decimal(book('issued')).neg().toString());
    expect(points.redeemed).toBe(book('redeemed'));
    expect(points.expired).toBe(book('expired'));
    expect(points.clawedBack).toBe(book('clawed_back'));
    expect(points.adjusted).toBe(book('adjusted'));
    const customerSide = ['available', 'pending', 'held'].reduce((s, a) => s.plus(book(a)), new Decimal(0));
    expect(points.outstanding).toBe(customerSide.toString());
    expect(Number(points.expired)).toBeGreaterThan(0);
  });

  test('refunds from the transactions: the refund entries’ net lowers revenue (and refund events are then ignored)', async () => {
    const txs = await history();
    const refundNet = txs.flatMap((tx) => tx.entries).reduce((s, e) => (e.kind === 'refund' ? s.plus(e.net) : s), new Decimal(0));
    expect(refundNet.toString()).toBe('200');
    const items: MetricsInput[] = txs.map((transaction) => ({ kind: 'transaction', transaction }));
    const options = { timeZone: 'America/New_York', period: 'month', currency: 'USD' } as const;
    expect(computeMetricsSync(items, { ...options, refundsFrom: 'transactions' }).totals.orders.revenue).toBe('-200');
    expect(computeMetricsSync(items, options).totals.orders.revenue).toBe('0');
  });

  test('only the named program’s transactions count', async () => {
    const items: MetricsInput[] = (await history()).map((transaction) => ({ kind: 'transaction', transaction }));
    const other = computeMetricsSync(items, { timeZone: 'UTC', period: 'month', currency: 'USD', programId: 'other' });
    expect(other.totals.points.issued).toBe('0');
  });
});
