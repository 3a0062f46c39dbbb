import { describe, expect, test } from 'vitest';
import { Decimal } from '../../src/money/decimal';
import { earnLot, type NewLot } from '../../src/engine/earn-lot';

const at = new Date('2027-03-01T12:00:00Z');
const lot: NewLot = {
  id: 'e1:rule:welcome',
  unit: 'points',
  amount: new Decimal(100),
  earnedAt: at,
  availableAt: at,
  expiresAt: null,
  account: 'available',
  cause: { eventId: 'e1', ruleId: 'welcome', programVersion: 1 },
};

describe('earnLot: an earned lot repays the debt of its unit first', () => {
  test('a debt smaller than the lot: repaid in full, the rest spendable', () => {
    const { entry, debt } = earnLot(lot, new Decimal(30), 'welcome');
    expect(entry.repaid.toString()).toBe('30');
    expect(entry.lot.remaining.toString()).toBe('70');
    expect(debt.toString()).toBe('0');
  });

  test('a debt larger than the lot: all of it repays, the rest is still owed', () => {
    const { entry, debt } = earnLot(lot, new Decimal(250), 'welcome');
    expect(entry.lot.remaining.toString()).toBe('0');
    expect(debt.toString()).toBe('150');
  });

  test('the lot keeps the ledger key order (remaining after amount), so encoded transactions keep their bytes', () => {
    const { entry } = earnLot(lot, new Decimal(0), 'welcome', [{ lineId: 'l1', quantity: 1, amount: new Decimal(100) }]);
    expect(Object.keys(entry.lot)).toEqual(['id', 'unit', 'amount', 'remaining', 'earnedAt', 'availableAt', 'expiresAt', 'account', 'cause']);
    expect(Object.keys(entry)).toEqual(['kind', 'unit', 'lot', 'repaid', 'ruleId', 'lines']);
  });
});
