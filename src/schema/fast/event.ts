// The fast path in front of `eventSchema`: a hand-written check and builder for the event shapes
// that make up the volume (purchases and refunds first, and the other built-in types), producing
// exactly the object zod's parse produces, same keys in the same order. Anything it does not fully
// understand (an invalid field, a Decimal instance, a key set to `undefined`, an unknown type)
// makes it answer `undefined`, and the caller parses with zod: zod stays the source of truth and
// the only error path. test/properties/fast-validator.test.ts pins the equivalence.
import { Decimal } from '../../money/decimal';
import type { CurrencyCode } from '../../money';
import { KIND_FAST_EVENTS } from '../../kinds/events';
import type { EventOf, LoyaltyEvent, PurchaseLine } from '../events';
import {
  Unsure,
  onlyKnownKeys,
  plainRecord,
  readAttributes,
  readChoice,
  readCurrency,
  readFlag,
  readId,
  readInstant,
  readNonNegative,
  readPositive,
  readStrings,
  readText,
  readWhole,
  unsure,
  withinMinorUnits,
} from './read';

/** A record being built in the schema's key order, cast to its event type once complete. */
type Building = Record<string, unknown>;

const BASE_KEYS = ['id', 'customerId', 'occurredAt', 'channel', 'programId', 'attributes', 'type'];
const keys = (...more: string[]): ReadonlySet<string> => new Set([...BASE_KEYS, ...more]);
const CHANNELS = ['web', 'app', 'store', 'call_center', 'other'] as const;

/** The fields every event has, in the schemas' order; `attributes` defaults to `{}` only for custom events. */
function base(input: Record<string, unknown>, attributesByDefault: boolean): Building {
  const out: Building = {};
  out.id = readId(input.id);
  out.customerId = readId(input.customerId);
  out.occurredAt = readInstant(input.occurredAt);
  out.channel = input.channel === undefined ? 'web' : readChoice(input.channel, CHANNELS);
  if (input.programId !== undefined) out.programId = readId(input.programId);
  if (input.attributes !== undefined) out.attributes = readAttributes(input.attributes);
  else if (attributesByDefault) out.attributes = {};
  out.type = input.type;
  return out;
}

const LINE_KEYS: ReadonlySet<string> = new Set(['lineId', 'sku', 'categories', 'tags', 'quantity', 'unitPrice', 'discount']);
const ZERO = '0';

/** One purchase line; its amounts are checked against the order's currency, its discount against its total. */
function purchaseLine(value: unknown, currency: CurrencyCode): PurchaseLine {
  const input = plainRecord(value);
  onlyKnownKeys(input, LINE_KEYS);
  const quantity = readWhole(input.quantity, 1, 1_000_000);
  const unitPrice = readNonNegative(input.unitPrice);
  const discount = input.discount === undefined ? new Decimal(ZERO) : readNonNegative(input.discount);
  withinMinorUnits(currency, unitPrice);
  withinMinorUnits(currency, discount);
  if (discount.gt(unitPrice.times(quantity))) unsure();
  return {
    lineId: readId(input.lineId),
    sku: readId(input.sku),
    categories: readStrings(input.categories, 50, 1, 100),
    tags: readStrings(input.tags, 50, 1, 100),
    quantity,
    unitPrice,
    discount,
  };
}

/** The lines of an order: 1-1000, line ids unique. */
function purchaseLines(value: unknown, currency: CurrencyCode): PurchaseLine[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > 1000) return unsure();
  const lines = new Array<PurchaseLine>(value.length);
  const seen = new Set<string>();
  for (let i = 0; i < value.length; i++) {
    const line = purchaseLine((value as unknown[])[i], currency);
    if (seen.has(line.lineId)) unsure();
    seen.add(line.lineId);
    lines[i] = line;
  }
  return lines;
}

/** A money amount that defaults to zero, within the currency's minor units. */
function money(value: unknown, currency: CurrencyCode): Decimal {
  const amount = value === undefined ? new Decimal(ZERO) : readNonNegative(value);
  withinMinorUnits(currency, amount);
  return amount;
}

const PURCHASE_KEYS = keys('orderId', 'currency', 'lines', 'shipping', 'tax', 'pointsRedeemed', 'storeId');

function purchase(input: Record<string, unknown>): EventOf<'purchase'> {
  onlyKnownKeys(input, PURCHASE_KEYS);
  const out = base(input, false);
  out.orderId = readId(input.orderId);
  const currency = readCurrency(input.currency);
  out.currency = currency;
  out.lines = purchaseLines(input.lines, currency);
  out.shipping = money(input.shipping, currency);
  out.tax = money(input.tax, currency);
  out.pointsRedeemed = money(input.pointsRedeemed, currency);
  if (input.storeId !== undefined) out.storeId = readId(input.storeId);
  return out as EventOf<'purchase'>;
}

const REFUND_LINE_KEYS: ReadonlySet<string> = new Set(['lineId', 'quantity']);

/** Refund lines: at least one, ids unique, whole positive quantities. */
function refundLines(value: unknown): { lineId: string; quantity: number }[] {
  if (!Array.isArray(value) || value.length === 0) return unsure();
  const seen = new Set<string>();
  return (value as unknown[]).map((item) => {
    const line = plainRecord(item);
    onlyKnownKeys(line, REFUND_LINE_KEYS);
    const lineId = readId(line.lineId);
    if (seen.has(lineId)) unsure();
    seen.add(lineId);
    return { lineId, quantity: readWhole(line.quantity, 1, Number.MAX_VALUE) };
  });
}

const REFUND_KEYS = keys('orderId', 'currency', 'lines', 'amount');

/** A refund by lines, or by an amount with its currency: exactly one of the two. */
function refund(input: Record<string, unknown>): EventOf<'refund'> {
  onlyKnownKeys(input, REFUND_KEYS);
  if ((input.lines === undefined) === (input.amount === undefined)) unsure();
  const out = base(input, false);
  out.orderId = readId(input.orderId);
  const currency = input.currency === undefined ? undefined : readCurrency(input.currency);
  if (currency !== undefined) out.currency = currency;
  if (input.lines !== undefined) out.lines = refundLines(input.lines);
  if (input.amount !== undefined) {
    if (currency === undefined) unsure();
    const amount = readPositive(input.amount);
    withinMinorUnits(currency, amount);
    out.amount = amount;
  }
  return out as EventOf<'refund'>;
}

const CUSTOM_NAME = /^[A-Za-z0-9_.:-]{1,100}$/;

/** The builders of the types without money, by type: each reads its own fields after the base. */
const SIMPLE: Readonly<Record<string, { readonly keys: ReadonlySet<string>; readonly read: (input: Record<string, unknown>, out: Building) => void }>> = {
  signup: { keys: keys(), read: () => undefined },
  newsletter_subscribed: { keys: keys(), read: () => undefined },
  referral: {
    keys: keys('referredCustomerId', 'stage'),
    read: (input, out) => {
      out.referredCustomerId = readId(input.referredCustomerId);
      out.stage = readChoice(input.stage, ['signed_up', 'first_purchase']);
    },
  },
  review: {
    keys: keys('platform', 'rating', 'hasPhoto'),
    read: (input, out) => {
      out.platform = readText(input.platform, 1, 50);
      out.rating = readWhole(input.rating, 1, 5);
      out.hasPhoto = readFlag(input.hasPhoto, false);
    },
  },
  social_follow: { keys: keys('network'), read: (input, out) => void (out.network = readText(input.network, 1, 50).toLowerCase()) },
  custom: {
    keys: keys('name'),
    read: (input, out) => {
      const name = input.name;
      out.name = typeof name === 'string' && CUSTOM_NAME.test(name) ? name : unsure();
    },
  },
  // The kinds' own event types (src/kinds/<kind>/events.ts), listed by the registry.
  ...Object.fromEntries(Object.entries(KIND_FAST_EVENTS).map(([type, reader]) => [type, { keys: keys(...reader.keys), read: reader.read }])),
};

/** An event of a type without money amounts; any other type but a purchase or a refund goes to zod. */
function simple(input: Record<string, unknown>, type: string): LoyaltyEvent {
  const shape = Object.prototype.hasOwnProperty.call(SIMPLE, type) ? SIMPLE[type] : undefined;
  if (shape === undefined) return unsure();
  onlyKnownKeys(input, shape.keys);
  const out = base(input, type === 'custom');
  shape.read(input, out);
  return out as LoyaltyEvent;
}

/**
 * The event `eventSchema.parse(input)` would produce, built by hand, or `undefined` when the
 * input is invalid or unusual and zod must read it (see the file comment).
 *
 * @example
 * ```ts
 * const input = { id: 'e1', customerId: 'c1', type: 'signup', occurredAt: '2027-01-31T10:00:00Z' };
 * const event = fastEvent(input) ?? eventSchema.parse(input);
 * ```
 */
export function fastEvent(input: unknown): LoyaltyEvent | undefined {
  try {
    const record = plainRecord(input);
    const type = record.type;
    if (type === 'purchase') return purchase(record);
    if (type === 'refund') return refund(record);
    return typeof type === 'string' ? simple(record, type) : undefined;
  } catch (error) {
    if (error instanceof Unsure) return undefined;
    throw error;
  }
}
