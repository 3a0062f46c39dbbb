import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { Decimal, allocate } from '../../src/money';

const d = (x: string | number): Decimal => new Decimal(x);
const strs = (parts: readonly Decimal[]): string[] => parts.map((p) => p.toString());

describe('allocate: worked examples (SPEC §2b)', () => {
  it('10 over weights 1 : 2 → 3 / 7', () => {
    expect(strs(allocate(d(10), [d(1), d(2)]))).toEqual(['3', '7']);
  });

  it('1 over three equal weights → 1 / 0 / 0 (ties go to the earlier index)', () => {
    expect(strs(allocate(d(1), [d('0.50'), d('0.50'), d('0.50')]))).toEqual(['1', '0', '0']);
  });

  it('20 over 30 : 30 : 40 → 6 / 6 / 8', () => {
    expect(strs(allocate(d(20), [d(30), d(30), d(40)]))).toEqual(['6', '6', '8']);
  });

  it('gives leftovers to the largest remainders, not the first index', () => {
    // exact shares 1.4 / 1.6 / 2 → 1 / 2 / 2
    expect(strs(allocate(d(5), [d(7), d(8), d(10)]))).toEqual(['1', '2', '2']);
  });

  it('allocates cents with places: 2', () => {
    expect(strs(allocate(d('0.05'), [d(1), d(1)], { places: 2 }))).toEqual(['0.03', '0.02']);
    expect(strs(allocate(d('100'), [d(1), d(1), d(1)], { places: 2 }))).toEqual(['33.34', '33.33', '33.33']);
  });
});

describe('allocate: edge cases', () => {
  it('allocates negative totals symmetrically', () => {
    expect(strs(allocate(d(-10), [d(1), d(2)]))).toEqual(['-3', '-7']);
    expect(strs(allocate(d(-1), [d(1), d(1), d(1)]))).toEqual(['-1', '0', '0']);
    expect(allocate(d(-1), [d(1), d(1)])[1]?.isNegative()).toBe(false); // no negative zero
  });

  it('splits equally when every weight is zero', () => {
    expect(strs(allocate(d(10), [d(0), d(0), d(0)]))).toEqual(['4', '3', '3']);
  });

  it('gives nothing to zero weights when others are positive', () => {
    expect(strs(allocate(d(10), [d(0), d(3), d(0), d(1)]))).toEqual(['0', '8', '0', '2']);
  });

  it('accepts a single weight, a zero total and fractional weights', () => {
    expect(strs(allocate(d(7), [d(5)]))).toEqual(['7']);
    expect(strs(allocate(d(0), [d(1), d(2)]))).toEqual(['0', '0']);
    expect(strs(allocate(d(3), [d('0.1'), d('0.2')]))).toEqual(['1', '2']);
  });

  it('does not mutate its arguments', () => {
    const weights = [d(1), d(2)];
    const copy = strs(weights);
    allocate(d(10), weights);
    expect(strs(weights)).toEqual(copy);
  });

  it('refuses invalid input with typed issues', () => {
    expect(() => allocate(d(10), [])).toThrow(expect.objectContaining({ code: 'empty_weights' }));
    expect(() => allocate(d(10), [d(1), d(-1)])).toThrow(
      expect.objectContaining({ code: 'negative_weight', issues: [expect.objectContaining({ path: ['weights', 1] })] }),
    );
    expect(() => allocate(d('1.5'), [d(1)])).toThrow(expect.objectContaining({ code: 'too_many_decimals' }));
    expect(() => allocate(d(1), [d(1)], { places: -1 })).toThrow(expect.objectContaining({ code: 'invalid_places' }));
    expect(() => allocate(d(1), [d(Number.NaN)])).toThrow(expect.objectContaining({ code: 'invalid_amount' }));
  });
});

describe('allocate: properties', () => {
  const places = fc.integer({ min: 0, max: 4 });
  const totalUnits = fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n });
  const weights = fc.array(fc.bigInt({ min: 0n, max: 10n ** 12n }), { minLength: 1, maxLength: 12 });
  const weightScale = fc.integer({ min: 0, max: 3 });

  const fromUnits = (units: bigint, p: number): Decimal => new Decimal(units.toString()).div(new Decimal(10).pow(p));

  test.prop([totalUnits, weights, places, weightScale])(
    'parts sum exactly to the total and each is within one unit of its exact share',
    (units, rawWeights, p, ws) => {
      const total = fromUnits(units, p);
      const w = rawWeights.map((x) => fromUnits(x, ws));
      const parts = allocate(total, w, { places: p });
      expect(parts).toHaveLength(w.length);

      const sum = parts.reduce((a, b) => a.plus(b), new Decimal(0));
      expect(sum.equals(total)).toBe(true);

      const weightSum = w.reduce((a, b) => a.plus(b), new Decimal(0));
      const unit = new Decimal(10).pow(-p);
      parts.forEach((part, i) => {
        expect(part.decimalPlaces()).toBeLessThanOrEqual(p);
        const exact = weightSum.isZero() ? total.div(w.length) : total.times(w[i] ?? 0).div(weightSum);
        expect(part.minus(exact).abs().lessThan(unit)).toBe(true);
        // same sign as the total (or zero)
        expect(part.isZero() || part.isNegative() === total.isNegative()).toBe(true);
      });
    },
  );

  test.prop([totalUnits, weights])('a negative total allocates as the negation of its absolute value', (units, rawWeights) => {
    const w = rawWeights.map((x) => new Decimal(x.toString()));
    const pos = allocate(new Decimal(units.toString()).abs(), w);
    const neg = allocate(new Decimal(units.toString()).abs().negated(), w);
    expect(strs(neg)).toEqual(strs(pos.map((x) => (x.isZero() ? x : x.negated()))));
  });

  test.prop([fc.bigInt({ min: 0n, max: 10n ** 9n }), fc.integer({ min: 1, max: 20 })])(
    'equal weights differ by at most one unit, larger parts first',
    (units, n) => {
      const parts = allocate(new Decimal(units.toString()), Array.from({ length: n }, () => new Decimal(1)));
      for (let i = 1; i < parts.length; i++) {
        const prev = parts[i - 1] ?? new Decimal(0);
        const cur = parts[i] ?? new Decimal(0);
        expect(prev.greaterThanOrEqualTo(cur)).toBe(true);
        expect(prev.minus(cur).lessThanOrEqualTo(1)).toBe(true);
      }
    },
  );
});

// The allocation as it was first written: bigints throughout. `allocate` now does the common
// case on safe-integer numbers and must give exactly the same Decimals (value and form).
function referenceAllocate(total: Decimal, weights: readonly Decimal[], places: number): Decimal[] {
  const toU = (value: Decimal, p: number): bigint => {
    const units = BigInt(value.abs().toFixed(p).replace('.', ''));
    return value.isNegative() ? -units : units;
  };
  const fromU = (units: bigint, p: number): Decimal => {
    if (units === 0n) return new Decimal(0);
    const negative = units < 0n;
    const digits = (negative ? -units : units).toString().padStart(p + 1, '0');
    const text = p === 0 ? digits : `${digits.slice(0, -p)}.${digits.slice(-p)}`;
    return new Decimal(negative ? `-${text}` : text);
  };
  const scale = weights.reduce((max, w) => Math.max(max, w.decimalPlaces()), 0);
  let scaled = weights.map((w) => toU(w, scale));
  let weightSum = scaled.reduce((a, b) => a + b, 0n);
  if (weightSum === 0n) {
    scaled = scaled.map(() => 1n);
    weightSum = BigInt(scaled.length);
  }
  const units = toU(total.abs(), places);
  const parts = scaled.map((w) => (units * w) / weightSum);
  const remainders = scaled.map((w, index) => ({ index, remainder: (units * w) % weightSum }));
  let leftover = units - parts.reduce((a, b) => a + b, 0n);
  remainders.sort((a, b) => (a.remainder === b.remainder ? 0 : a.remainder > b.remainder ? -1 : 1));
  for (const { index } of remainders) {
    if (leftover === 0n) break;
    parts[index] = (parts[index] ?? 0n) + 1n;
    leftover -= 1n;
  }
  return parts.map((p) => fromU(total.isNegative() ? -p : p, places));
}

// value, and decimal.js's internal form, so that a fast path cannot differ even in representation
const form = (x: Decimal): string => JSON.stringify([x.s, x.e, x.d]);

describe('allocate: same results as the bigint reference', () => {
  const decimalOf = (units: bigint, p: number): Decimal => new Decimal(units.toString()).div(new Decimal(10).pow(p));
  const small = fc.bigInt({ min: 0n, max: 10n ** 6n });
  const big = fc.bigInt({ min: 0n, max: 10n ** 20n });
  const cases = fc.record({
    totalUnits: fc.oneof(fc.bigInt({ min: -(10n ** 6n), max: 10n ** 6n }), fc.bigInt({ min: -(10n ** 18n), max: 10n ** 18n })),
    places: fc.integer({ min: 0, max: 4 }),
    weights: fc.array(fc.oneof(small, small, big, fc.constant(0n)), { minLength: 1, maxLength: 8 }),
    weightScale: fc.integer({ min: 0, max: 6 }),
  });

  test.prop([cases], { seed: 20_270_314, numRuns: 3000 })('parts, values and forms equal', ({ totalUnits, places, weights, weightScale }) => {
    const total = decimalOf(totalUnits, places);
    const w = weights.map((x) => decimalOf(x, weightScale));
    expect(allocate(total, w, { places }).map(form)).toEqual(referenceAllocate(total, w, places).map(form));
  });

  it('the engine-shaped case: integer points over line amounts', () => {
    const w = ['119.94', '39.98', '0', '59.97', '19.99'].map(d);
    expect(strs(allocate(d(497), w))).toEqual(strs(referenceAllocate(d(497), w, 0)));
    expect(allocate(d(497), w).map(form)).toEqual(referenceAllocate(d(497), w, 0).map(form));
  });
});
