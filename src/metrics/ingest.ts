import { Decimal } from '../money/decimal';
import { minorUnits } from '../money/currencies';
import { unitsOf } from '../money/minor';
import { refuse } from '../time/internal/refuse';
import type { Customer } from '../schema/customer';
import type { LoyaltyEvent, PurchaseEvent, RefundEvent } from '../schema/events';
import type { Entry, LotDraw, Transaction, Unit } from '../ledger/types';
import { addTo, cellOf, checkAmount, F, mergeProfile, programCellOf, recordOf, type Cell, type MetricsState } from './state';
import { UNSEGMENTED, type MetricsOptions, type PointsFlow, type PointsFlowAccount } from './types';

// Turning inputs into integer sums. Events carry decimals; they are converted once per event
// (exactly, or refused). The points flows are the hot path: no Decimal, no allocation.

/** The options an accumulator works with, resolved once. */
export interface Settings {
  readonly options: MetricsOptions;
  readonly currency: string;
  /** 10^minor units of the currency, and of the point steps. */
  readonly moneyScale: Decimal;
  readonly pointScale: Decimal;
  /** The same scales as decimal places: a value's steps are read from its digits, no Decimal arithmetic. */
  readonly moneyPlaces: number;
  readonly pointPlaces: number;
  readonly unit: Unit;
  readonly refundsFromEvents: boolean;
  /** Whether points are kept per customer (for the segment breakdown) or per period only. */
  readonly perCustomerPoints: boolean;
  readonly labelOf: (customer: Customer) => string;
}

/** The sum a flow goes to; a switch on constant strings, cheaper than a keyed lookup in the hot loop. */
function flowField(account: PointsFlowAccount): number {
  switch (account) {
    case 'issued':
      return F.issued;
    case 'redeemed':
      return F.redeemed;
    case 'expired':
      return F.expired;
    case 'clawed_back':
      return F.clawedBack;
    case 'adjusted':
      return F.adjusted;
    default:
      return refuse('invalid_value', ['account'], `${String(account as unknown)} is not a system account`);
  }
}

function labeler(options: MetricsOptions): (customer: Customer) => string {
  const segment = options.segment;
  if (segment === undefined) return () => UNSEGMENTED;
  if (typeof segment === 'function') return segment;
  return (customer) => {
    const value = customer.attributes[segment];
    return value === undefined || value === null ? UNSEGMENTED : String(value);
  };
}

function checkPlaces(n: number, path: string): number {
  if (!Number.isInteger(n) || n < 0 || n > 18) refuse('invalid_places', [path], `${String(n)} is not a whole number of places from 0 to 18`);
  return n;
}

/** Resolves and checks the options. */
export function settingsOf(options: MetricsOptions): Settings {
  const pointDecimals = checkPlaces(options.pointDecimals ?? 0, 'pointDecimals');
  checkPlaces(options.places ?? 4, 'places');
  const moneyPlaces = minorUnits(options.currency);
  return {
    options,
    currency: options.currency,
    moneyScale: new Decimal(10).pow(moneyPlaces),
    pointScale: new Decimal(10).pow(pointDecimals),
    moneyPlaces,
    pointPlaces: pointDecimals,
    unit: options.unit ?? 'points',
    refundsFromEvents: (options.refundsFrom ?? 'events') === 'events',
    perCustomerPoints: options.segment !== undefined,
    labelOf: labeler(options),
  };
}

const ONE = new Decimal(1);
const MAX_STEPS = 2 ** 52;

/**
 * `value` in steps of 10^-places (`scale` = 10^places), refused unless a whole number of them
 * within ±2^52. Read from the Decimal's digits when it is (no arithmetic, no string); anything
 * else takes the Decimal path, which refuses it or gives the same number.
 */
function toSteps(value: Decimal, scale: Decimal, places: number, code: string, path: string): number {
  const n = unitsOf(value, places);
  // −0 too: the Decimal path gives it, as `toNumber` of a negative zero.
  if (n === n && n <= MAX_STEPS && n >= -MAX_STEPS && (n !== 0 || !value.isNegative())) return n;
  return toStepsSlowly(value, scale, code, path);
}

function toStepsSlowly(value: Decimal, scale: Decimal, code: string, path: string): number {
  const steps = scale.eq(ONE) ? value : value.times(scale);
  if (!steps.isInteger() || steps.abs().gt(2 ** 52)) refuse(code, [path], `${value.toString()} is not a whole number of steps of ${scale.toString()}`);
  return steps.toNumber(); // an integer below 2^53: exact
}

function checkCurrency(settings: Settings, currency: string | undefined, id: string): void {
  if (currency !== undefined && currency !== settings.currency) {
    refuse('currency_mismatch', ['currency'], `event ${id} is in ${currency}, the metrics in ${settings.currency}`);
  }
}

/**
 * A purchase's net (Σ unitPrice × quantity − discount) in minor units, in integers: NaN when a
 * price or discount has more decimals than the currency, or a figure passes ±2^52. Then the
 * Decimal path decides (it refuses, or finds whole steps the parts did not have).
 */
function netSteps(event: PurchaseEvent, places: number): number {
  let total = 0;
  for (const line of event.lines) {
    const price = unitsOf(line.unitPrice, places);
    const discount = unitsOf(line.discount, places);
    const gross = price * line.quantity;
    if (!(Number.isInteger(line.quantity) && gross <= MAX_STEPS && discount <= MAX_STEPS)) return Number.NaN;
    total += gross - discount;
    if (!(total <= MAX_STEPS && total >= -MAX_STEPS)) return Number.NaN;
  }
  return total;
}

function addPurchase(state: MetricsState, settings: Settings, event: PurchaseEvent): void {
  checkCurrency(settings, event.currency, event.id);
  let revenue = netSteps(event, settings.moneyPlaces);
  if (revenue !== revenue) {
    let net = new Decimal(0);
    for (const line of event.lines) net = net.plus(line.unitPrice.times(line.quantity).minus(line.discount));
    revenue = toSteps(net, settings.moneyScale, settings.moneyPlaces, 'too_many_decimals', 'lines');
  }
  const at = event.occurredAt.getTime();
  const record = recordOf(state, event.customerId, at);
  const cell = cellOf(record, state.finder.keyOf(at));
  addTo(cell, F.orders, 1);
  addTo(cell, F.revenue, revenue);
  if (at < record.firstPurchase) record.firstPurchase = at;
  if (at > record.lastPurchase) record.lastPurchase = at;
}

function addRefund(state: MetricsState, settings: Settings, event: RefundEvent): void {
  const at = event.occurredAt.getTime();
  const record = recordOf(state, event.customerId, at);
  if (!settings.refundsFromEvents) return;
  const cell = cellOf(record, state.finder.keyOf(at));
  if (event.amount === undefined) {
    addTo(cell, F.unpriced, 1);
    return;
  }
  checkCurrency(settings, event.currency, event.id);
  addTo(cell, F.revenue, -toSteps(event.amount, settings.moneyScale, settings.moneyPlaces, 'too_many_decimals', 'amount'));
}

/** Adds an event: purchases and refunds count; any event makes its customer known. */
export function addEvent(state: MetricsState, settings: Settings, event: LoyaltyEvent): void {
  if (event.type === 'purchase') addPurchase(state, settings, event);
  else if (event.type === 'refund') addRefund(state, settings, event);
  else recordOf(state, event.customerId, event.occurredAt.getTime());
}

/** Adds a customer profile: enrolment (unless `member` is false) and segment label. */
export function addCustomer(state: MetricsState, settings: Settings, customer: Customer, member = true): void {
  const enrolledAt = customer.enrolledAt.getTime();
  const record = recordOf(state, customer.id, enrolledAt);
  mergeProfile(record, member, member ? enrolledAt : Number.POSITIVE_INFINITY, settings.labelOf(customer));
}

const LEDGER = Number.POSITIVE_INFINITY;

/** The cell a customer's points go to in the period of `at`: the customer's, or the program's. */
function pointsCell(state: MetricsState, settings: Settings, customerId: string, at: number): Cell {
  const key = state.finder.keyOf(at);
  return settings.perCustomerPoints ? cellOf(recordOf(state, customerId, LEDGER), key) : programCellOf(state, key);
}

/** Adds one points flow: the hot path. */
export function addFlow(state: MetricsState, settings: Settings, flow: PointsFlow): void {
  const field = flowField(flow.account);
  addTo(pointsCell(state, settings, flow.customerId, flow.at), field, checkAmount(flow.amount, 'amount'));
}

function drawn(draws: readonly LotDraw[] | undefined, scale: Decimal, places: number): number {
  let total = 0;
  for (const d of draws ?? []) total += toSteps(d.amount, scale, places, 'invalid_points', 'draws');
  return total;
}

const SOURCE_FIELD: Record<string, number | undefined> = { redeemed: F.redeemed, adjusted: F.adjusted, clawed_back: F.clawedBack };

/** The movements of one entry into the system accounts, in point steps (the same as `postingsOf`). */
function entryFlows(entry: Entry, scale: Decimal, places: number, add: (field: number, steps: number) => void): void {
  switch (entry.kind) {
    case 'earn':
      add(F.issued, toSteps(entry.lot.remaining.plus(entry.repaid), scale, places, 'invalid_points', 'lot'));
      return;
    case 'expire':
      add(F.expired, drawn(entry.draws, scale, places));
      return;
    case 'redeem':
    case 'capture':
      add(F.redeemed, drawn(entry.draws, scale, places));
      return;
    case 'clawback':
      add(F.clawedBack, drawn(entry.draws, scale, places) + toSteps(entry.debt, scale, places, 'invalid_points', 'debt'));
      return;
    case 'adjust':
      if (entry.direction === 'credit') add(F.adjusted, entry.lot ? -toSteps(entry.lot.amount, scale, places, 'invalid_points', 'lot') : 0);
      else add(F.adjusted, drawn(entry.draws, scale, places));
      return;
    case 'restore': {
      // Points leave the source (a system account unless it is `held`) back to lots, or to `expired`.
      const back = drawn(entry.draws, scale, places);
      const lapsed = drawn(entry.expired, scale, places);
      const source = SOURCE_FIELD[entry.source];
      if (source !== undefined) add(source, -(back + lapsed));
      add(F.expired, lapsed);
      return;
    }
    default:
      return; // release, hold: within the customer's accounts; the rest move no points
  }
}

/** Adds a transaction's points movements (and its refunds, with `refundsFrom: 'transactions'`). */
export function addTransaction(state: MetricsState, settings: Settings, tx: Transaction): void {
  if (settings.options.programId !== undefined && tx.programId !== settings.options.programId) return;
  const at = tx.at.getTime();
  const cell = pointsCell(state, settings, tx.customerId, at);
  const add = (field: number, steps: number): void => {
    if (steps !== 0) addTo(cell, field, checkAmount(steps, 'entries'));
  };
  for (const entry of tx.entries) {
    if (entry.kind === 'refund') {
      // Revenue is the customer's (churn weighs it), whatever the segment setting.
      if (settings.refundsFromEvents) continue;
      const net = toSteps(entry.net, settings.moneyScale, settings.moneyPlaces, 'too_many_decimals', 'net');
      if (net !== 0) addTo(cellOf(recordOf(state, tx.customerId, LEDGER), state.finder.keyOf(at)), F.revenue, -checkAmount(net, 'net'));
    } else if ('unit' in entry && entry.unit === settings.unit) {
      entryFlows(entry, settings.pointScale, settings.pointPlaces, add);
    }
  }
}
