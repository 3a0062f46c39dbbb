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
import { sha256Hex } from './sha256';

/** The generic canonical text: keys sorted at every level, Decimals and Dates tagged (see `encodeLedgerJson`). */
export function legacyCanonicalEvent(event: LoyaltyEvent): string {
  const { customerId: _customerId, ...rest } = event;
  return JSON.stringify(encodeLedgerJson(rest));
}

const str = JSON.stringify;
const dec = (d: Decimal): string => `{"$d":${str(d.toString())}}`;
const time = (t: Date): string => `{"$t":${str(t.toISOString())}}`;
/** `"key":value,` for a present value, nothing for an absent one (as the encoder skips `undefined`). */
const opt = <T>(key: string, value: T | undefined, write: (v: T) => string): string => (value === undefined ? '' : `"${key}":${write(value)},`);
const strings = (list: readonly string[]): string => str(list);
const attributes = (value: unknown): string => str(encodeLedgerJson(value));

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

function purchaseLineText(l: PurchaseLine): string | undefined {
  if (!onlyKeys(l, LINE_KEYS, LINE_KEYS.size)) return undefined;
  return `{"categories":${strings(l.categories)},"discount":${dec(l.discount)},"lineId":${str(l.lineId)},"quantity":${str(l.quantity)},"sku":${str(l.sku)},"tags":${strings(l.tags)},"unitPrice":${dec(l.unitPrice)}}`;
}

function purchaseText(e: Extract<LoyaltyEvent, { type: 'purchase' }>): string | undefined {
  if (!onlyKeys(e, PURCHASE_KEYS, PURCHASE_KEYS.size)) return undefined;
  const lines: string[] = [];
  for (const line of e.lines) {
    const text = purchaseLineText(line);
    if (text === undefined) return undefined;
    lines.push(text);
  }
  return (
    `{${opt('attributes', e.attributes, attributes)}"channel":${str(e.channel)},"currency":${str(e.currency)},"id":${str(e.id)},"lines":[${lines.join(',')}],` +
    `"occurredAt":${time(e.occurredAt)},"orderId":${str(e.orderId)},"pointsRedeemed":${dec(e.pointsRedeemed)},${opt('programId', e.programId, str)}` +
    `"shipping":${dec(e.shipping)},${opt('storeId', e.storeId, str)}"tax":${dec(e.tax)},"type":"purchase"}`
  );
}

function refundText(e: Extract<LoyaltyEvent, { type: 'refund' }>): string | undefined {
  if (!onlyKeys(e, REFUND_KEYS, REFUND_KEYS.size)) return undefined;
  const lines = e.lines?.map((l) => (onlyKeys(l, new Set(['lineId', 'quantity']), 2) ? `{"lineId":${str(l.lineId)},"quantity":${str(l.quantity)}}` : undefined));
  if (lines?.includes(undefined)) return undefined;
  return (
    `{${opt('amount', e.amount, dec)}${opt('attributes', e.attributes, attributes)}"channel":${str(e.channel)},${opt('currency', e.currency, str)}"id":${str(e.id)},` +
    `${lines === undefined ? '' : `"lines":[${lines.join(',')}],`}"occurredAt":${time(e.occurredAt)},"orderId":${str(e.orderId)},${opt('programId', e.programId, str)}"type":"refund"}`
  );
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
  const fast = event.type === 'purchase' ? purchaseText(event) : event.type === 'refund' ? refundText(event) : undefined;
  return fast ?? legacyCanonicalEvent(event);
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
  return FINGERPRINT_TAG + sha256Hex(canonicalEvent(event));
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
