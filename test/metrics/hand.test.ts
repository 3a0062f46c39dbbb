// SPEC §11's worked numbers, and every metric of the small dataset (test/metrics/dataset.ts)
// against a computation by hand, written out next to each assertion.
import { describe, expect, test } from 'vitest';
import { parseCustomer, parseEvent } from '../../src/core';
import { adoptionRate, computeMetrics, computeMetricsSync, metricsAccumulator, retentionRate, type MetricsInput, type MetricsReport } from '../../src/metrics';
import { DATASET_OPTIONS, datasetItems } from './dataset';

describe('SPEC §11 worked numbers', () => {
  test('adoption: 1,000 members of 10,000 customers is 10 %', () => {
    expect(adoptionRate(1000, 10000)?.toString()).toBe('10');
  });

  test('CRR = ((E − N) / S) × 100: S = 200, N = 40, E = 210 gives 85 %', () => {
    expect(retentionRate({ start: 200, new: 40, end: 210 })?.toString()).toBe('85');
  });

  test('the accumulator finds the same 10 % from 10,000 customer profiles', () => {
    const acc = metricsAccumulator({ timeZone: 'UTC', period: 'year', currency: 'USD' });
    const state = acc.empty();
    for (let i = 0; i < 10000; i++) {
      acc.addCustomer(state, parseCustomer({ id: `c${i}`, enrolledAt: '2027-01-01T00:00:00Z' }), i < 1000);
    }
    expect(acc.result(state).totals.customers).toEqual({ known: 10000, members: 1000, adoptionRate: '10', active: 0 });
  });

  test('the accumulator finds CRR 85 % from 200 customers active in January, 170 of them and 40 others in February', () => {
    const items: MetricsInput[] = [];
    const buy = (customerId: string, at: string) => {
      items.push({ kind: 'event', event: parseEvent({ type: 'purchase', id: `${customerId}-${at}`, customerId, occurredAt: at, orderId: `${customerId}-${at}`, currency: 'USD', lines: [{ lineId: 'l', sku: 's', quantity: 1, unitPrice: '10.00' }] }) });
    };
    for (let i = 0; i < 200; i++) buy(`c${i}`, '2027-01-15T12:00:00Z');
    for (let i = 30; i < 240; i++) buy(`c${i}`, '2027-02-15T12:00:00Z');
    const february = computeMetricsSync(items, { timeZone: 'UTC', period: 'month', currency: 'USD' }).periods[1];
    expect(february?.all.churn).toMatchObject({ start: 200, new: 40, end: 210, lost: 30, lostRate: '15', retentionRate: '85' });
  });
});

describe('the small dataset, computed by hand', () => {
  const report: MetricsReport = computeMetricsSync(datasetItems(), DATASET_OPTIONS);
  const [jan, feb, mar] = report.periods;

  test('periods are the calendar months in New York', () => {
    expect(report.periods.map((p) => [p.label, p.start, p.end])).toEqual([
      ['2027-01', '2027-01-01T05:00:00.000Z', '2027-02-01T05:00:00.000Z'],
      ['2027-02', '2027-02-01T05:00:00.000Z', '2027-03-01T05:00:00.000Z'],
      ['2027-03', '2027-03-01T05:00:00.000Z', '2027-04-01T04:00:00.000Z'],
    ]);
  });

  test('orders: AOV, frequency and customer value', () => {
    // Orders: ana 3 (100 + 50 + 30), ben 2 (40 + 60), cy 2 (80 + 20, −10 refunded), dee 1 (90) = 8.
    // Revenue 180 + 100 + 90 + 90 = 460 (shipping and tax left out). AOV 460 / 8 = 57.5.
    // Frequency 8 orders / 4 customers = 2. Customer value 57.5 × 2 = 115.
    // Customer-periods of activity: ana 3, ben 1, cy 2, dee 1 = 7; value per period 460 / 7 = 65.714285…
    expect(report.totals.orders).toEqual({ count: 8, revenue: '460', aov: '57.5', frequency: '2', customerValue: '115', valuePerPeriod: '65.7143' });
  });

  test('per month in the zone: ben’s order at 22:00 on 31 January (03:00Z on 1 February) is January’s', () => {
    // January: ana 100, ben 40 + 60 → 3 orders, 200; February: ana 50, cy 80; March: ana 30, cy 20 − 10, dee 90.
    expect([jan, feb, mar].map((p) => [p?.all.orders.count, p?.all.orders.revenue, p?.all.orders.aov])).toEqual([
      [3, '200', '66.6667'],
      [2, '130', '65'],
      [3, '130', '43.3333'],
    ]);
    // In UTC the same order falls in February.
    const utc = computeMetricsSync(datasetItems(), { ...DATASET_OPTIONS, timeZone: 'UTC' });
    expect(utc.periods.map((p) => p.all.orders.revenue)).toEqual(['140', '190', '130']);
  });

  test('adoption: members over customers known by each period’s end', () => {
    // January: ana, ben known and enrolled (2 / 2); February: cy (14 Feb, no profile) and dee (15 Feb) join: 3 / 4.
    expect([jan, feb, mar].map((p) => [p?.all.customers.known, p?.all.customers.members, p?.all.customers.adoptionRate])).toEqual([
      [2, 2, '100'],
      [4, 3, '75'],
      [4, 3, '75'],
    ]);
    expect(report.totals.customers).toEqual({ known: 4, members: 3, adoptionRate: '75', active: 4 });
  });

  test('points: redemption and breakage rates, outstanding and liability gross and net', () => {
    // Issued 100 + 100 + 50 + 30 + 90 = 370; redeemed 80; expired 20 + 50 = 70; outstanding 370 − 80 − 70 = 220.
    // Redemption 80 / 370 = 21.6216…%; breakage 70 / 370 = 18.9189…%.
    // Liability 220 × $0.01 = $2.20; net of the observed breakage: 2.2 × (1 − 70/370) = 2.2 × 300/370 = 1.78378…
    expect(report.totals.points).toEqual({ issued: '370', redeemed: '80', expired: '70', clawedBack: '0', adjusted: '0', outstanding: '220', redemptionRate: '21.6216', breakageRate: '18.9189' });
    expect(report.totals.liability).toEqual({ gross: '2.2', net: '1.7838' });
    // Outstanding at each month's end: 200; 200 + 50 − 80 = 170; 170 + 120 − 70 = 220.
    expect([jan, feb, mar].map((p) => p?.all.points.outstanding)).toEqual(['200', '170', '220']);
    // With an expected breakage of 50 %: 2.2 × 0.5 = 1.1.
    expect(computeMetricsSync(datasetItems(), { ...DATASET_OPTIONS, expectedBreakage: '50' }).totals.liability).toEqual({ gross: '2.2', net: '1.1' });
  });

  test('churn four ways, and CRR, per month', () => {
    // February: S = {ana, ben} = 2; active {ana, cy}: E = 2, N = 1 (cy), lost 1 (ben) = 50 %;
    //   recurring value at start = January revenue of ana and ben = 100 + 100 = 200; lost: ben's 100 = 50 %;
    //   CRR = (2 − 1) / 2 = 50 %.
    expect(feb?.all.churn).toEqual({ start: 2, new: 1, end: 2, lost: 1, lostRate: '50', valueAtStart: '200', valueLost: '100', valueLostRate: '50', retentionRate: '50' });
    // March: S = {ana, cy}; active {ana, cy, dee}: E = 3, N = 1 (dee), nobody lost; value at start 50 + 80 = 130.
    //   CRR = (3 − 1) / 2 = 100 %.
    expect(mar?.all.churn).toEqual({ start: 2, new: 1, end: 3, lost: 0, lostRate: '0', valueAtStart: '130', valueLost: '0', valueLostRate: '0', retentionRate: '100' });
    // January has no previous period: everyone is new, the rates have no value.
    expect(jan?.all.churn).toEqual({ start: 0, new: 2, end: 2, lost: 0, lostRate: null, valueAtStart: '0', valueLost: '0', valueLostRate: null, retentionRate: null });
    // Pooled over the transitions: S 4, N 4, E 7, lost 1 (25 %); value 330, lost 100 (30.30…%); CRR (7 − 4) / 4 = 75 %.
    expect(report.totals.churn).toEqual({ start: 4, new: 4, end: 7, lost: 1, lostRate: '25', valueAtStart: '330', valueLost: '100', valueLostRate: '30.303', retentionRate: '75' });
  });

  test('both lifespans, and CLV plain and margin-adjusted', () => {
    // Span in months, first to last purchase, both counted: ana Jan–Mar 3, ben Jan–Jan 1, cy Feb–Mar 2, dee 1: mean 7/4 = 1.75.
    // From churn: 1 / 25 % = 4 months.
    expect(report.totals.lifespan).toEqual({ span: '1.75', churn: '4' });
    // CLV = value per period × lifespan: 460/7 × 1.75 = 115; 460/7 × 4 = 262.857142…; margin 25 %: 28.75 and 65.714285…
    expect(report.totals.clv).toEqual({ span: '115', churn: '262.8571', marginSpan: '28.75', marginChurn: '65.7143' });
    // February: active ana (3) and cy (2): span 2.5; churn 50 % → 2 months; value per period 130 / 2 = 65.
    expect(feb?.all.lifespan).toEqual({ span: '2.5', churn: '2' });
    expect(feb?.all.clv).toEqual({ span: '162.5', churn: '130', marginSpan: '40.625', marginChurn: '32.5' });
    // March: no churn, so no churn lifespan.
    expect(mar?.all.lifespan.churn).toBeNull();
  });

  test('program lift: members and non-members side by side', () => {
    // Members ana, ben, dee: 6 orders, 370, AOV 61.67, 2 orders each; non-member cy: 2 orders, 90, AOV 45.
    expect(report.totals.lift).toEqual({
      members: { customers: 3, orders: 6, revenue: '370', aov: '61.6667', frequency: '2' },
      nonMembers: { customers: 1, orders: 2, revenue: '90', aov: '45', frequency: '2' },
    });
    // March: dee (enrolled 15 Feb) and ana are members: 2 orders, 120; cy: 1 order, 20 − 10 = 10.
    expect(mar?.all.lift).toEqual({
      members: { customers: 2, orders: 2, revenue: '120', aov: '60', frequency: '1' },
      nonMembers: { customers: 1, orders: 1, revenue: '10', aov: '10', frequency: '1' },
    });
  });

  test('per segment: the region attribute, and customers without a profile apart', () => {
    expect(Object.keys(report.segments)).toEqual(['(none)', 'north', 'south']);
    // south: ben (40 + 60) and dee (90): 3 orders, 190; ben lost in February, dee new in March.
    // Pooled churn: S 1 (ben, Jan→Feb), lost 1; N: ben (Jan) + dee (Mar) = 2, E = 2: CRR (2 − 2) / 1 = 0.
    const south = report.segments['south'];
    expect(south?.orders).toMatchObject({ count: 3, revenue: '190' });
    expect(south?.churn).toMatchObject({ start: 1, new: 2, end: 2, lost: 1, lostRate: '100', retentionRate: '0' });
    expect(south?.points).toMatchObject({ issued: '190', expired: '50', outstanding: '140' });
    expect(report.segments['(none)']?.customers).toEqual({ known: 1, members: 0, adoptionRate: '0', active: 1 });
    expect(feb?.segments['north']?.orders.revenue).toBe('50');
  });

  test('without a segment breakdown (points summed per period, not per customer) every figure of all customers is the same', () => {
    const { segment: _segment, ...plain } = DATASET_OPTIONS;
    const unsegmented = computeMetricsSync(datasetItems(), plain);
    expect(unsegmented.totals).toEqual(report.totals);
    expect(unsegmented.periods.map((p) => p.all)).toEqual(report.periods.map((p) => p.all));
    expect(Object.keys(unsegmented.segments)).toEqual(['(none)']);
  });

  test('a refund by lines is counted as unpriced, not guessed', () => {
    expect(report.totals.unpricedRefunds).toBe(1);
    expect(mar?.all.unpricedRefunds).toBe(1);
  });

  test('the report is plain JSON', () => {
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  test('an async iterable gives the same report as the array', async () => {
    async function* stream(): AsyncGenerator<MetricsInput> {
      for (const item of datasetItems()) {
        await Promise.resolve();
        yield item;
      }
    }
    expect(JSON.stringify(await computeMetrics(stream(), DATASET_OPTIONS))).toBe(JSON.stringify(report));
    expect(JSON.stringify(await computeMetrics(datasetItems(), DATASET_OPTIONS))).toBe(JSON.stringify(report));
  });
});
