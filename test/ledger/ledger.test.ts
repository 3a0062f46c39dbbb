import { describe, expect, test } from 'vitest';
import { LoyaltyError } from '../../src';
import {
  accountStateText,
  adjust,
  applyEntries,
  balanceAt,
  emptyAccountState,
  evaluate,
  openAccount,
  parseEvent,
  postingsOf,
  redeem,
  transactionText,
} from '../../src/core';
import { adjustRequestSchema, redeemRequestSchema } from '../../src/schemas';
import { Decimal } from '../../src/money/decimal';
import type { Transaction } from '../../src';
import type { AccountState, Decision } from '../../src/core';
import { pointsProgram } from '../fixtures';
import { Ledger } from '../harness';

const program = pointsProgram({
  returns: { whenSpent: 'allow_negative', negativeLimit: 500 },
  rules: [
    { id: 'base', on: 'purchase', award: { kind: 'per_amount', points: 1, per: 1 } },
    { id: 'review', on: 'review', award: { kind: 'fixed', points: 20 }, limits: [{ per: 'day', count: 1 }] },
  ],
});
const txOf = (d: Decision): Transaction => {
  if (!d.ok || !d.transaction) throw new Error('expected a transaction');
  return d.transaction;
};
const buy = (id: string, price: string, at = '2027-03-10T15:00:00Z') =>
  parseEvent({ id, customerId: 'c1', type: 'purchase', orderId: id, currency: 'USD', occurredAt: at, lines: [{ lineId: 'l', sku: 's', quantity: 1, unitPrice: price }] });

/** A pure-core ledger that throws on any refusal and keeps every transaction. */
const strictLedger = (): Ledger => new Ledger(program, { who: null, refusal: (issues) => `refused: ${issues[0].code}` });

describe('ledger', () => {
  test('every entry balances per unit', () => {
    const l = strictLedger();
    l.event(buy('o1', '120.00'));
    l.redeem({ requestId: 'r1', points: 70, at: '2027-03-11T00:00:00Z' });
    l.apply(adjust(program, l.account, adjustRequestSchema.parse({ requestId: 'a1', points: -10, actor: 't', reason: 'fix', at: '2027-03-11T00:00:00Z' })));
    expect(l.txs).toHaveLength(3);
    const state = l.account;
    for (const tx of l.txs) for (const entry of tx.entries) {
      const sum = postingsOf(entry).reduce((s, p) => s.plus(p.amount), new Decimal(0));
      expect(sum.isZero()).toBe(true);
    }
    expect(balanceAt(state, new Date('2027-03-12T00:00:00Z')).available.toString()).toBe('40');
  });

  test('applyEntries never mutates its arguments', () => {
    const state = openAccount(program, 'c1');
    const tx = txOf(evaluate(program, state, buy('o1', '10')));
    const before = [accountStateText(state), transactionText(tx)];
    const next = applyEntries(state, tx);
    expect([accountStateText(state), transactionText(tx)]).toEqual(before);
    expect(next).not.toBe(state);
    expect(next.version).toBe(1);
  });

  test('a transaction that does not fit the state is refused as ledger_inconsistent', () => {
    const state = openAccount(program, 'c1');
    const tx = txOf(evaluate(program, state, buy('o1', '10')));
    const funded = applyEntries(state, tx);
    const spend = txOf(redeem(program, funded, redeemRequestSchema.parse({ requestId: 'r1', points: 10, at: '2027-03-11T00:00:00Z' })));
    const error = (() => {
      try {
        applyEntries(state, spend); // the lot it draws from is not in this state
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(LoyaltyError);
    expect((error as LoyaltyError).code).toBe('ledger_inconsistent');
    expect(() => applyEntries(emptyAccountState('other', 'c1'), tx)).toThrow(LoyaltyError);
  });

  test('window counters are dropped once no late event can reach their window', () => {
    let state: AccountState = openAccount(program, 'c1');
    state = applyEntries(state, txOf(evaluate(program, state, parseEvent({ id: 'v1', customerId: 'c1', type: 'review', platform: 'g', rating: 5, occurredAt: '2027-03-10T15:00:00Z' }))));
    expect(Object.keys(state.counters)).toHaveLength(1);
    // Day window ends 11 March 00:00 New York; lateness 30 days: kept until 10 April.
    state = applyEntries(state, txOf(evaluate(program, state, buy('o1', '5', '2027-04-10T03:59:00Z'))));
    expect(Object.keys(state.counters)).toHaveLength(1);
    state = applyEntries(state, txOf(evaluate(program, state, buy('o2', '5', '2027-04-10T04:00:00Z'))));
    expect(Object.keys(state.counters)).toHaveLength(0);
  });

  test('a debt lot: a refund of spent points goes negative within the limit, and later earnings repay it first', () => {
    const l = strictLedger();
    l.event(buy('o1', '100.00'));
    l.redeem({ requestId: 'r1', points: 100, at: '2027-03-11T00:00:00Z' });
    l.event(parseEvent({ id: 'rf', customerId: 'c1', type: 'refund', orderId: 'o1', occurredAt: '2027-03-12T00:00:00Z', lines: [{ lineId: 'l', quantity: 1 }] }));
    expect(l.txs).toHaveLength(3);
    const owed = balanceAt(l.account, new Date('2027-03-12T00:00:00Z'));
    expect([owed.available.toString(), owed.debt.toString()]).toEqual(['-100', '100']);
    l.event(buy('o2', '30.00', '2027-03-13T00:00:00Z'));
    const earn = l.txs.at(-1)?.entries.find((e) => e.kind === 'earn');
    expect(earn?.kind === 'earn' && [earn.lot.amount.toString(), earn.repaid.toString(), earn.lot.remaining.toString()]).toEqual(['30', '30', '0']);
    expect(l.available('2027-03-13T00:00:00Z')).toBe('-70');
    l.check();
  });
});
