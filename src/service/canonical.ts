// The idempotency fingerprint of an event: the SHA-256 of its canonical text, tagged `sha256:`.
// The canonical text of purchases and refunds (the volume) is written in one pass, field by field
// in a fixed order that IS the sorted order of their keys, so it is byte for byte the text the
// generic encoder gives (`legacyCanonicalEvent`); any other shape, or an object with a key the
// writer does not know, takes the generic encoder. test/service/canonical.test.ts pins the two.
// Records stored before the hash (memory or PostgreSQL), whose fingerprint is the canonical text
// itself (it starts with "{"), still match on replay: `sameFingerprint` compares them by text.
import { encodeLedgerJson } from '../ledger/codec';
import type { Decimal } from '../money/decimal';
import type { LoyaltyEvent, PurchaseLine } from '../schema/events';
import { sha256OfPieces } from './sha256';

/** The generic canonical text: keys sorted at every level, Decimals and Dates tagged (see `encodeLedgerJson`). */
export function legacyCanonicalEvent(event: LoyaltyEvent): string {
  const { customerId: _customerId, ...rest } = event;
  return JSON.stringify(encodeLedgerJson(rest));
}

const str = JSON.stringify;
/** Where the writer puts its text: piece by piece, so the fingerprint hashes it without building it. */
type Add = (piece: string) => void;
// A Decimal's text is digits, ".", "-", "e" and "+": nothing JSON escapes, so it is quoted as is.
const dec = (add: Add, d: Decimal): void => (add('{"$d":"'), add(d.toString()), add('"}'));
const time = (add: Add, t: Date): void => (add('{"$t":"'), add(t.toISOString()), add('"}'));
/** Whether JSON writes a string as is between its quotes (no control character, quote or backslash to escape). */
function plain(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x22 || code === 0x5c || (code >= 0xd800 && code <= 0xdfff)) return false;
  }
  return true;
}
// A plain string (ids, skus, tags: nearly always) goes in between its quotes, with no copy made.
const text = (add: Add, value: string): void => (plain(value) ? (add('"'), add(value), add('"')) : add(str(value)));
const attributes = (add: Add, value: unknown): void => add(str(encodeLedgerJson(value)));
/** `"key":value,` for a present value, nothing for an absent one (as the encoder skips `undefined`). */
function opt<T>(add: Add, key: string, value: T | undefined, write: (add: Add, v: T) => void): void {
  if (value === undefined) return;
  add(`"${key}":`);
  write(add, value);
  add(',');
}

/** Whether every own key of `value` is one the writer knows (a hand-built object may carry more). */
function onlyKeys(value: object, known: ReadonlySet<string>, count: number): boolean {
  let n = 0;
  for (const key in value) {
    if (!known.has(key)) return false;
    n += 1;
  }
  return n <= count;
}

const LINE_KEYS = new Set(['categories', 'discount', 'lineId', 'quantity', 'sku', 'tags', 'unitPrice']);
const PURCHASE_KEYS = new Set(['attributes', 'channel', 'currency', 'customerId', 'id', 'lines', 'occurredAt', 'orderId', 'pointsRedeemed', 'programId', 'shipping', 'storeId', 'tax', 'type']);
const REFUND_KEYS = new Set(['amount', 'attributes', 'channel', 'currency', 'customerId', 'id', 'lines', 'occurredAt', 'orderId', 'programId', 'type']);
const REFUND_LINE_KEYS = new Set(['lineId', 'quantity']);

type Purchase = Extract<LoyaltyEvent, { type: 'purchase' }>;
type Refund = Extract<LoyaltyEvent, { type: 'refund' }>;

/** Whether the one-pass writer knows every key of a purchase and of its lines. */
const purchaseFits = (e: Purchase): boolean => onlyKeys(e, PURCHASE_KEYS, PURCHASE_KEYS.size) && e.lines.every((l) => onlyKeys(l, LINE_KEYS, LINE_KEYS.size));
const refundFits = (e: Refund): boolean => onlyKeys(e, REFUND_KEYS, REFUND_KEYS.size) && (e.lines?.every((l) => onlyKeys(l, REFUND_LINE_KEYS, 2)) ?? true);

function writeStrings(add: Add, list: readonly string[]): void {
  add('[');
  for (let i = 0; i < list.length; i++) {
    if (i > 0) add(',');
    text(add, list[i] as string);
  }
  add(']');
}

function writePurchaseLine(add: Add, l: PurchaseLine): void {
  add('{"categories":');
  writeStrings(add, l.categories);
  add(',"discount":');
  dec(add, l.discount);
  add(',"lineId":');
  text(add, l.lineId);
  add(',"quantity":');
  add(str(l.quantity));
  add(',"sku":');
  text(add, l.sku);
  add(',"tags":');
  writeStrings(add, l.tags);
  add(',"unitPrice":');
  dec(add, l.unitPrice);
  add('}');
}

// Keys in sorted order: the text IS the generic encoder's (test/service/canonical.test.ts).
function writePurchase(add: Add, e: Purchase): void {
  add('{');
  opt(add, 'attributes', e.attributes, attributes);
  add('"channel":');
  text(add, e.channel);
  add(',"currency":');
  text(add, e.currency);
  add(',"id":');
  text(add, e.id);
  add(',"lines":[');
  for (let i = 0; i < e.lines.length; i++) {
    if (i > 0) add(',');
    writePurchaseLine(add, e.lines[i] as PurchaseLine);
  }
  add('],"occurredAt":');
  time(add, e.occurredAt);
  add(',"orderId":');
  text(add, e.orderId);
  add(',"pointsRedeemed":');
  dec(add, e.pointsRedeemed);
  add(',');
  opt(add, 'programId', e.programId, text);
  add('"shipping":');
  dec(add, e.shipping);
  add(',');
  opt(add, 'storeId', e.storeId, text);
  add('"tax":');
  dec(add, e.tax);
  add(',"type":"purchase"}');
}

function writeRefund(add: Add, e: Refund): void {
  add('{');
  opt(add, 'amount', e.amount, dec);
  opt(add, 'attributes', e.attributes, attributes);
  add('"channel":');
  text(add, e.channel);
  add(',');
  opt(add, 'currency', e.currency, text);
  add('"id":');
  text(add, e.id);
  add(',');
  if (e.lines !== undefined) {
    add('"lines":[');
    e.lines.forEach((l, i) => (i > 0 && add(','), add('{"lineId":'), text(add, l.lineId), add(`,"quantity":${str(l.quantity)}}`)));
    add('],');
  }
  add('"occurredAt":');
  time(add, e.occurredAt);
  add(',"orderId":');
  text(add, e.orderId);
  add(',');
  opt(add, 'programId', e.programId, text);
  add('"type":"refund"}');
}

/** Writes the canonical text of an event: purchases and refunds in one pass, any other shape by the generic encoder. */
function writeCanonical(add: Add, event: LoyaltyEvent): void {
  if (event.type === 'purchase' && purchaseFits(event)) writePurchase(add, event);
  else if (event.type === 'refund' && refundFits(event)) writeRefund(add, event);
  else add(legacyCanonicalEvent(event));
}

/**
 * The canonical text of a parsed event, without its customer id: keys sorted, amounts normalised
 * ("80" and "80.00" are one value), instants in ISO form. Two deliveries of one event id are the
 * same payload exactly when their canonical texts are equal.
 *
 * @example
 * ```ts
 * canonicalEvent(parseEvent({ ...e, lines: [{ ...line, unitPrice: '80' }] })) ===
 *   canonicalEvent(parseEvent({ ...e, lines: [{ ...line, unitPrice: '80.00' }] })); // true
 * ```
 */
export function canonicalEvent(event: LoyaltyEvent): string {
  const pieces: string[] = [];
  writeCanonical((piece) => pieces.push(piece), event);
  return pieces.join('');
}

/** The tag of a hashed fingerprint; a stored fingerprint without it is a canonical text (before the hash). */
export const FINGERPRINT_TAG = 'sha256:';

/**
 * The idempotency fingerprint of a parsed event: `sha256:` and the SHA-256 of its canonical text
 * (customer id left out). Equal payloads give equal fingerprints.
 *
 * @example
 * ```ts
 * eventFingerprint(event).startsWith('sha256:'); // true
 * ```
 */
export function eventFingerprint(event: LoyaltyEvent): string {
  // The canonical text goes into the hash piece by piece: never built, never flattened.
  return sha256OfPieces((add) => writeCanonical(add, event), FINGERPRINT_TAG);
}

/**
 * Whether a stored fingerprint is the one of `event`: a hashed one is compared with `fingerprint`
 * (the event's, already computed); one stored before the hash is the canonical text itself.
 *
 * @example
 * ```ts
 * sameFingerprint(seen.fingerprint, event, eventFingerprint(event));
 * ```
 */
export function sameFingerprint(stored: string, event: LoyaltyEvent, fingerprint: string): boolean {
  return stored.startsWith(FINGERPRINT_TAG) ? stored === fingerprint : stored === canonicalEvent(event);
}
