// The integer helpers of the hot paths (src/money/minor.ts, src/money/internal/units.ts) against
// the Decimal operations they stand in for.
import { describe, expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { Decimal, ROUNDING_MODES, allocate, round } from '../../src/money';
import { fromSafeUnits } from '../../src/money/internal/units';
import { compareDecimals, roundDiv, roundDivBig, splitUnits, splitUnitsBig, splitUnitsInto, sumOf } from '../../src/money/minor';
import { FC_SEED, runsFor } from '../properties/seed';

const params = { seed: FC_SEED, numRuns: runsFor(300) };
const textOf = (units: number, places: number): string => {
  const digits = Math.abs(units).toString().padStart(places + 1, '0');
  return `${units < 0 ? '-' : ''}${places === 0 ? digits : `${digits.slice(0, -places)}.${digits.slice(-places)}`}`;
};

describe('fromSafeUnits builds the Decimal a string parse builds', () => {
  test.prop([fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), fc.integer({ min: 0, max: 12 })], params)('same value, same internal words', (units, places) => {
    const built = fromSafeUnits(units, places);
    const parsed = new Decimal(textOf(units, places));
    expect(built.toString()).toBe(parsed.toString());
    expect([built.d, built.e, built.s]).toEqual([parsed.d, parsed.e, parsed.s]);
    // and it computes like one
    expect(built.plus('0.0000001').toString()).toBe(parsed.plus('0.0000001').toString());
    expect(built.times(7).toString()).toBe(parsed.times(7).toString());
  });
  test('at the word boundaries, trailing and inner zero words, every scale up to 22', () => {
    const magnitudes = [1, 9, 10, 99, 100, 999_999, 1_000_000, 9_999_999, 10_000_000, 10_000_001, 12_345_678, 99_999_999_999_999, 100_000_000_000_000, 100_000_000_000_001, 100_000_010_000_000, 10_000_000_000_000_000 - 1, Number.MAX_SAFE_INTEGER];
    for (let places = 0; places <= 22; places++) {
      for (const m of magnitudes) {
        for (const units of [m, -m]) {
          if (!Number.isSafeInteger(units)) continue;
          const built = fromSafeUnits(units, places);
          const parsed = new Decimal(textOf(units, places));
          expect([built.d, built.e, built.s], `${units} at ${places}`).toEqual([parsed.d, parsed.e, parsed.s]);
        }
      }
    }
  });
});

describe('roundDiv rounds like round() on the exact quotient', () => {
  const mode = fc.constantFrom(...ROUNDING_MODES);
  test.prop([fc.integer({ min: 0, max: 10 ** 9 }), fc.integer({ min: 1, max: 10 ** 6 }), mode], params)('numbers and bigints', (n, d, m) => {
    const expected = round(new Decimal(n).div(d), 0, m).toString();
    expect(String(roundDiv(n, d, m))).toBe(expected);
    expect(roundDivBig(BigInt(n), BigInt(d), m).toString()).toBe(expected);
  });
  test('exact halves go by the mode', () => {
    expect([roundDiv(5, 2, 'half-even'), roundDiv(7, 2, 'half-even'), roundDiv(5, 2, 'half-up'), roundDiv(5, 2, 'floor'), roundDiv(5, 2, 'ceil')]).toEqual([2, 4, 3, 2, 3]);
    expect(roundDiv(Number.MAX_SAFE_INTEGER, 2, 'floor')).toBeNaN();
  });
});

describe('splitUnits splits like allocate', () => {
  test.prop([fc.integer({ min: 0, max: 10 ** 6 }), fc.array(fc.integer({ min: 0, max: 10 ** 6 }), { minLength: 1, maxLength: 10 })], params)('same parts, numbers and bigints', (total, weights) => {
    const expected = allocate(new Decimal(total), weights.map((w) => new Decimal(w))).map(String);
    expect(splitUnits(total, weights)?.map(String)).toEqual(expected);
    expect(splitUnitsBig(BigInt(total), weights.map(BigInt)).map(String)).toEqual(expected);
  });
  test.prop([fc.integer({ min: 0, max: 40 }), fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 12 })], params)('same parts with many equal remainders and zero weights (ties to the earlier line)', (total, weights) => {
    const expected = allocate(new Decimal(total), weights.map((w) => new Decimal(w))).map(String);
    expect(splitUnits(total, weights)?.map(String)).toEqual(expected);
  });
  test('ties go to the earlier index, each part at most one unit over its share', () => {
    expect(splitUnits(5, [1, 1, 1, 1, 1, 1, 1])).toEqual([1, 1, 1, 1, 1, 0, 0]);
    expect(splitUnits(3, [0, 0, 0, 0])).toEqual([1, 1, 1, 0]);
    expect(splitUnits(7, [2, 0, 2, 2])).toEqual([3, 0, 2, 2]);
  });
  test('undefined when a product would leave the safe integers', () => {
    expect(splitUnits(2 ** 30, [2 ** 30, 1])).toBeUndefined();
  });
  test.prop([fc.array(fc.tuple(fc.integer({ min: 0, max: 10 ** 4 }), fc.array(fc.integer({ min: 0, max: 10 ** 4 }), { minLength: 1, maxLength: 8 })), { minLength: 1, maxLength: 6 })], params)(
    'splitUnitsInto, one list reused split after split (longer, then shorter), writes what splitUnits returns',
    (splits) => {
      const parts: number[] = [];
      for (const [total, weights] of splits) {
        expect(splitUnitsInto(total, weights, parts)).toBe(true);
        expect(parts.slice(0, weights.length)).toEqual(splitUnits(total, weights));
      }
      expect(splitUnitsInto(2 ** 30, [2 ** 30, 1], parts)).toBe(false);
    },
  );
});

describe('compareDecimals answers as Decimal.cmp', () => {
  // Decimals of every shape the rules meet: zero, negatives, many digit words, far exponents.
  const decimal = fc.oneof(
    fc.integer({ min: -2000, max: 2000 }).map((n) => new Decimal(n)),
    fc.tuple(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.integer({ min: -40, max: 40 })).map(([m, e]) => new Decimal(`${m}e${e}`)),
    fc.constantFrom('0', '-0', '1e-7', '9999999', '10000000', '10000000.0000001', 'NaN', 'Infinity', '-Infinity').map((t) => new Decimal(t)),
  );
  test.prop([decimal, decimal], params)('same sign of the answer, NaN when either is NaN', (x, y) => {
    const expected = x.cmp(y);
    const got = compareDecimals(x, y);
    if (Number.isNaN(expected)) expect(got).toBeNaN();
    else expect(got).toBe(expected);
  });
  test('a few by hand', () => {
    expect(compareDecimals(new Decimal('19.99'), new Decimal(20))).toBe(-1);
    expect(compareDecimals(new Decimal('-0'), new Decimal(0))).toBe(0);
    expect(compareDecimals(new Decimal('-3'), new Decimal('-2.5'))).toBe(-1);
    expect(compareDecimals(new Decimal('10000000.5'), new Decimal('10000000'))).toBe(1);
  });
});

describe('sumOf', () => {
  test('adds on integers, and on Decimals beyond them', () => {
    expect(sumOf([new Decimal(2), new Decimal(3)], 0).toString()).toBe('5');
    expect(sumOf([new Decimal('9007199254740991'), new Decimal(2)], 0).toString()).toBe('9007199254740993');
    expect(sumOf([new Decimal('1.5'), new Decimal(2)], 0).toString()).toBe('3.5');
  });
});
