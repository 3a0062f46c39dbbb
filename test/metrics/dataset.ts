// The small hand-computed dataset of the metrics tests and examples/metrics.ts: four customers
// over January–March 2027 in America/New_York (UTC−5 all three months), monthly periods.
//
//   customer  profile                                   orders (net revenue)                              points
//   ana       member, enrolled 2 Jan, region north      5 Jan $100; 10 Feb $50; 3 Mar $30                 +100 Jan; +50, −80 redeemed Feb; +30, 20 expired Mar
//   ben       member, enrolled 10 Jan, region south     20 Jan $40; 31 Jan 22:00 local $60 (= 1 Feb 03:00Z) +100 Jan; 50 expired Mar
//   cy        no profile (a non-member, segment none)   14 Feb $80; 20 Mar $20, refund $10 on 25 Mar;     —
//                                                       a refund by lines on 26 Mar (cannot be priced)
//   dee       member, enrolled 15 Feb, region south     5 Mar $90                                          +90 Mar
//
// ben's second order is in January in New York and in February in UTC: the zone decides.
import { parseCustomer, parseEvent } from '../../src/core';
import type { MetricsInput, MetricsOptions } from '../../src/metrics';

export const DATASET_OPTIONS: MetricsOptions = {
  timeZone: 'America/New_York',
  period: 'month',
  currency: 'USD',
  segment: 'region',
  margin: '0.25',
  valuePerPoint: '0.01',
};

let seq = 0;
function purchase(customerId: string, at: string, amount: string): MetricsInput {
  seq += 1;
  const event = parseEvent({
    type: 'purchase', id: `p${seq}`, customerId, occurredAt: at, orderId: `o${seq}`, currency: 'USD',
    // Net revenue is lines after discounts: 2 × amount − amount; shipping and tax are left out.
    lines: [{ lineId: 'l1', sku: 'sku', quantity: 2, unitPrice: amount, discount: amount }], shipping: '5.00', tax: '3.00',
  });
  return { kind: 'event', event };
}

function points(customerId: string, at: string, account: 'issued' | 'redeemed' | 'expired', amount: number): MetricsInput {
  return { kind: 'points', customerId, at: Date.parse(at), account, amount };
}

const profile = (id: string, enrolledAt: string, region: string): MetricsInput => ({ kind: 'customer', customer: parseCustomer({ id, enrolledAt, attributes: { region } }) });

/** The dataset's items, in time order. */
export function datasetItems(): MetricsInput[] {
  return [
    profile('ana', '2027-01-02T12:00:00Z', 'north'),
    purchase('ana', '2027-01-05T15:00:00Z', '100.00'),
    points('ana', '2027-01-05T15:00:00Z', 'issued', 100),
    profile('ben', '2027-01-10T12:00:00Z', 'south'),
    purchase('ben', '2027-01-20T15:00:00Z', '40.00'),
    points('ben', '2027-01-20T15:00:00Z', 'issued', 100),
    purchase('ben', '2027-02-01T03:00:00Z', '60.00'),
    purchase('ana', '2027-02-10T15:00:00Z', '50.00'),
    points('ana', '2027-02-10T15:00:00Z', 'issued', 50),
    points('ana', '2027-02-11T15:00:00Z', 'redeemed', 80),
    purchase('cy', '2027-02-14T15:00:00Z', '80.00'),
    profile('dee', '2027-02-15T12:00:00Z', 'south'),
    purchase('ana', '2027-03-03T15:00:00Z', '30.00'),
    points('ana', '2027-03-03T15:00:00Z', 'issued', 30),
    purchase('dee', '2027-03-05T15:00:00Z', '90.00'),
    points('dee', '2027-03-05T15:00:00Z', 'issued', 90),
    points('ana', '2027-03-10T15:00:00Z', 'expired', 20),
    points('ben', '2027-03-10T15:00:00Z', 'expired', 50),
    purchase('cy', '2027-03-20T15:00:00Z', '20.00'),
    { kind: 'event', event: parseEvent({ type: 'refund', id: 'r1', customerId: 'cy', occurredAt: '2027-03-25T15:00:00Z', orderId: 'o-cy', amount: '10.00', currency: 'USD' }) },
    { kind: 'event', event: parseEvent({ type: 'refund', id: 'r2', customerId: 'cy', occurredAt: '2027-03-26T15:00:00Z', orderId: 'o-cy', lines: [{ lineId: 'l1', quantity: 1 }] }) },
  ];
}
