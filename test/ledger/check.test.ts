// verify sees corruption: each check below corrupts a sound ledger (its state or its transactions)
// and expects the finding by its code.
import { describe, expect, test } from 'vitest';
import { LoyaltyError } from '../../src';
import { applyEntries, emptyAccountState, parseEvent, verifyFold } from '../../src/core';
import { Decimal } from '../../src/money/decimal';
import type { Entry, Lot, Transaction } from '../../src';
import type { AccountState } from '../../src/core';
import { pointsProgram } from '../fixtures';
import { Ledger } from '../harness';

const program = pointsProgram({ rules: [{ id: 'base', on: 'purchase', award: { kind: 'per_amount', points: 1, per: 1 } }] });
const lines = [
  { lineId: 'l1', sku: 's1', quantity: 2, unitPrice: '30' },
  { lineId: 'l2', sku: 's2', quantity: 1, unitPrice: '40' },
];
const buy = (id: string) => parseEvent({ id, customerId: 'c1', type: 'purchase', orderId: `o-${id}`, currency: 'USD', occurredAt: '2027-03-10T15:00:00Z', lines });
const refund = (id: string, orderId: string, refunded: { lineId: string; quantity: number }[]) =>
  parseEvent({ id, customerId: 'c1', type: 'refund', orderId, occurredAt: '2027-03-11T15:00:00Z', lines: refunded });

function sound(): Ledger {
  const book = new Ledger(program, { who: null, refusal: (issues) => `refused: ${issues[0].code}` });
  book.event(buy('p1'));
  book.event(buy('p2'));
  book.event(refund('r1', 'o-p2', [{ lineId: 'l1', quantity: 1 }]));
  book.check();
  return book;
}
const codes = (state: AccountState, txs: readonly Transaction[]): string[] => verifyFold(state, txs).map((i) => i.code);
const mapEntries = (txs: readonly Transaction[], f: (e: Entry, tx: Transaction) => Entry): Transaction[] => txs.map((tx) => ({ ...tx, entries: tx.entries.map((e) => f(e, tx)) }));
const refold = (txs: readonly Transaction[]): AccountState => applyEntries(emptyAccountState('rewards', 'c1'), txs);

describe('verify sees corruption', () => {
  test('a sound ledger has no findings', () => {
    const book = sound();
    expect(codes(book.account, book.txs)).toEqual([]);
  });

  test('order_overclawed: a clawback charged more against an order than it earned', () => {
    const book = sound();
    // The refund's clawback claims 500 against a lot that earned 100 (and takes 500 from it as debt).
    const txs = mapEntries(book.txs, (e) => (e.kind === 'clawback' ? { ...e, against: e.against.map((a) => ({ ...a, amount: new Decimal(500) })), draws: [], debt: new Decimal(500) } : e));
    expect(codes(refold(txs), txs)).toContain('order_overclawed');
  });

  test('order_not_netted: a complete refund that leaves the order with points', () => {
    const book = sound();
    book.event(refund('r2', 'o-p1', [{ lineId: 'l1', quantity: 2 }, { lineId: 'l2', quantity: 1 }]));
    book.check();
    // Drop the clawback from the complete refund: the order keeps its 100 points.
    const txs = book.txs.map((tx) => (tx.id === 'event:r2' ? { ...tx, entries: tx.entries.filter((e) => e.kind !== 'clawback') } : tx));
    expect(codes(refold(txs), txs)).toContain('order_not_netted');
  });

  test('lot_id_reused: two earns of one lot id (the first spent, so the fold alone did not see it)', () => {
    const book = sound();
    const first = book.txs[0];
    const lot = first?.entries.find((e): e is Extract<Entry, { kind: 'earn' }> => e.kind === 'earn')?.lot as Lot;
    const spendAll: Transaction = { ...first!, id: 'redeem:x', cause: { kind: 'request', requestId: 'x', operation: 'redeem' }, entries: [{ kind: 'redeem', unit: 'points', draws: [{ lot: lot.id, amount: lot.amount, from: 'available', terms: { ...lot } }] }] };
    const again: Transaction = { ...first!, id: 'event:p1-again', entries: first!.entries.filter((e) => e.kind === 'earn') };
    const txs = [...book.txs, spendAll, again];
    expect(codes(refold(txs), txs)).toContain('lot_id_reused');
  });

  test('the fold refuses an earn whose lot id is in the state, and a restore that would leave a lot holding more than its amount', () => {
    const book = sound();
    const first = book.txs[0]!;
    expect(() => applyEntries(book.account, { ...first, id: 'event:dup' })).toThrow(LoyaltyError);
    const lot = book.account.lots.find((l) => l.id === 'p1:base')!;
    const restore: Transaction = {
      ...first,
      id: 'cancel:x',
      cause: { kind: 'request', requestId: 'x', operation: 'cancel' },
      entries: [{ kind: 'restore', unit: 'points', source: 'redeemed', draws: [{ lot: lot.id, amount: new Decimal(5), from: 'available', terms: { ...lot } }], expired: [] }],
    };
    let error: unknown;
    try {
      applyEntries(book.account, restore);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LoyaltyError);
    expect((error as LoyaltyError).issues[0]?.code).toBe('ledger_inconsistent');
    expect(codes(book.account, [...book.txs, restore])).toContain('fold_failed');
  });

  test('lot_out_of_bounds and duplicate_lot: a lot holding more than its amount, two lots with one id', () => {
    const book = sound();
    const [a] = book.account.lots;
    const over = { ...book.account, lots: [{ ...a!, remaining: a!.amount.plus(1) }, ...book.account.lots.slice(1)] };
    expect(codes(over, book.txs)).toContain('lot_out_of_bounds');
    const twice = { ...book.account, lots: [...book.account.lots, a!] };
    expect(codes(twice, book.txs)).toContain('duplicate_lot');
  });

  test('foreign_transaction: a transaction of the account names another customer or program', () => {
    const book = sound();
    const txs = book.txs.map((tx, i) => (i === 1 ? { ...tx, customerId: 'c2' } : tx));
    expect(codes(book.account, txs)).toContain('foreign_transaction');
    const other = book.txs.map((tx, i) => (i === 1 ? { ...tx, programId: 'other' } : tx));
    expect(codes(book.account, other)).toContain('foreign_transaction');
  });

  test('foreign_state: the state verified is not the account asked for', () => {
    const book = sound();
    expect(verifyFold(book.account, book.txs, { programId: 'rewards', customerId: 'c2' }).map((i) => i.code)).toContain('foreign_state');
    expect(verifyFold(book.account, book.txs, { programId: 'rewards', customerId: 'c1' })).toEqual([]);
  });

  test('fractional_amount: points that are not whole, credit finer than its currency’s minor unit, in lots, holds and debts', () => {
    const book = sound();
    const [a] = book.account.lots;
    const half = { ...book.account, lots: [{ ...a!, amount: a!.amount.plus('0.5'), remaining: a!.remaining.plus('0.5') }, ...book.account.lots.slice(1)] };
    expect(codes(half, book.txs)).toContain('fractional_amount');
    const credit: Lot = { ...a!, id: 'c:1', unit: 'credit:USD', amount: new Decimal('1.005'), remaining: new Decimal('1.005') };
    expect(verifyFold({ ...book.account, lots: [...book.account.lots, credit] }, book.txs).map((i) => [i.code, i.path.join('.')])).toContainEqual(['fractional_amount', 'lots.2.amount']);
    const cents: Lot = { ...credit, amount: new Decimal('1.25'), remaining: new Decimal('1.25') };
    expect(verifyFold({ ...book.account, lots: [...book.account.lots, cents] }, book.txs).map((i) => i.code)).not.toContain('fractional_amount');
    expect(codes({ ...book.account, debt: { points: new Decimal('0.1') } }, book.txs)).toContain('fractional_amount');
    const hold = { id: 'h', unit: 'points' as const, draws: [{ lot: a!.id, amount: new Decimal('0.25'), from: 'available' as const, terms: { ...a! } }], expiresAt: new Date('2027-04-01T00:00:00Z') };
    expect(codes({ ...book.account, holds: [hold] }, book.txs)).toContain('fractional_amount');
  });
});
