import { describe, expect, it } from 'vitest';
import { Decimal, ROUNDING_MODES, round } from '../../src/money';
import type { RoundingMode } from '../../src/money';
import { LoyaltyError } from '../../src/errors';

function r(value: string, places: number, mode: RoundingMode): string {
  return round(new Decimal(value), places, mode).toFixed(places);
}

describe('round (SPEC §2b table)', () => {
  const table: [RoundingMode, string, string, string, string][] = [
    // mode, 2.5, -2.5, 99.95 → units, 1.005 → cents
    ['floor', '2', '-3', '99', '1.00'],
    ['ceil', '3', '-2', '100', '1.01'],
    ['down', '2', '-2', '99', '1.00'],
    ['half-up', '3', '-3', '100', '1.01'],
    ['half-even', '2', '-2', '100', '1.00'],
  ];

  it('covers every mode', () => {
    expect(table.map(([mode]) => mode).sort()).toEqual([...ROUNDING_MODES].sort());
  });

  it.each(table)('%s: 2.5 → %s, −2.5 → %s, 99.95 → %s, 1.005 → %s', (mode, pos, neg, units, cents) => {
    expect(r('2.5', 0, mode)).toBe(pos);
    expect(r('-2.5', 0, mode)).toBe(neg);
    expect(r('99.95', 0, mode)).toBe(units);
    expect(r('1.005', 2, mode)).toBe(cents);
  });

  it('keeps exact values and never mutates its argument', () => {
    const v = new Decimal('29.985');
    expect(round(v, 3, 'floor').toString()).toBe('29.985');
    expect(round(v, 0, 'floor').toString()).toBe('29');
    expect(v.toString()).toBe('29.985');
  });

  it('returns an instance of the library clone', () => {
    expect(round(new Decimal('1.5'), 0, 'floor')).toBeInstanceOf(Decimal);
  });

  it('refuses bad places, modes and non-finite values', () => {
    expect(() => round(new Decimal(1), -1, 'floor')).toThrow(LoyaltyError);
    expect(() => round(new Decimal(1), 1.5, 'floor')).toThrow(expect.objectContaining({ code: 'invalid_places' }));
    expect(() => round(new Decimal(1), 0, 'up' as RoundingMode)).toThrow(expect.objectContaining({ code: 'invalid_rounding_mode' }));
    expect(() => round(new Decimal(Number.NaN), 0, 'floor')).toThrow(expect.objectContaining({ code: 'invalid_amount' }));
  });
});
