import { LoyaltyError } from '../errors';
import { minorUnits } from '../money/currencies';
import type { CustomerInput } from '../schema/customer';
import type { LoyaltyEventInput, PurchaseEventInput, RefundEventInput } from '../schema/events';
import { instantSchema } from '../schema/primitives';
import { addDaysIn, addMonthsIn, isValidTimeZone, startOfDayIn, zonedParts } from '../time';
import { Random } from './random';

/**
 * Options of `generateHistory`. Rates are means; the counts drawn around them come from the seed.
 *
 * @example
 * ```ts
 * const options: HistoryOptions = { seed: 42, customers: 1000, months: 12, start: '2027-01-01T05:00:00Z' };
 * ```
 */
export interface HistoryOptions {
  /** The same seed gives the same history, event for event. */
  readonly seed: number;
  readonly customers: number;
  readonly months: number;
  /** The history starts at the start of this instant's day in `zone`. */
  readonly start: Date | string;
  /** The shop's IANA zone (default `America/New_York`); a quarter of customers live elsewhere. */
  readonly zone?: string | undefined;
  /** ISO 4217 code of the purchases (default `USD`). */
  readonly currency?: string | undefined;
  /** Mean purchases per active customer per month (default 0.7). */
  readonly purchasesPerCustomerPerMonth?: number | undefined;
  /** Share of orders later refunded in part or in full, 1 to 30 days on (default 0.08). */
  readonly refundRate?: number | undefined;
  /** Mean engagement events (review, newsletter, social follow, referral) per active customer per month (default 0.15). */
  readonly engagementPerCustomerPerMonth?: number | undefined;
}

/**
 * A synthetic history: customers (sorted by id) and a re-iterable, time-ordered stream of events.
 *
 * @example
 * ```ts
 * const history: History = generateHistory({ seed: 1, customers: 10, months: 1, start: '2027-01-01T05:00:00Z' });
 * for (const event of history.events) console.log(event.type);
 * ```
 */
export interface History {
  readonly customers: readonly CustomerInput[];
  /** Sorted by `occurredAt` (ties by id); each iteration yields the same events. */
  readonly events: Iterable<LoyaltyEventInput>;
  /** The start of the first day and the end of the last one, in `zone`. */
  readonly start: Date;
  readonly end: Date;
}

interface Sku {
  readonly sku: string;
  readonly category: string;
  /** Price in minor units. */
  readonly price: number;
}

const CATEGORIES = ['apparel', 'shoes', 'beauty', 'home', 'electronics', 'books', 'grocery', 'toys', 'gift-card', 'outdoor'];
const OTHER_ZONES = ['Europe/London', 'America/Los_Angeles', 'Asia/Tokyo', 'Australia/Sydney', 'America/Chicago'];
const PLATFORMS = ['trustpilot', 'google', 'site'];
const NETWORKS = ['instagram', 'tiktok', 'facebook', 'x'];
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const HOUR_MS = 3_600_000;

/** A decimal string of an amount in minor units (1999 → "19.99" in USD, "1999" in JPY). */
function decimalOf(minor: number, places: number): `${number}` {
  if (places === 0) return `${minor}`;
  const text = String(minor).padStart(places + 1, '0');
  return `${text.slice(0, -places)}.${text.slice(-places)}` as `${number}`;
}

function catalogOf(random: Random, places: number): Sku[] {
  const scale = 10 ** places;
  return Array.from({ length: 60 }, (_, i) => {
    const category = random.pick(CATEGORIES);
    // Prices from about 3 to 300 major units, most of them low, ending in .99 or .00.
    const major = Math.max(1, Math.round(Math.exp(1 + random.next() * 4.7)));
    const price = places === 0 ? major * 100 : major * scale - (random.chance(0.7) ? 1 : 0);
    return { sku: `SKU-${String(i + 1).padStart(3, '0')}`, category, price };
  });
}

function customersOf(random: Random, options: HistoryOptions, start: Date, end: Date, zone: string): CustomerInput[] {
  const span = end.getTime() - start.getTime();
  const list = Array.from({ length: options.customers }, (_, i) => {
    // 60% joined in the two years before the history, the others during it.
    const enrolled = random.chance(0.6) ? start.getTime() - random.int(1, 730) * 24 * HOUR_MS + random.int(0, 23) * HOUR_MS : start.getTime() + Math.floor(random.next() * span);
    const month = random.int(1, 12);
    const day = random.int(1, DAYS_IN_MONTH[month - 1] ?? 28);
    const customer: CustomerInput = {
      id: `c${String(i + 1).padStart(7, '0')}`,
      enrolledAt: new Date(enrolled).toISOString() as CustomerInput['enrolledAt'],
      birthday: `${random.int(1950, 2006)}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
      ...(random.chance(0.25) ? { timeZone: random.pick(OTHER_ZONES) } : { timeZone: zone }),
      tags: random.chance(0.05) ? ['vip'] : [],
    };
    return customer;
  });
  return list;
}

function checkOptions(options: HistoryOptions): void {
  const bad = (path: string, message: string): never => {
    throw new LoyaltyError([{ code: 'invalid_value', path: ['options', path], message }]);
  };
  if (!Number.isSafeInteger(options.seed)) bad('seed', 'the seed is a safe integer');
  if (!Number.isSafeInteger(options.customers) || options.customers < 1) bad('customers', 'at least one customer');
  if (!Number.isSafeInteger(options.months) || options.months < 1 || options.months > 120) bad('months', 'between 1 and 120 months');
  if (options.zone !== undefined && !isValidTimeZone(options.zone)) bad('zone', `unknown time zone "${options.zone}"`);
}

/**
 * Generates a realistic synthetic history, deterministically from a seed: customers with
 * birthdays, zones and signup dates; purchases with lines (SKUs, categories, quantities, prices
 * in the currency's minor units as decimal strings), more of them at weekends and from a fifth of
 * frequent buyers; refunds of earlier orders (by line or by amount, 1 to 30 days later); signups,
 * reviews, newsletter subscriptions, social follows and referrals. Events stream day by day, so
 * a year of a million events does not sit in memory.
 *
 * @example
 * ```ts
 * const { customers, events } = generateHistory({ seed: 42, customers: 1000, months: 12, start: '2027-01-01T05:00:00Z' });
 * const result = await simulate(program, events, customers);
 * ```
 */
export function generateHistory(options: HistoryOptions): History {
  checkOptions(options);
  const zone = options.zone ?? 'America/New_York';
  const currency = options.currency ?? 'USD';
  const places = minorUnits(currency);
  const start = startOfDayIn(instantSchema.parse(options.start), zone);
  const end = addMonthsIn(start, options.months, zone);
  const setup = new Random(options.seed);
  const catalog = catalogOf(setup, places);
  const customers = customersOf(setup, options, start, end, zone);
  const world: World = { options, zone, currency, places, start, end, catalog, customers };
  return { customers, events: { [Symbol.iterator]: () => eventsOf(world) }, start, end };
}

interface World {
  readonly options: HistoryOptions;
  readonly zone: string;
  readonly currency: string;
  readonly places: number;
  readonly start: Date;
  readonly end: Date;
  readonly catalog: readonly Sku[];
  readonly customers: readonly CustomerInput[];
}

/** The mutable side of a generation: the random stream, counters, refunds yet to come. */
interface Cursor {
  readonly random: Random;
  readonly joinedAt: readonly { readonly id: string; readonly at: number }[];
  seq: number;
  orders: number;
  /** Refunds by the index of the day they happen on; their instant is drawn when the day comes. */
  readonly refunds: Map<number, Omit<RefundEventInput, 'occurredAt'>[]>;
}

function* eventsOf(world: World): Generator<LoyaltyEventInput> {
  // A stream of its own, so iterating twice gives the same events.
  const random = new Random(world.options.seed ^ 0x5bd1e995);
  const joinedAt = world.customers.map((c) => ({ id: c.id, at: new Date(c.enrolledAt).getTime() })).sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1));
  const cursor: Cursor = { random, joinedAt, seq: 0, orders: 0, refunds: new Map() };
  let day = world.start;
  for (let index = 0; day.getTime() < world.end.getTime(); index++) {
    const next = addDaysIn(day, 1, world.zone);
    yield* dayOf(world, cursor, index, day, next);
    day = next;
  }
}

/** How many customers have joined by `t` (a prefix of `joinedAt`). */
function activeAt(joinedAt: Cursor['joinedAt'], t: number): number {
  let lo = 0;
  let hi = joinedAt.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((joinedAt[mid]?.at ?? Infinity) <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** An event and its instant in ms: the day's events are sorted on the number, not on a parse of the ISO text. */
interface Timed {
  readonly at: number;
  readonly event: LoyaltyEventInput;
}

const byTimeThenId = (a: Timed, b: Timed): number => a.at - b.at || (a.event.id < b.event.id ? -1 : a.event.id > b.event.id ? 1 : 0);

function dayOf(world: World, cursor: Cursor, index: number, day: Date, next: Date): LoyaltyEventInput[] {
  const { random } = cursor;
  const from = day.getTime();
  const length = next.getTime() - from;
  const timed: Timed[] = [];
  for (const refund of cursor.refunds.get(index) ?? []) {
    const at = instantIn(random, from, length, from) ?? from;
    timed.push({ at, event: refundAt(refund, iso(at)) });
  }
  cursor.refunds.delete(index);
  const joinedToday = activeAt(cursor.joinedAt, next.getTime() - 1);
  for (let i = activeAt(cursor.joinedAt, from - 1); i < joinedToday; i++) {
    const c = cursor.joinedAt[i];
    if (c) timed.push({ at: c.at, event: { type: 'signup', id: `s-${c.id}`, customerId: c.id, occurredAt: iso(c.at) } });
  }
  const active = joinedToday;
  if (active > 0) {
    const weekend = [0, 6].includes(zonedParts(day, world.zone).dayOfWeek);
    const rate = world.options.purchasesPerCustomerPerMonth ?? 0.7;
    const purchases = random.poisson((active * rate * 12) / 365 * (weekend ? 1.3 : 1) / (1 + 0.3 * 2 / 7));
    for (let i = 0; i < purchases; i++) {
      const who = buyer(cursor, active);
      const at = instantIn(random, from, length, who.at);
      if (at !== null) timed.push({ at, event: purchaseOf(world, cursor, index, who.id, at) });
    }
    const engagements = random.poisson((active * (world.options.engagementPerCustomerPerMonth ?? 0.15) * 12) / 365);
    for (let i = 0; i < engagements; i++) {
      const who = buyer(cursor, active);
      const at = instantIn(random, from, length, who.at);
      if (at !== null) timed.push({ at, event: engagementOf(cursor, who.id, at, active) });
    }
  }
  // Ids are unique, so (time, id) is a total order: any sort gives this same sequence.
  timed.sort(byTimeThenId);
  const events = new Array<LoyaltyEventInput>(timed.length);
  for (let i = 0; i < timed.length; i++) events[i] = (timed[i] as Timed).event;
  return events;
}

/** A scheduled refund at its instant, keys in the order the refund was written with (then `occurredAt`). */
function refundAt(refund: Omit<RefundEventInput, 'occurredAt'>, occurredAt: RefundEventInput['occurredAt']): RefundEventInput {
  const { type, id, customerId, orderId } = refund;
  if (refund.lines !== undefined) return { type, id, customerId, orderId, lines: refund.lines, occurredAt };
  return { type, id, customerId, orderId, amount: refund.amount, currency: refund.currency, occurredAt } as RefundEventInput;
}

const iso = (t: number): `${number}-${number}-${number}T${string}` => new Date(t).toISOString() as `${number}-${number}-${number}T${string}`;

/** A customer who has joined: a fifth of them (the frequent buyers) make about half the visits. */
function buyer(cursor: Cursor, active: number): { readonly id: string; readonly at: number } {
  const { random, joinedAt } = cursor;
  let i = random.int(0, active - 1);
  if (random.chance(0.4)) i = Math.min(active - 1, Math.floor(i / 5) * 5);
  const who = joinedAt[i];
  if (!who) throw new RangeError('no active customer');
  return who;
}

/** An instant in the day's shopping hours (8:00 to 22:00 of a 24 h day), after the customer joined; null if none is left. */
function instantIn(random: Random, from: number, length: number, joined: number): number | null {
  const t = from + Math.floor(length * (1 / 3 + random.next() * (7 / 12)));
  const at = Math.max(t, joined + 60_000);
  return at < from + length ? at : null;
}

interface DrawnLine {
  readonly lineId: string;
  readonly sku: string;
  readonly category: string;
  readonly quantity: number;
  /** Unit price in minor units. */
  readonly price: number;
}

function purchaseOf(world: World, cursor: Cursor, index: number, customerId: string, at: number): PurchaseEventInput {
  const { random } = cursor;
  cursor.orders += 1;
  const orderId = `o${cursor.orders}`;
  const count = random.chance(0.5) ? 1 : random.int(2, 4);
  const lines: DrawnLine[] = [];
  for (let i = 0; i < count; i++) {
    const item = random.pick(world.catalog);
    const quantity = random.chance(0.8) ? 1 : random.int(2, 3);
    lines.push({ lineId: `l${i + 1}`, sku: item.sku, category: item.category, quantity, price: item.price });
  }
  if (random.chance(world.options.refundRate ?? 0.08)) scheduleRefund(world, cursor, index, customerId, orderId, lines);
  const eventLines: PurchaseEventInput['lines'][number][] = [];
  for (const l of lines) eventLines.push({ lineId: l.lineId, sku: l.sku, categories: [l.category], quantity: l.quantity, unitPrice: decimalOf(l.price, world.places) });
  return {
    type: 'purchase',
    id: `p${cursor.orders}`,
    customerId,
    occurredAt: iso(at),
    orderId,
    currency: world.currency as PurchaseEventInput['currency'],
    lines: eventLines,
  };
}

function scheduleRefund(world: World, cursor: Cursor, index: number, customerId: string, orderId: string, lines: readonly DrawnLine[]): void {
  const { random } = cursor;
  const day = index + random.int(1, 30);
  // The refund's instant is fixed when its day comes; here only its shape.
  const id = `r-${orderId}`;
  let refund: Omit<RefundEventInput, 'occurredAt'>;
  if (random.chance(0.7)) {
    const line = random.pick(lines);
    refund = { type: 'refund', id, customerId, orderId, lines: [{ lineId: line.lineId, quantity: random.int(1, line.quantity) }] };
  } else {
    const total = lines.reduce((s, l) => s + l.price * l.quantity, 0);
    // Synthetic data only: the random fraction picks a whole number of minor units (20–100 % of
    // the order); no amount is computed in floating point.
    const amount = Math.max(1, Math.floor(total * (0.2 + 0.8 * random.next())));
    refund = { type: 'refund', id, customerId, orderId, amount: decimalOf(amount, world.places), currency: world.currency as RefundEventInput['currency'] };
  }
  const list = cursor.refunds.get(day) ?? [];
  list.push(refund);
  cursor.refunds.set(day, list);
}

function engagementOf(cursor: Cursor, customerId: string, at: number, active: number): LoyaltyEventInput {
  const { random } = cursor;
  cursor.seq += 1;
  const id = `g${cursor.seq}`;
  const occurredAt = iso(at);
  const roll = random.next();
  // Literals, not spreads of a shared base: a spread costs microseconds per object on Node 20.
  if (roll < 0.5) return { id, customerId, occurredAt, type: 'review', platform: random.pick(PLATFORMS), rating: random.int(1, 5), hasPhoto: random.chance(0.2) };
  if (roll < 0.7) return { id, customerId, occurredAt, type: 'newsletter_subscribed' };
  if (roll < 0.9) return { id, customerId, occurredAt, type: 'social_follow', network: random.pick(NETWORKS) };
  const friend = cursor.joinedAt[random.int(0, active - 1)]?.id ?? customerId;
  return { id, customerId, occurredAt, type: 'referral', referredCustomerId: friend, stage: random.chance(0.5) ? 'signed_up' : 'first_purchase' };
}
