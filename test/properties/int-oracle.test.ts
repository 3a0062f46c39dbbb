// The integer award path (src/engine/award-units.ts, src/money/minor.ts) against the Decimal
// path it replaced (src/engine/awards.ts), kept as the oracle: random points programs (every
// award kind, multipliers and their stacking, whole, every rounding mode, line filters, limits,
// exclusions, points redeemed net of the eligible spend) on random orders (many lines, large
// quantities, prices far beyond 2^53 minor units so the bigint path runs) give identical entries.
import { afterAll, describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { defineProgram, type Program } from '../../src';
import { applyEntries, evaluate, openAccount, parseEvent } from '../../src/core';
import { Decimal } from '../../src/money/decimal';
import { ROUNDING_MODES } from '../../src/money';
import type { AccountState } from '../../src/core';
import type { LoyaltyEvent, PurchaseEvent } from '../../src/schema/events';
import { compiledOf } from '../../src/engine/program';
import { viewOrder } from '../../src/engine/order';
import { lineMatcher } from '../../src/engine/rule-selection';
import { draftAwards, earnEntries, lineMultipliers } from '../../src/engine/awards';
import { draftAwardsOnUnits, unitPathOf, type AwardInput } from '../../src/engine/award-units';
import { announce, FC_SEED, runsFor } from './seed';

const CURRENCIES = ['USD', 'JPY', 'BHD'] as const;
const PLACES: Record<(typeof CURRENCIES)[number], number> = { USD: 2, JPY: 0, BHD: 3 };
const CATEGORIES = ['a', 'b', 'c', 'x'] as const;

/** A decimal string of `units` steps of 10^-scale. */
function decimalText(units: bigint, scale: number): string {
  const digits = units.toString().padStart(scale + 1, '0');
  return scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}
const positiveDecimal = (max: number, maxScale: number) =>
  fc.tuple(fc.integer({ min: 1, max }), fc.integer({ min: 0, max: maxScale })).map(([u, s]) => decimalText(BigInt(u), s));

const lineFilter = fc.option(fc.constantFrom(...CATEGORIES).map((c) => ({ all: [{ fact: 'line.categories', operator: 'contains', value: c }] })), { nil: undefined });
const award = fc.oneof(
  fc.record({ kind: fc.constant('fixed' as const), points: fc.integer({ min: 0, max: 2000 }) }),
  fc.record({ kind: fc.constant('per_amount' as const), points: positiveDecimal(500, 2), per: positiveDecimal(10_000, 3), whole: fc.boolean() }),
  fc.record({ kind: fc.constant('per_item' as const), points: positiveDecimal(1000, 2) }),
  fc.record({ kind: fc.constant('multiplier' as const), factor: positiveDecimal(400, 2) }),
);
const limit = fc.oneof(
  fc.record({ per: fc.constantFrom('order', 'day', 'lifetime'), count: fc.integer({ min: 1, max: 2 }) }),
  fc.record({ per: fc.constantFrom('order', 'day', 'week'), points: fc.integer({ min: 1, max: 500 }) }),
);
const rule = fc.record({ award, lines: lineFilter, limits: fc.array(limit, { maxLength: 2 }) });

const config = fc.record({
  currency: fc.constantFrom(...CURRENCIES),
  rounding: fc.constantFrom(...ROUNDING_MODES),
  stacking: fc.constantFrom('highest', 'additive', 'multiplicative'),
  excluded: fc.subarray([...CATEGORIES]),
  netOfRedeemedPoints: fc.boolean(),
  pointsPerUnit: positiveDecimal(1000, 1),
  rules: fc.array(rule, { minLength: 1, maxLength: 8 }),
});
type ConfigDraw = typeof config extends fc.Arbitrary<infer T> ? T : never;

function programOf(draw: ConfigDraw): Program {
  return defineProgram({
    kind: 'points',
    id: 'oracle',
    version: 1,
    currency: draw.currency,
    timeZone: 'America/New_York',
    rounding: draw.rounding,
    stacking: draw.stacking,
    eligibility: { exclude: { categories: draw.excluded }, netOfRedeemedPoints: draw.netOfRedeemedPoints },
    redemption: { pointsPerUnit: draw.pointsPerUnit },
    rules: draw.rules.map((r, i) => ({
      id: `r${i}`,
      on: 'purchase' as const,
      award: r.award,
      ...(r.lines && r.award.kind !== 'fixed' ? { lines: r.lines } : {}),
      limits: r.limits,
    })),
  } as Parameters<typeof defineProgram>[0]);
}

// Minor units: mostly everyday prices (some in large quantities), some far beyond 2^53 (up to
// 10^23 minor units, in few units: amounts hold at most 30 digits).
const everyday = fc.tuple(fc.bigInt({ min: 0n, max: 1_000_000n }), fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 5 }) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 1_000_000 }) }));
const large = fc.tuple(fc.bigInt({ min: 2n ** 53n, max: 10n ** 23n }), fc.integer({ min: 1, max: 5 }));
const lineOf = (priceAndQuantity: fc.Arbitrary<[bigint, number]>) => fc.record({ priceAndQuantity, discountShare: fc.integer({ min: 0, max: 100 }), categories: fc.subarray([...CATEGORIES], { maxLength: 2 }) });
// Two orders in three are everyday ones; the third mixes in large prices.
const lines = fc.oneof({ weight: 2, arbitrary: fc.array(lineOf(everyday), { minLength: 1, maxLength: 12 }) }, { weight: 1, arbitrary: fc.array(lineOf(fc.oneof(everyday, large)), { minLength: 1, maxLength: 12 }) });
const order = fc.record({ lines, pointsRedeemed: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 1_000_000 })), day: fc.integer({ min: 1, max: 3 }) });
type OrderDraw = typeof order extends fc.Arbitrary<infer T> ? T : never;

function purchaseOf(draw: OrderDraw, currency: (typeof CURRENCIES)[number], id: string): PurchaseEvent {
  const places = PLACES[currency];
  const event = parseEvent({
    id,
    customerId: 'c1',
    type: 'purchase',
    orderId: `o-${id}`,
    currency,
    occurredAt: `2027-03-0${draw.day}T12:00:00Z`,
    pointsRedeemed: String(draw.pointsRedeemed),
    lines: draw.lines.map((l, j) => {
      const [unitPrice, quantity] = l.priceAndQuantity;
      const gross = unitPrice * BigInt(quantity);
      return {
        lineId: `l${j}`,
        sku: `s${j}`,
        categories: l.categories,
        quantity,
        unitPrice: decimalText(unitPrice, places),
        discount: decimalText((gross * BigInt(l.discountShare)) / 100n, places),
      };
    }),
  });
  if (event.type !== 'purchase') throw new Error('not a purchase');
  return event;
}

const customer = { id: 'c1', enrolledAt: new Date('2026-01-01T00:00:00Z'), tags: [], attributes: {} };
const paths = { numbers: 0, bigints: 0, decimal: 0 };
const runs = runsFor(300);

/** Both paths on one order, through the same steps evaluate takes; the kind's factors given. */
function bothPaths(program: Program, account: AccountState, event: PurchaseEvent, kindFactors: readonly Decimal[]) {
  const compiled = compiledOf(program);
  const { config } = program;
  const view = viewOrder(event, config, compiled.excluded);
  const lines = lineMatcher(compiled, config, view);
  const fired = config.rules.map((_, i) => i);
  const multiplierRules = fired.filter((i) => config.rules[i]?.award.kind === 'multiplier');
  const input: AwardInput = { plan: compiled.earn, config, order: view, lines, fired, multiplierRules, kindFactors };
  paths[unitPathOf(input)] += 1;
  const units = draftAwardsOnUnits(input);
  const oracle = draftAwards(config, view, lines, fired, lineMultipliers(config, view, lines, multiplierRules, kindFactors));
  const entriesOf = (drafts: typeof oracle) => JSON.stringify(earnEntries(program, account, event, view, drafts));
  return { units: units ? entriesOf(units) : undefined, oracle: entriesOf(oracle), points: { units: units?.map((d) => d.points.toString()), oracle: oracle.map((d) => d.points.toString()) } };
}

describe('integer awards against the Decimal oracle', () => {
  announce('int-oracle', runs);
  afterAll(() => console.log(`[int-oracle] paths taken: ${JSON.stringify(paths)}`));

  test('the integer path makes the entries the Decimal path makes (every award kind, stacking, rounding, large amounts)', () => {
    const kindFactors = fc.array(positiveDecimal(300, 2).map((t) => new Decimal(t)), { maxLength: 2 });
    fc.assert(
      fc.property(config, order, kindFactors, (c, o, kf) => {
        const program = programOf(c);
        const r = bothPaths(program, openAccount(program, 'c1'), purchaseOf(o, c.currency, 'e1'), kf);
        if (r.units !== undefined) {
          expect(r.points.units).toEqual(r.points.oracle);
          expect(r.units).toBe(r.oracle);
        }
      }),
      { seed: FC_SEED, numRuns: runs },
    );
    // The property must have run both integer paths, or it proved less than it says.
    expect(paths.numbers).toBeGreaterThan(0);
    expect(paths.bigints).toBeGreaterThan(0);
  });

  test('a negative line multiplier (additive stacking of factors below 1) is left to the Decimal path', () => {
    // Found by the property at FC_SCALE=10: 1 + (0.1 − 1) + (0.1 − 1) = −0.8 on the line.
    const draw: ConfigDraw = {
      currency: 'USD', rounding: 'floor', stacking: 'additive', excluded: [], netOfRedeemedPoints: false, pointsPerUnit: '1',
      rules: [{ award: { kind: 'per_item', points: '1' }, lines: undefined, limits: [] }, { award: { kind: 'multiplier', factor: '0.1' }, lines: undefined, limits: [] }],
    };
    const program = programOf(draw);
    const event = purchaseOf({ lines: [{ priceAndQuantity: [0n, 1], discountShare: 0, categories: [] }], pointsRedeemed: 1, day: 1 }, 'USD', 'neg');
    const before = paths.decimal;
    const r = bothPaths(program, openAccount(program, 'c1'), event, [new Decimal('0.1')]);
    expect(r.units).toBeUndefined();
    expect(paths.decimal).toBe(before + 1);
  });

  test('evaluate on integers and evaluate explaining (the Decimal path) write the same transaction, limits and counters included', () => {
    fc.assert(
      fc.property(config, fc.array(order, { minLength: 1, maxLength: 3 }), (c, orders) => {
        const program = programOf(c);
        let account = openAccount(program, 'c1');
        orders.forEach((o, k) => {
          const event: LoyaltyEvent = purchaseOf(o, c.currency, `e${k}`);
          const fast = evaluate(program, account, event, { customer });
          const oracle = evaluate(program, account, event, { customer, explain: true });
          expect(JSON.stringify(fast.ok ? fast.transaction : fast.issues)).toBe(JSON.stringify(oracle.ok ? oracle.transaction : oracle.issues));
          expect(JSON.stringify(fast.ok ? fast.notifications : [])).toBe(JSON.stringify(oracle.ok ? oracle.notifications : []));
          // Fold it, so the next order meets this one's limit counters and debt-free lots.
          if (fast.ok && fast.transaction) account = applyEntries(account, fast.transaction);
        });
      }),
      { seed: FC_SEED, numRuns: Math.max(1, Math.round(runs / 3)) },
    );
  });
});
