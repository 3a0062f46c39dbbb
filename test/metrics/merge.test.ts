// Merging is exact: random data split into random shards, each shard's items in a random order,
// the shards merged in a random order, gives the very report of one pass (compared as JSON, so
// every decimal digit counts). Plus the edges of the integer sums and of the inputs.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { parseCustomer, parseEvent } from '../../src/core';
import { computeMetricsSync, metricsAccumulator, type MetricsInput, type MetricsOptions, type MetricsPeriod, type MetricsSnapshot } from '../../src/metrics';
import { isLoyaltyError } from '../../src';
import { announce, FC_SEED, runsFor } from '../properties/seed';

const START = Date.parse('2026-12-20T00:00:00Z');
const SPAN = 110 * 86_400_000;
const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
const instant = fc.integer({ min: 0, max: SPAN }).map((ms) => START + ms);
const money = fc.integer({ min: 1, max: 500_000 }).map((c) => `${Math.trunc(c / 100)}.${String(c % 100).padStart(2, '0')}`);
let seq = 0;
const next = () => String((seq += 1));

const item: fc.Arbitrary<MetricsInput> = fc.oneof(
  fc.record({ id: fc.constantFrom(...ids), at: instant, member: fc.boolean(), region: fc.constantFrom('north', 'south', undefined) }).map(
    ({ id, at, member, region }): MetricsInput => ({ kind: 'customer', customer: parseCustomer({ id, enrolledAt: new Date(at), attributes: region ? { region } : {} }), member }),
  ),
  fc.record({ id: fc.constantFrom(...ids), at: instant, price: money, quantity: fc.integer({ min: 1, max: 3 }) }).map(({ id, at, price, quantity }): MetricsInput => {
    const n = next();
    return { kind: 'event', event: parseEvent({ type: 'purchase', id: `p${n}`, customerId: id, occurredAt: new Date(at), orderId: `o${n}`, currency: 'USD', lines: [{ lineId: 'l', sku: 's', quantity, unitPrice: price }] }) };
  }),
  fc.record({ id: fc.constantFrom(...ids), at: instant, amount: fc.option(money, { nil: undefined }) }).map(({ id, at, amount }): MetricsInput => {
    const shape = amount === undefined ? { lines: [{ lineId: 'l', quantity: 1 }] } : { amount, currency: 'USD' };
    return { kind: 'event', event: parseEvent({ type: 'refund', id: `r${next()}`, customerId: id, occurredAt: new Date(at), orderId: 'o1', ...shape }) };
  }),
  fc.record({ id: fc.constantFrom(...ids), at: instant }).map(({ id, at }): MetricsInput => ({ kind: 'event', event: parseEvent({ type: 'signup', id: `s${next()}`, customerId: id, occurredAt: new Date(at) }) })),
  fc.record({
    id: fc.constantFrom(...ids),
    at: instant,
    account: fc.constantFrom('issued' as const, 'redeemed' as const, 'expired' as const, 'clawed_back' as const, 'adjusted' as const),
    // Now and then an amount at the edge of the number range, so sums spill into bigints.
    amount: fc.oneof({ weight: 9, arbitrary: fc.integer({ min: -500, max: 5000 }) }, { weight: 1, arbitrary: fc.constantFrom(2 ** 52, -(2 ** 52), 2 ** 52 - 1) }),
  }).map(({ id, at, account, amount }): MetricsInput => ({ kind: 'points', customerId: id, at, account, amount })),
);

// With a segment, points are kept per customer; without, per period only: both paths merge.
const options: fc.Arbitrary<MetricsOptions> = fc
  .record({
    timeZone: fc.constantFrom('UTC', 'America/New_York', 'Asia/Kathmandu', 'Australia/Lord_Howe'),
    period: fc.constantFrom<MetricsPeriod>('day', 'week', 'month', 'quarter', 'year'),
    segmented: fc.boolean(),
  })
  .map(({ timeZone, period, segmented }) => ({ timeZone, period, currency: 'USD', margin: '0.3', valuePerPoint: '0.01', ...(segmented ? { segment: 'region' } : {}) }));

/** Items with a shard number and a sort key each: the shard's order. */
const sharded = fc.integer({ min: 1, max: 5 }).chain((shards) =>
  fc.record({
    shards: fc.constant(shards),
    items: fc.array(fc.tuple(item, fc.nat({ max: shards - 1 }), fc.nat()), { maxLength: 60 }),
    mergeOrder: fc.shuffledSubarray([...Array(shards).keys()], { minLength: shards, maxLength: shards }),
  }),
);

describe('merge is exact', () => {
  const runs = runsFor(60);
  test('random shards, in random orders, some through JSON snapshots, merged in a random order, give the one-pass report', () => {
    announce('metrics merge', runs);
    fc.assert(
      fc.property(options, sharded, (opts, { shards, items, mergeOrder }) => {
        const acc = metricsAccumulator(opts);
        const whole = acc.empty();
        for (const [x] of items) acc.add(whole, x);
        const parts = Array.from({ length: shards }, () => acc.empty());
        const shuffled = [...items].sort((p, q) => p[2] - q[2]);
        for (const [x, shard] of shuffled) acc.add(parts[shard]!, x);
        // Half the shards travel as JSON snapshots, as between workers.
        let merged = acc.empty();
        for (const i of mergeOrder) merged = acc.merge(merged, i % 2 === 1 ? acc.restore(JSON.parse(JSON.stringify(acc.snapshot(parts[i]!))) as MetricsSnapshot) : parts[i]!);
        const once = JSON.stringify(acc.result(whole));
        expect(JSON.stringify(acc.result(merged))).toBe(once);
        // result reads without changing the state.
        expect(JSON.stringify(acc.result(whole))).toBe(once);
      }),
      { seed: FC_SEED, numRuns: runs },
    );
  });
});

describe('integer sums and inputs', () => {
  const opts: MetricsOptions = { timeZone: 'UTC', period: 'month', currency: 'USD' };
  const flow = (amount: number, customerId = 'a'): MetricsInput => ({ kind: 'points', customerId, at: Date.parse('2027-01-05T00:00:00Z'), account: 'issued', amount });

  test('sums past 2^53 stay exact (they spill into bigints)', () => {
    const report = computeMetricsSync([flow(2 ** 52), flow(2 ** 52), flow(2 ** 52), flow(2 ** 52), flow(1)], opts);
    expect(report.totals.points.issued).toBe('18014398509481985'); // 4 × 2^52 + 1
    const split = metricsAccumulator(opts);
    const [a, b] = [split.empty(), split.empty()];
    split.add(a, flow(2 ** 52));
    split.add(a, flow(2 ** 52));
    split.add(b, flow(2 ** 52));
    split.add(b, flow(2 ** 52));
    split.add(b, flow(1));
    expect(split.result(split.merge(a, b)).totals.points.issued).toBe('18014398509481985');
  });

  test('a snapshot keeps spilled sums exactly, and a restored state takes more items', () => {
    const acc = metricsAccumulator(opts);
    const s = acc.empty();
    for (let i = 0; i < 4; i++) acc.add(s, flow(2 ** 52));
    const copy = acc.restore(JSON.parse(JSON.stringify(acc.snapshot(s))) as MetricsSnapshot);
    acc.add(copy, flow(1));
    expect(acc.result(copy).totals.points.issued).toBe('18014398509481985');
    expect(JSON.stringify(acc.snapshot(s))).toContain('"18014398509481984"');
  });

  test('point decimals: amounts are steps of 10^−pointDecimals', () => {
    expect(computeMetricsSync([flow(12345)], { ...opts, pointDecimals: 2 }).totals.points.issued).toBe('123.45');
  });

  const refusal = (f: () => unknown): string => {
    try {
      f();
    } catch (e) {
      if (isLoyaltyError(e)) return e.code;
      throw e;
    }
    return 'accepted';
  };

  test('refuses what it cannot count exactly', () => {
    expect(refusal(() => computeMetricsSync([flow(2 ** 53)], opts))).toBe('invalid_amount');
    expect(refusal(() => computeMetricsSync([flow(1.5)], opts))).toBe('invalid_amount');
    const eur = parseEvent({ type: 'purchase', id: 'p', customerId: 'a', occurredAt: '2027-01-05T00:00:00Z', orderId: 'o', currency: 'EUR', lines: [{ lineId: 'l', sku: 's', quantity: 1, unitPrice: '1.00' }] });
    expect(refusal(() => computeMetricsSync([{ kind: 'event', event: eur }], opts))).toBe('currency_mismatch');
    expect(refusal(() => metricsAccumulator({ ...opts, timeZone: 'Mars/Olympus' }))).toBe('invalid_time_zone');
    expect(refusal(() => metricsAccumulator({ ...opts, currency: 'XYZ' }))).toBe('unknown_currency');
    expect(refusal(() => metricsAccumulator({ ...opts, places: 2.5 }))).toBe('invalid_places');
  });

  test('a state cannot be merged into itself', () => {
    const acc = metricsAccumulator(opts);
    const s = acc.empty();
    expect(refusal(() => acc.merge(s, s))).toBe('invalid_input');
  });

  test('an empty input gives an empty report', () => {
    const report = computeMetricsSync([], opts);
    expect(report.periods).toEqual([]);
    expect(report.totals.orders).toEqual({ count: 0, revenue: '0', aov: null, frequency: null, customerValue: null, valuePerPeriod: null });
  });
});
