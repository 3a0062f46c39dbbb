// Every period kind cuts at the zone's midnight, and labels the period by its own calendar.
import { describe, expect, test } from 'vitest';
import { computeMetricsSync, type MetricsInput, type MetricsPeriod } from '../../src/metrics';

// 23:30 on Sunday 31 March 2024 in Kathmandu (UTC+05:45) is 17:45Z the same day; 00:30 on
// Monday 1 April there is 18:45Z on 31 March: the two are in different days, ISO weeks, months,
// quarters (and the same year) in Kathmandu, though the same UTC day.
const flows: MetricsInput[] = [
  { kind: 'points', customerId: 'a', at: Date.parse('2024-03-31T17:45:00Z'), account: 'issued', amount: 1 },
  { kind: 'points', customerId: 'a', at: Date.parse('2024-03-31T18:45:00Z'), account: 'issued', amount: 2 },
];

const cut = (period: MetricsPeriod, timeZone: string) =>
  computeMetricsSync(flows, { timeZone, period, currency: 'USD' }).periods.map((p) => [p.label, p.start, p.all.points.issued]);

describe('periods in a zone', () => {
  test('day, week, month, quarter, year in Asia/Kathmandu', () => {
    expect(cut('day', 'Asia/Kathmandu')).toEqual([
      ['2024-03-31', '2024-03-30T18:15:00.000Z', '1'],
      ['2024-04-01', '2024-03-31T18:15:00.000Z', '2'],
    ]);
    // ISO weeks start on Monday: the week of 25 March, then the week of 1 April.
    expect(cut('week', 'Asia/Kathmandu')).toEqual([
      ['2024-03-25', '2024-03-24T18:15:00.000Z', '1'],
      ['2024-04-01', '2024-03-31T18:15:00.000Z', '2'],
    ]);
    expect(cut('month', 'Asia/Kathmandu').map((p) => p[0])).toEqual(['2024-03', '2024-04']);
    expect(cut('quarter', 'Asia/Kathmandu').map((p) => p[0])).toEqual(['2024-Q1', '2024-Q2']);
    expect(cut('year', 'Asia/Kathmandu')).toEqual([['2024', '2023-12-31T18:15:00.000Z', '3']]);
  });

  test('the same instants in UTC share one day', () => {
    expect(cut('day', 'UTC')).toEqual([['2024-03-31', '2024-03-31T00:00:00.000Z', '3']]);
  });
});
