// Hand-written readers of the event schemas' building blocks, for the fast path in front of zod
// (./event.ts). Each reader returns exactly what the zod schema of the same name outputs for a
// value it fully understands, and throws `Unsure` for anything else (invalid, unusual, or merely
// not worth a special case): the caller then hands the whole input to zod, which stays the one
// source of truth for refusals, their paths and their messages.
import { Decimal } from '../../money/decimal';
import { isCurrencyCode, minorUnits, type CurrencyCode } from '../../money';
import { DECIMAL_RE, ISO_INSTANT_RE, MAX_DECIMAL_DIGITS, MAX_DECIMAL_LENGTH, MAX_INSTANT, MIN_INSTANT, digitsOf, isCalendarDate, type AttributeValue } from '../primitives';

/** Thrown by a reader when zod must judge the input; never escapes the fast path. */
export class Unsure extends Error {}

/** Gives up: zod reads the input instead. */
export function unsure(): never {
  throw new Unsure();
}

/** A plain record (`{…}` or `Object.create(null)`): class instances, arrays and proxies-with-prototypes go to zod. */
export function plainRecord(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return unsure();
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return unsure();
  return value as Record<string, unknown>;
}

/**
 * Refuses (to zod) a record with a key outside `known` or a known key set to `undefined` (zod
 * keeps such a key in its output, with `undefined`; the builders here leave it out). `for…in`
 * sees what zod's strict check sees.
 */
export function onlyKnownKeys(record: Record<string, unknown>, known: ReadonlySet<string>): void {
  for (const key in record) if (!known.has(key) || record[key] === undefined) unsure();
}

const CONTROL = /[\u0000-\u001f\u007f]/;

/** `idSchema`: 1-200 characters, no control characters. */
export function readId(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 200 || CONTROL.test(value)) return unsure();
  return value;
}

/** A string of `min`-`max` characters (`z.string().check(minLength, maxLength)`). */
export function readText(value: unknown, min: number, max: number): string {
  if (typeof value !== 'string' || value.length < min || value.length > max) return unsure();
  return value;
}

/** `decimalSchema` for a decimal string or a JSON number; a Decimal instance goes to zod. */
function readDecimal(value: unknown): Decimal {
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number' && Number.isFinite(value) && (!Number.isInteger(value) || Number.isSafeInteger(value))) text = String(value);
  else return unsure();
  if (text.length > MAX_DECIMAL_LENGTH || !DECIMAL_RE.test(text) || digitsOf(text) > MAX_DECIMAL_DIGITS) return unsure();
  return new Decimal(text);
}

/** `nonNegativeDecimalSchema`. */
export function readNonNegative(value: unknown): Decimal {
  const d = readDecimal(value);
  return d.isNegative() ? unsure() : d;
}

/** `positiveDecimalSchema`. */
export function readPositive(value: unknown): Decimal {
  const d = readDecimal(value);
  return d.gt(0) ? d : unsure();
}

/** `instantSchema`: a Date or an ISO string with an offset, 1970 to 9999, as a new Date. */
export function readInstant(value: unknown): Date {
  let ms: number;
  if (value instanceof Date) ms = value.getTime();
  else if (typeof value === 'string' && ISO_INSTANT_RE.test(value) && isCalendarDate(value)) ms = Date.parse(value);
  else return unsure();
  if (Number.isNaN(ms) || ms < MIN_INSTANT || ms > MAX_INSTANT) return unsure();
  return new Date(ms);
}

/** `currencySchema`. */
export function readCurrency(value: unknown): CurrencyCode {
  return isCurrencyCode(value) ? value : unsure();
}

/** The minor-units rule (`checkMinorUnits`): an amount with more decimals than its currency goes to zod. */
export function withinMinorUnits(currency: CurrencyCode, amount: Decimal): void {
  if (amount.decimalPlaces() > minorUnits(currency)) unsure();
}

/** A whole number in [min, max] (`z.number().check(int(), …)`). */
export function readWhole(value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) return unsure();
  return value;
}

/** A boolean, or `fallback` when absent (`z._default(z.boolean(), fallback)`). */
export function readFlag(value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  return typeof value === 'boolean' ? value : unsure();
}

/** One of `allowed` (`z.enum`). */
export function readChoice<T extends string>(value: unknown, allowed: readonly T[]): T {
  return (allowed as readonly unknown[]).includes(value) ? (value as T) : unsure();
}

/** A list of `max` strings of `min`-`maxLength` characters, or `[]` when absent, copied as zod copies it. */
export function readStrings(value: unknown, max: number, min: number, maxLength: number): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length > max) return unsure();
  const out: string[] = new Array<string>(value.length);
  for (let i = 0; i < value.length; i++) out[i] = readText((value as unknown[])[i], min, maxLength);
  return out;
}

const ATTRIBUTE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** One attribute value (`attributeValueSchema`), arrays copied. */
function readAttributeValue(value: unknown): AttributeValue {
  if (typeof value === 'string') return value.length <= 1000 ? value : unsure();
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : unsure();
  return Array.isArray(value) ? readStrings(value, 100, 0, 200) : unsure();
}

/** Names zod's attribute schema refuses although they are identifiers. */
const FORBIDDEN_NAMES = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * `attributesSchema`: at most 100 identifier names to values, copied into a new record as zod's
 * record copies it. Symbol keys (zod refuses them), forbidden names and inherited keys go to zod.
 */
export function readAttributes(value: unknown): Record<string, AttributeValue> {
  const record = plainRecord(value);
  if (Object.getOwnPropertySymbols(record).length > 0) return unsure();
  const out: Record<string, AttributeValue> = {};
  let size = 0;
  for (const key in record) {
    if (!Object.prototype.hasOwnProperty.call(record, key) || !ATTRIBUTE_NAME.test(key) || FORBIDDEN_NAMES.has(key)) return unsure();
    size += 1;
    out[key] = readAttributeValue(record[key]);
  }
  return size > 100 ? unsure() : out;
}
