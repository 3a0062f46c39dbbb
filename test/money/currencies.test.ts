import { describe, expect, it } from 'vitest';
import { CURRENCIES, currency, isCurrencyCode, minorUnits } from '../../src/money';
import type { CurrencyCode } from '../../src/money';
import { LoyaltyError } from '../../src/errors';

describe('currencies', () => {
  it('holds the active ISO 4217 codes with their minor units', () => {
    const expected: [CurrencyCode, number][] = [
      ['USD', 2], ['EUR', 2], ['GBP', 2], ['JPY', 0], ['KRW', 0], ['VND', 0], ['ISK', 0], ['XAF', 0], ['XOF', 0],
      ['KWD', 3], ['BHD', 3], ['TND', 3], ['OMR', 3], ['JOD', 3], ['IQD', 3], ['LYD', 3], ['CLF', 4], ['UYW', 4],
      ['XCG', 2], ['ZWG', 2], ['SLE', 2], ['VES', 2], ['VED', 2], ['MRU', 2], ['STN', 2],
    ];
    for (const [code, units] of expected) {
      expect(minorUnits(code)).toBe(units);
      expect(currency(code)).toEqual({ code, minorUnits: units });
    }
    expect(Object.keys(CURRENCIES).length).toBeGreaterThanOrEqual(155);
    for (const [code, info] of Object.entries(CURRENCIES)) {
      expect(code).toMatch(/^[A-Z]{3}$/);
      expect(info.code).toBe(code);
      expect([0, 2, 3, 4]).toContain(info.minorUnits);
    }
  });

  it.each(['XXY', 'DEM', 'FRF', 'HRK', 'BGN', 'ANG', 'SLL', 'CUC', 'ZWL', 'VEF', 'XAU', 'XXX', 'XTS', 'usd', '', 'USDX'])(
    'refuses %j with unknown_currency',
    (code) => {
      expect(isCurrencyCode(code)).toBe(false);
      let error: unknown;
      try {
        currency(code);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(LoyaltyError);
      expect((error as LoyaltyError).code).toBe('unknown_currency');
      expect((error as LoyaltyError).issues[0].path).toEqual(['currency']);
    },
  );

  it('does not treat prototype keys as currencies', () => {
    expect(isCurrencyCode('toString')).toBe(false);
    expect(isCurrencyCode('__proto__')).toBe(false);
    expect(isCurrencyCode(840)).toBe(false);
  });

  it('is frozen', () => {
    expect(Object.isFrozen(CURRENCIES)).toBe(true);
    expect(Object.isFrozen(CURRENCIES.USD)).toBe(true);
  });

  it('types codes as a literal union', () => {
    const ok: CurrencyCode = 'EUR';
    // @ts-expect-error: the Deutsche Mark is withdrawn, so not a CurrencyCode
    const withdrawn: CurrencyCode = 'DEM';
    expect([ok, withdrawn]).toHaveLength(2);
  });
});
