import { describe, expect, it } from 'vitest';
import {
  Decimal,
  addMoney,
  canonicalDecimal,
  compareMoney,
  formatMoney,
  fromMinorUnits,
  isZero,
  money,
  multiplyMoney,
  parseDecimal,
  points,
  roundMoney,
  subtractMoney,
  sumMoney,
  toMinorUnits,
} from '../../src/money';
import { LoyaltyError } from '../../src/errors';

function issueOf(fn: () => unknown): { code: string; path: readonly (string | number)[]; codes: string[] } {
  try {
    fn();
  } catch (e) {
    if (e instanceof LoyaltyError) return { code: e.code, path: e.issues[0].path, codes: e.issues.map((i) => i.code) };
    throw e;
  }
  throw new Error('expected a LoyaltyError');
}

describe('parseDecimal', () => {
  it('reads "80" and "80.00" as equal values with the same canonical form', () => {
    const a = parseDecimal('80');
    const b = parseDecimal('80.00');
    expect(a.equals(b)).toBe(true);
    expect(canonicalDecimal(a)).toBe('80');
    expect(canonicalDecimal(b)).toBe('80');
  });

  it('accepts plain decimal strings, safe integers, finite numbers and Decimals', () => {
    expect(parseDecimal('-1.5').toString()).toBe('-1.5');
    expect(parseDecimal('007').toString()).toBe('7');
    expect(parseDecimal(42).toString()).toBe('42');
    expect(parseDecimal(Number.MAX_SAFE_INTEGER).toString()).toBe('9007199254740991');
    // numbers go through their shortest decimal string, never their binary value
    expect(parseDecimal(1.5).toString()).toBe('1.5');
    expect(parseDecimal(0.1).toString()).toBe('0.1');
    expect(parseDecimal(0.1 + 0.2).toString()).toBe('0.30000000000000004');
    expect(parseDecimal(new Decimal('12.34')).toString()).toBe('12.34');
    expect(parseDecimal('12345678901234567890.123456789').toFixed()).toBe('12345678901234567890.123456789');
  });

  it('never returns negative zero', () => {
    expect(parseDecimal('-0').isNegative()).toBe(false);
    expect(parseDecimal(-0).isNegative()).toBe(false);
    expect(parseDecimal('-0.00').isNegative()).toBe(false);
  });

  it.each([
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
    ['an unsafe integer', 2 ** 53],
    ['1e21', 1e21],
    ['1e-7', 1e-7],
    ['"1e3"', '1e3'],
    ['"+1"', '+1'],
    ['".5"', '.5'],
    ['"5."', '5.'],
    ['" 5"', ' 5'],
    ['"1,5"', '1,5'],
    ['""', ''],
    ['"NaN"', 'NaN'],
    ['"Infinity"', 'Infinity'],
    ['"0x10"', '0x10'],
    ['a bigint', 10n],
    ['null', null],
    ['undefined', undefined],
    ['an object', { amount: 1 }],
    ['a NaN Decimal', new Decimal(Number.NaN)],
    ['an infinite Decimal', new Decimal(Number.POSITIVE_INFINITY)],
  ])('refuses %s with invalid_amount at the given path', (_label, input) => {
    expect(issueOf(() => parseDecimal(input, ['order', 'total']))).toMatchObject({ code: 'invalid_amount', path: ['order', 'total'] });
  });
});

describe('money', () => {
  it('builds frozen Money and validates currency and decimals', () => {
    const m = money('80.00', 'USD');
    expect(m.currency).toBe('USD');
    expect(m.amount.toString()).toBe('80');
    expect(Object.isFrozen(m)).toBe(true);
    expect(formatMoney(money('100.00', 'JPY'))).toBe('100');
    expect(issueOf(() => money('1.005', 'USD'))).toMatchObject({ code: 'too_many_decimals', path: ['amount'] });
    expect(issueOf(() => money('1.5', 'JPY'))).toMatchObject({ code: 'too_many_decimals' });
    expect(issueOf(() => money('1', 'XXY'))).toMatchObject({ code: 'unknown_currency', path: ['currency'] });
    expect(issueOf(() => money('1', 'DEM'))).toMatchObject({ code: 'unknown_currency' });
    expect(issueOf(() => money(Number.NaN, 'USD'))).toMatchObject({ code: 'invalid_amount', path: ['amount'] });
    expect(issueOf(() => money('abc', 'XXY')).codes).toEqual(['invalid_amount', 'unknown_currency']);
  });

  it('accepts finite JS numbers by their decimal string', () => {
    expect(formatMoney(money(19.99, 'USD'))).toBe('19.99');
    expect(issueOf(() => money(0.1 + 0.2, 'USD'))).toMatchObject({ code: 'too_many_decimals' });
  });

  it('formats with exactly the minor units', () => {
    expect(formatMoney(money('4', 'USD'))).toBe('4.00');
    expect(formatMoney(money('100', 'JPY'))).toBe('100');
    expect(formatMoney(money('1.25', 'KWD'))).toBe('1.250');
    expect(formatMoney(money('-0.5', 'EUR'))).toBe('-0.50');
    expect(formatMoney(money('-0', 'EUR'))).toBe('0.00');
    expect(formatMoney(money('0.0001', 'CLF'))).toBe('0.0001');
    expect(formatMoney(money('123456789012345678901234567890', 'USD'))).toBe('123456789012345678901234567890.00');
  });

  it('converts to and from minor units exactly', () => {
    expect(toMinorUnits(money('19.99', 'USD'))).toBe(1999n);
    expect(toMinorUnits(money('-1.5', 'KWD'))).toBe(-1500n);
    expect(toMinorUnits(money('500', 'JPY'))).toBe(500n);
    expect(formatMoney(fromMinorUnits(1999n, 'USD'))).toBe('19.99');
    expect(formatMoney(fromMinorUnits(-5, 'USD'))).toBe('-0.05');
    expect(formatMoney(fromMinorUnits(5, 'JPY'))).toBe('5');
    expect(formatMoney(fromMinorUnits(10n ** 30n + 1n, 'BHD'))).toBe('1000000000000000000000000000.001');
    expect(issueOf(() => fromMinorUnits(1.5, 'USD'))).toMatchObject({ code: 'invalid_amount' });
    expect(issueOf(() => fromMinorUnits(1, 'XXY'))).toMatchObject({ code: 'unknown_currency' });
  });

  it('adds, subtracts, sums and compares exactly within one currency', () => {
    expect(formatMoney(addMoney(money('0.10', 'USD'), money('0.20', 'USD')))).toBe('0.30');
    expect(formatMoney(subtractMoney(money('5', 'USD'), money('7.5', 'USD')))).toBe('-2.50');
    expect(formatMoney(sumMoney([money('30', 'USD'), money('30', 'USD'), money('40', 'USD')], 'USD'))).toBe('100.00');
    expect(formatMoney(sumMoney([], 'EUR'))).toBe('0.00');
    expect(compareMoney(money('80', 'USD'), money('80.00', 'USD'))).toBe(0);
    expect(compareMoney(money('1', 'USD'), money('2', 'USD'))).toBe(-1);
    expect(compareMoney(money('3', 'USD'), money('2', 'USD'))).toBe(1);
    expect(isZero(money('0.00', 'USD'))).toBe(true);
    expect(isZero(subtractMoney(money('1', 'USD'), money('1', 'USD')))).toBe(true);
    expect(subtractMoney(money('1', 'USD'), money('1', 'USD')).amount.isNegative()).toBe(false);
  });

  it('refuses to mix currencies', () => {
    const usd = money('1', 'USD');
    const eur = money('1', 'EUR');
    expect(issueOf(() => addMoney(usd, eur))).toMatchObject({ code: 'currency_mismatch' });
    expect(issueOf(() => subtractMoney(usd, eur))).toMatchObject({ code: 'currency_mismatch' });
    expect(issueOf(() => compareMoney(usd, eur))).toMatchObject({ code: 'currency_mismatch' });
    expect(issueOf(() => sumMoney([usd, eur], 'USD'))).toMatchObject({ code: 'currency_mismatch', path: [1, 'currency'] });
  });

  it('multiplies and rounds to the currency with the given mode', () => {
    expect(formatMoney(multiplyMoney(money('80', 'USD'), '0.05', 'floor'))).toBe('4.00');
    expect(formatMoney(multiplyMoney(money('19.99', 'USD'), '1.5', 'half-even'))).toBe('29.98');
    expect(formatMoney(multiplyMoney(money('19.99', 'USD'), '1.5', 'half-up'))).toBe('29.99');
    expect(formatMoney(multiplyMoney(money('19.99', 'USD'), 3, 'down'))).toBe('59.97');
    expect(formatMoney(multiplyMoney(money('999', 'JPY'), '0.015', 'ceil'))).toBe('15');
    expect(issueOf(() => multiplyMoney(money('1', 'USD'), 'x', 'floor'))).toMatchObject({ code: 'invalid_amount', path: ['factor'] });
  });

  it('rounds exact amounts to a currency', () => {
    expect(formatMoney(roundMoney(new Decimal('29.985'), 'USD', 'floor'))).toBe('29.98');
    expect(formatMoney(roundMoney(new Decimal('29.985'), 'USD', 'half-up'))).toBe('29.99');
    expect(formatMoney(roundMoney(new Decimal('-0.004'), 'USD', 'half-up'))).toBe('0.00');
    expect(formatMoney(roundMoney(new Decimal('2.5'), 'JPY', 'half-even'))).toBe('2');
  });

  it('never mutates its arguments', () => {
    const a = money('1.10', 'USD');
    const b = money('2.20', 'USD');
    addMoney(a, b);
    multiplyMoney(a, '3', 'floor');
    expect(a.amount.toString()).toBe('1.1');
    expect(b.amount.toString()).toBe('2.2');
  });
});

describe('canonicalDecimal', () => {
  it('normalises without exponent, trailing zeros or signed zero', () => {
    expect(canonicalDecimal(new Decimal('80.00'))).toBe('80');
    expect(canonicalDecimal(new Decimal('-0'))).toBe('0');
    expect(canonicalDecimal(new Decimal('0.000'))).toBe('0');
    expect(canonicalDecimal(new Decimal('1.50'))).toBe('1.5');
    expect(canonicalDecimal(new Decimal('1e-7'))).toBe('0.0000001');
    expect(canonicalDecimal(new Decimal('1e45'))).toBe('1' + '0'.repeat(45));
    expect(canonicalDecimal(new Decimal('-12.340'))).toBe('-12.34');
  });

  it('refuses NaN', () => {
    expect(issueOf(() => canonicalDecimal(new Decimal(Number.NaN)))).toMatchObject({ code: 'invalid_amount' });
  });
});

describe('points', () => {
  it('parses points as exact decimals', () => {
    expect(points('500').toString()).toBe('500');
    expect(points(19).plus(points('1.5')).toString()).toBe('20.5');
    expect(issueOf(() => points(Number.NaN))).toMatchObject({ code: 'invalid_amount', path: ['points'] });
  });
});
