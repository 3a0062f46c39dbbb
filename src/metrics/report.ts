import { Decimal } from '../money/decimal';
import { aggregate, allSegments, type Agg } from './aggregate';
import { F, type MetricsState } from './state';
import {
  adoptionRate,
  averageOrderValue,
  breakageRate,
  churnRate,
  customerLifetimeValue,
  customerValue,
  lifespanFromChurn,
  pointsLiability,
  purchaseFrequency,
  redemptionRate,
  retentionRate,
} from './formulas';
import { periodLabel } from './periods';
import type { Settings } from './ingest';

import type { LiftSide, MetricsReport, MetricsRow, PeriodMetrics } from './types';

// From exact aggregates to the report: sums are printed exactly; figures derived by division
// are rounded half-even to `places`, so the same aggregates always print the same bytes.

const dec = (n: bigint): Decimal => new Decimal(n.toString());

interface Printer {
  readonly money: (minor: bigint) => string;
  readonly points: (steps: bigint) => string;
  readonly derived: (d: Decimal | null) => string | null;
  readonly moneyOf: (minor: bigint) => Decimal;
  readonly pointsOf: (steps: bigint) => Decimal;
}

function printer(settings: Settings): Printer {
  const places = settings.options.places ?? 4;
  const moneyOf = (minor: bigint): Decimal => dec(minor).div(settings.moneyScale);
  const pointsOf = (steps: bigint): Decimal => dec(steps).div(settings.pointScale);
  return {
    moneyOf,
    pointsOf,
    money: (minor) => moneyOf(minor).toFixed(),
    points: (steps) => pointsOf(steps).toFixed(),
    derived: (d) => (d === null ? null : d.toDecimalPlaces(places, Decimal.ROUND_HALF_EVEN).toFixed()),
  };
}

function liftSide(p: Printer, customers: number, orders: bigint, revenue: bigint): LiftSide {
  const money = p.moneyOf(revenue);
  return {
    customers,
    orders: Number(orders),
    revenue: p.money(revenue),
    aov: p.derived(averageOrderValue(money, dec(orders))),
    frequency: p.derived(purchaseFrequency(dec(orders), customers)),
  };
}

function churnOf(p: Printer, agg: Agg): MetricsRow['churn'] {
  return {
    start: agg.churnStart,
    new: agg.churnNew,
    end: agg.customerPeriods,
    lost: agg.churnLost,
    lostRate: p.derived(churnRate(agg.churnLost, agg.churnStart)),
    valueAtStart: p.money(agg.valueAtStart),
    valueLost: p.money(agg.valueLost),
    valueLostRate: p.derived(churnRate(dec(agg.valueLost), dec(agg.valueAtStart))),
    retentionRate: p.derived(retentionRate({ start: agg.churnStart, new: agg.churnNew, end: agg.customerPeriods })),
  };
}

function pointsOf(p: Printer, agg: Agg): MetricsRow['points'] {
  const issued = dec(agg.sum(F.issued));
  return {
    issued: p.points(agg.sum(F.issued)),
    redeemed: p.points(agg.sum(F.redeemed)),
    expired: p.points(agg.sum(F.expired)),
    clawedBack: p.points(agg.sum(F.clawedBack)),
    adjusted: p.points(agg.sum(F.adjusted)),
    outstanding: p.points(agg.outstanding),
    redemptionRate: p.derived(redemptionRate(dec(agg.sum(F.redeemed)), issued)),
    breakageRate: p.derived(breakageRate(dec(agg.sum(F.expired)), issued)),
  };
}

function liabilityOf(p: Printer, agg: Agg, settings: Settings, expectedBreakage: Decimal | null): MetricsRow['liability'] {
  const valuePerPoint = settings.options.valuePerPoint;
  if (valuePerPoint === undefined) return null;
  const l = pointsLiability({ outstanding: p.pointsOf(agg.outstanding), valuePerPoint, expectedBreakage });
  return { gross: l.gross.toFixed(), net: p.derived(l.net) };
}

function ordersOf(p: Printer, agg: Agg): MetricsRow['orders'] {
  const orders = agg.sum(F.orders);
  const revenue = p.moneyOf(agg.sum(F.revenue));
  const aov = averageOrderValue(revenue, dec(orders));
  const frequency = purchaseFrequency(dec(orders), agg.active);
  return {
    count: Number(orders),
    revenue: p.money(agg.sum(F.revenue)),
    aov: p.derived(aov),
    frequency: p.derived(frequency),
    customerValue: p.derived(customerValue(aov, frequency)),
    valuePerPeriod: p.derived(averageOrderValue(revenue, agg.customerPeriods)),
  };
}

function rowOf(p: Printer, agg: Agg, settings: Settings, expectedBreakage: Decimal | null): MetricsRow {
  const revenue = p.moneyOf(agg.sum(F.revenue));
  const perPeriod = averageOrderValue(revenue, agg.customerPeriods);
  const spanLife = agg.active === 0 ? null : new Decimal(agg.spanSum).div(agg.active);
  const churnLife = lifespanFromChurn(churnRate(agg.churnLost, agg.churnStart));
  const margin = settings.options.margin;
  const marginClv = (life: Decimal | null): Decimal | null => (margin === undefined ? null : customerLifetimeValue(perPeriod, life, margin));
  return {
    customers: { known: agg.known, members: agg.members, adoptionRate: p.derived(adoptionRate(agg.members, agg.known)), active: agg.active },
    orders: ordersOf(p, agg),
    lifespan: { span: p.derived(spanLife), churn: p.derived(churnLife) },
    clv: {
      span: p.derived(customerLifetimeValue(perPeriod, spanLife)),
      churn: p.derived(customerLifetimeValue(perPeriod, churnLife)),
      marginSpan: p.derived(marginClv(spanLife)),
      marginChurn: p.derived(marginClv(churnLife)),
    },
    churn: churnOf(p, agg),
    points: pointsOf(p, agg),
    liability: liabilityOf(p, agg, settings, expectedBreakage),
    lift: {
      members: liftSide(p, agg.memberActive, agg.memberOrders, agg.memberRevenue),
      nonMembers: liftSide(p, agg.active - agg.memberActive, agg.sum(F.orders) - agg.memberOrders, agg.sum(F.revenue) - agg.memberRevenue),
    },
    unpricedRefunds: Number(agg.sum(F.unpriced)),
  };
}

/** Segment labels in a stable order, so a report's JSON is the same bytes however it was built. */
function sortedLabels(labels: Iterable<string>): string[] {
  return [...labels].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Builds the report of a state (without changing it). */
export function buildReport(state: MetricsState, settings: Settings): MetricsReport {
  const { timeZone, period, currency } = settings.options;
  const aggs = aggregate(state, period, timeZone);
  const all = allSegments(aggs);
  const p = printer(settings);
  const given = settings.options.expectedBreakage;
  const expected = given !== undefined ? new Decimal(given) : breakageRate(dec(all.total.sum(F.expired)), dec(all.total.sum(F.issued)));
  const labels = sortedLabels(aggs.segments.keys());
  const row = (agg: Agg): MetricsRow => rowOf(p, agg, settings, expected);
  const periods: PeriodMetrics[] = aggs.periods.map((span, i) => ({
    label: periodLabel(span.start, period, timeZone),
    start: new Date(span.start).toISOString(),
    end: new Date(span.end).toISOString(),
    all: row(all.perPeriod[i]!),
    segments: Object.fromEntries(labels.map((label) => [label, row(aggs.segments.get(label)!.perPeriod[i]!)])),
  }));
  return {
    timeZone,
    period,
    currency,
    totals: row(all.total),
    segments: Object.fromEntries(labels.map((label) => [label, row(aggs.segments.get(label)!.total)])),
    periods,
  };
}
