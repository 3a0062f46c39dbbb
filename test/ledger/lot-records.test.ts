// The lot indexes hold lots as compact records (instants as numbers) and build a `Lot` when read:
// what is read back must be the lot that was written, equal in value and byte for byte in JSON
// (key order included), and a lot of another shape must come back exactly as given.
import { describe, expect, test, vi } from 'vitest';
import { lotsExpiredAt, lotsReleasedAt, lotsToNotice, nextLotInstant } from '../../src/engine/due-lots';
import { applyTransaction, emptyAccountState } from '../../src/ledger/fold';
import { lotIndexOf, lotOf } from '../../src/ledger/lot-index';
import { LotRecord } from '../../src/ledger/lot-record';
import { balanceAt, spendableLots } from '../../src/ledger/read';
import { toArray } from '../../src/ledger/chunks';
import { Decimal } from '../../src/money/decimal';
import type { Lot, Transaction } from '../../src/ledger/types';

const at = (iso: string): Date => new Date(iso);
const lot = (id: string, extra: Partial<Lot> = {}): Lot => ({
  id,
  unit: 'points',
  amount: new Decimal(100),
  remaining: new Decimal(100),
  earnedAt: at('2027-01-01T10:00:00Z'),
  availableAt: at('2027-01-15T10:00:00Z'),
  expiresAt: at('2028-01-01T10:00:00Z'),
  account: 'pending',
  cause: { eventId: id, ruleId: 'base', programVersion: 1 },
  ...extra,
});
const earnTx = (id: string, l: Lot, when = '2027-01-01T10:00:00Z'): Transaction => ({
  id,
  programId: 'p',
  programVersion: 1,
  customerId: 'c1',
  at: at(when),
  cause: { kind: 'event', eventId: id, eventType: 'purchase' },
  entries: [{ kind: 'earn', unit: 'points', lot: l, repaid: new Decimal(0), ruleId: 'base' }],
});

describe('lot records', () => {
  test('a lot in the engine\'s shape is held as numbers and read back equal, key order included', () => {
    const written = [lot('a', { orderId: 'o1' }), lot('b', { expiresAt: null, account: 'available', availableAt: at('2027-01-01T10:00:00Z') })];
    let state = emptyAccountState('p', 'c1');
    written.forEach((l, i) => (state = applyTransaction(state, earnTx(`t${i}`, l))));
    const records = toArray(lotIndexOf(state).bySeq);
    // Rebuilt, not kept: no reference to the written lot (nor its three Dates) is held.
    expect(records.map((r) => r.raw)).toEqual([undefined, undefined]);
    expect(records[0]?.earnedAt).toBe(Date.parse('2027-01-01T10:00:00Z'));
    expect(JSON.stringify(state.lots)).toBe(JSON.stringify(written));
    expect(state.lots).toStrictEqual(written);
    expect(lotOf(state, 'a')).toStrictEqual(written[0]);
    expect(Object.keys(lotOf(state, 'b') ?? {})).toEqual(Object.keys(written[1] as Lot));
  });

  test('a lot is built on each read, equal each time; the walks of tick and nextDueAt build none', () => {
    const record = LotRecord.of(0, lot('a'), undefined);
    const first = record.lot;
    const second = record.lot;
    expect(first).not.toBe(second);
    expect(second).toStrictEqual(first);
    expect(record.withRemaining(new Decimal(5)).lot.remaining.toString()).toBe('5');
    // A quiet account (nothing due): the due-lot reads answer from the records' numbers alone.
    let state = emptyAccountState('p', 'c1');
    [lot('p1'), lot('p2', { expiresAt: null }), lot('v1', { account: 'available', availableAt: at('2027-01-01T10:00:00Z') })].forEach((l, i) => (state = applyTransaction(state, earnTx(`t${i}`, l))));
    lotIndexOf(state);
    const built = vi.spyOn(LotRecord.prototype, 'lot', 'get');
    try {
      const t = Date.parse('2027-01-10T00:00:00Z');
      const ahead = 30 * 86_400_000;
      expect(nextLotInstant(state, t, ahead)).toBe(Date.parse('2027-01-15T10:00:00Z'));
      expect(lotsExpiredAt(state, t)).toEqual([]);
      expect(lotsReleasedAt(state, t, new Set())).toEqual([]);
      expect(lotsToNotice(state, t, ahead, new Set())).toEqual([]);
      expect(built).not.toHaveBeenCalled();
      // What is due is built: the lots released at their instant.
      expect(lotsReleasedAt(state, Date.parse('2027-01-15T10:00:00Z'), new Set(['p2'])).map((l) => l.id)).toEqual(['p1']);
      expect(built).toHaveBeenCalledTimes(1);
    } finally {
      built.mockRestore();
    }
  });

  test('a lot of another shape is kept as given', () => {
    // `account` moved to the end (as a restore re-creating a lot from a draw's terms writes it).
    const { account, ...rest } = lot('r', { availableAt: at('2027-01-01T10:00:00Z'), account: 'available' });
    const keysMoved = { ...rest, account } as Lot;
    const undefinedOrder = { ...lot('u'), orderId: undefined } as unknown as Lot;
    for (const odd of [keysMoved, undefinedOrder]) {
      const record = LotRecord.of(0, odd, undefined);
      expect(record.raw).toBe(odd);
      expect(record.lot).toBe(odd);
      const state = applyTransaction(emptyAccountState('p', 'c1'), earnTx('t', odd));
      expect(JSON.stringify(state.lots)).toBe(JSON.stringify([odd]));
    }
  });

  test('draws, releases and restores change the record; reads answer from its numbers', () => {
    let state = applyTransaction(emptyAccountState('p', 'c1'), earnTx('t1', lot('a', { orderId: 'o1' })));
    expect(balanceAt(state, at('2027-01-10T00:00:00Z')).pending.toString()).toBe('100');
    state = applyTransaction(state, { ...earnTx('t2', lot('x'), '2027-01-16T00:00:00Z'), entries: [{ kind: 'release', unit: 'points', lot: 'a', amount: new Decimal(100) }] });
    expect(spendableLots(state, at('2027-02-01T00:00:00Z')).map((l) => [l.id, l.account, l.remaining.toString()])).toEqual([['a', 'available', '100']]);
    const terms = { unit: 'points' as const, amount: new Decimal(100), earnedAt: at('2027-01-01T10:00:00Z'), availableAt: at('2027-01-15T10:00:00Z'), expiresAt: at('2028-01-01T10:00:00Z'), cause: { eventId: 'a', ruleId: 'base', programVersion: 1 }, orderId: 'o1' };
    state = applyTransaction(state, { ...earnTx('t3', lot('x'), '2027-02-01T00:00:00Z'), entries: [{ kind: 'redeem', unit: 'points', draws: [{ lot: 'a', amount: new Decimal(30), from: 'available', terms }] }] });
    expect(lotOf(state, 'a')).toStrictEqual(lot('a', { orderId: 'o1', account: 'available', remaining: new Decimal(70) }));
    expect(balanceAt(state, at('2027-02-01T00:00:00Z')).available.toString()).toBe('70');
    // Past the expiry the lot is out of the balance and of the spendable lots, read from the record.
    expect(balanceAt(state, at('2028-01-01T10:00:00Z')).available.toString()).toBe('0');
    expect(spendableLots(state, at('2028-01-01T10:00:00Z'))).toEqual([]);
  });
});
