// RELIABILITY 16 and 17: every class of bad input gets its typed error, naming the field by its
// zod path; never a crash deep inside, never a partial write; untrusted configs never run as code.
import { afterAll, describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { createLoyalty, defineProgram, fixedClock, LoyaltyError, memoryStore, ProgramConfigError } from '../../src';
import { evaluate, openAccount, parseCustomer, parseEvent, pointsEarned } from '../../src/core';
import type { Loyalty } from '../../src';
import type { DefineProgramOptions, RegisteredFact } from '../../src/core';
import { announce, FC_SEED, runsFor } from '../properties/seed';
import { rejection } from '../rejection';

type Path = readonly (string | number)[];
interface Expected {
  readonly code: string;
  readonly path: Path;
}

/** Each class tried and how many inputs it had, printed at the end. */
const tried = new Map<string, number>();
function count(cls: string, n = 1): void {
  tried.set(cls, (tried.get(cls) ?? 0) + n);
}

/** The typed error a call throws; fails when it returns or throws anything else. */
function thrown(fn: () => unknown): LoyaltyError {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error, 'expected a LoyaltyError, got no error').toBeDefined();
  expect(error).toBeInstanceOf(LoyaltyError);
  return error as LoyaltyError;
}

const codesAndPaths = (e: LoyaltyError): Expected[] => e.issues.map((i) => ({ code: i.code, path: [...i.path] }));

function expectIssues(e: LoyaltyError, expected: readonly Expected[]): void {
  expect(codesAndPaths(e)).toEqual(expected.map((x) => ({ code: x.code, path: [...x.path] })));
  for (const issue of e.issues) expect(issue.message.length).toBeGreaterThan(0);
  expect(e.code).toBe(expected[0]?.code);
}

// ---------------------------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------------------------

const AT = '2027-03-10T15:00:00Z';
const LINE = { lineId: 'l1', sku: 's1', quantity: 2, unitPrice: '10.00' };

function purchase(id: string, over: Record<string, unknown> = {}, line: Record<string, unknown> = {}): Record<string, unknown> {
  return { id, customerId: 'c1', type: 'purchase', orderId: `o-${id}`, currency: 'USD', occurredAt: AT, lines: [{ ...LINE, ...line }], ...over };
}
function without(value: Record<string, unknown>, ...keys: string[]): Record<string, unknown> {
  const copy = { ...value };
  for (const k of keys) delete copy[k];
  return copy;
}
/** Refunds go against `o-paid`, an order bought when the service is set up. */
function refund(id: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return { id, customerId: 'c1', type: 'refund', orderId: 'o-paid', currency: 'USD', occurredAt: AT, ...over };
}
/** A custom event whose attributes come from JSON text, as a host parsing a request body makes them. */
function custom(id: string, attributesJson: string): unknown {
  return JSON.parse(`{"id":${JSON.stringify(id)},"customerId":"c1","type":"custom","name":"check_in","occurredAt":"${AT}","attributes":${attributesJson}}`);
}

interface EventCase {
  readonly cls: string;
  readonly name: string;
  /** The bad event, with the given id where the id is not the broken field. */
  readonly bad: (id: string) => unknown;
  /** The corrected event, same id. Default: a valid purchase. */
  readonly fix?: (id: string) => unknown;
  readonly expected: readonly Expected[];
  /** What the first issue's message must say (a hint). */
  readonly message?: RegExp;
}

const amountAt = (path: Path, code = 'invalid_amount'): readonly Expected[] => [{ code, path }];
const linePrice = ['lines', 0, 'unitPrice'] as const;

const EVENT_CASES: readonly EventCase[] = [
  // wrong types
  { cls: 'wrong type', name: 'quantity as a string', bad: (id) => purchase(id, {}, { quantity: '2' }), expected: [{ code: 'invalid_type', path: ['lines', 0, 'quantity'] }] },
  { cls: 'wrong type', name: 'id as a number', bad: () => purchase('x', { id: 42 }), expected: [{ code: 'invalid_type', path: ['id'] }] },
  { cls: 'wrong type', name: 'customerId as an object', bad: (id) => purchase(id, { customerId: { id: 'c1' } }), expected: [{ code: 'invalid_type', path: ['customerId'] }] },
  { cls: 'wrong type', name: 'unit price as a boolean', bad: (id) => purchase(id, {}, { unitPrice: true }), expected: [{ code: 'invalid_type', path: linePrice }] },
  { cls: 'wrong type', name: 'lines as a string', bad: (id) => purchase(id, { lines: 'l1' }), expected: [{ code: 'invalid_type', path: ['lines'] }] },
  { cls: 'wrong type', name: 'fractional quantity', bad: (id) => purchase(id, {}, { quantity: 1.5 }), expected: [{ code: 'invalid_type', path: ['lines', 0, 'quantity'] }] },
  { cls: 'wrong type', name: 'the event is null', bad: () => null, expected: [{ code: 'invalid_type', path: [] }] },
  { cls: 'wrong type', name: 'the event is an array', bad: (id) => [purchase(id)], expected: [{ code: 'invalid_type', path: [] }] },
  { cls: 'wrong type', name: 'unknown channel', bad: (id) => purchase(id, { channel: 'tv' }), expected: [{ code: 'invalid_value', path: ['channel'] }] },
  // negative amounts: one issue each (no spurious "discount exceeds the line total" on a negative price)
  { cls: 'negative amount', name: 'unit price -1', bad: (id) => purchase(id, {}, { unitPrice: '-1' }), expected: amountAt(linePrice, 'negative_amount') },
  { cls: 'negative amount', name: 'unit price -0.01 as a number', bad: (id) => purchase(id, {}, { unitPrice: -0.01 }), expected: amountAt(linePrice, 'negative_amount') },
  { cls: 'negative amount', name: 'shipping -0.01', bad: (id) => purchase(id, { shipping: '-0.01' }), expected: amountAt(['shipping'], 'negative_amount') },
  { cls: 'negative amount', name: 'line discount -5', bad: (id) => purchase(id, {}, { discount: '-5' }), expected: amountAt(['lines', 0, 'discount'], 'negative_amount') },
  { cls: 'negative amount', name: 'refund amount -5', bad: (id) => refund(id, { amount: '-5' }), fix: (id) => refund(id, { amount: '5' }), expected: amountAt(['amount'], 'not_positive') },
  { cls: 'negative amount', name: 'refund amount 0', bad: (id) => refund(id, { amount: '0' }), fix: (id) => refund(id, { amount: '5' }), expected: amountAt(['amount'], 'not_positive') },
  // amounts that are not finite decimals
  { cls: 'non-decimal amount', name: 'NaN', bad: (id) => purchase(id, {}, { unitPrice: Number.NaN }), expected: amountAt(linePrice) },
  { cls: 'non-decimal amount', name: 'Infinity', bad: (id) => purchase(id, {}, { unitPrice: Number.POSITIVE_INFINITY }), expected: amountAt(linePrice) },
  { cls: 'non-decimal amount', name: '-Infinity tax', bad: (id) => purchase(id, { tax: Number.NEGATIVE_INFINITY }), expected: amountAt(['tax']) },
  { cls: 'non-decimal amount', name: '"1e3"', bad: (id) => purchase(id, {}, { unitPrice: '1e3' }), expected: amountAt(linePrice) },
  { cls: 'non-decimal amount', name: '"ten"', bad: (id) => purchase(id, {}, { unitPrice: 'ten' }), expected: amountAt(linePrice) },
  { cls: 'non-decimal amount', name: '"NaN"', bad: (id) => purchase(id, {}, { unitPrice: 'NaN' }), expected: amountAt(linePrice) },
  { cls: 'non-decimal amount', name: '"Infinity" shipping', bad: (id) => purchase(id, { shipping: 'Infinity' }), expected: amountAt(['shipping']) },
  { cls: 'non-decimal amount', name: '"10,00"', bad: (id) => purchase(id, {}, { unitPrice: '10,00' }), expected: amountAt(linePrice) },
  { cls: 'non-decimal amount', name: '" 10"', bad: (id) => purchase(id, {}, { unitPrice: ' 10' }), expected: amountAt(linePrice) },
  { cls: 'non-decimal amount', name: 'empty string', bad: (id) => purchase(id, {}, { unitPrice: '' }), expected: amountAt(linePrice) },
  { cls: 'non-decimal amount', name: '1e21 (a number printed in exponent form)', bad: (id) => purchase(id, {}, { unitPrice: 1e21 }), expected: amountAt(linePrice) },
  { cls: 'non-decimal amount', name: '"0x10"', bad: (id) => refund(id, { amount: '0x10' }), fix: (id) => refund(id, { amount: '5' }), expected: amountAt(['amount']) },
  // discounts
  { cls: 'discount above line total', name: '20.01 off 2 × 10.00', bad: (id) => purchase(id, {}, { discount: '20.01' }), expected: [{ code: 'discount_exceeds_total', path: ['lines', 0, 'discount'] }] },
  { cls: 'discount above line total', name: '1 off a free line', bad: (id) => purchase(id, {}, { unitPrice: '0', discount: 1 }), expected: [{ code: 'discount_exceeds_total', path: ['lines', 0, 'discount'] }] },
  // currencies
  { cls: 'unknown currency', name: 'XXY (never a code)', bad: (id) => purchase(id, { currency: 'XXY' }), expected: [{ code: 'unknown_currency', path: ['currency'] }] },
  { cls: 'unknown currency', name: 'DEM (withdrawn)', bad: (id) => purchase(id, { currency: 'DEM' }), expected: [{ code: 'unknown_currency', path: ['currency'] }] },
  { cls: 'unknown currency', name: 'usd (lower case)', bad: (id) => purchase(id, { currency: 'usd' }), expected: [{ code: 'unknown_currency', path: ['currency'] }] },
  { cls: 'unknown currency', name: 'DEM on a refund', bad: (id) => refund(id, { amount: '5', currency: 'DEM' }), fix: (id) => refund(id, { amount: '5' }), expected: [{ code: 'unknown_currency', path: ['currency'] }] },
  // instants
  { cls: 'date out of range', name: 'year 1969', bad: (id) => purchase(id, { occurredAt: '1969-12-31T23:59:59Z' }), expected: [{ code: 'instant_out_of_range', path: ['occurredAt'] }] },
  { cls: 'date out of range', name: 'year 1969 as a date', bad: (id) => purchase(id, { occurredAt: '1969-07-20' }), expected: [{ code: 'instant_out_of_range', path: ['occurredAt'] }] },
  { cls: 'date out of range', name: 'year 10000 as a Date', bad: (id) => purchase(id, { occurredAt: new Date(Date.UTC(10000, 0, 1)) }), expected: [{ code: 'instant_out_of_range', path: ['occurredAt'] }] },
  { cls: 'date out of range', name: 'year 10000 in UTC (9999-12-31T23:59:59-01:00)', bad: (id) => purchase(id, { occurredAt: '9999-12-31T23:59:59-01:00' }), expected: [{ code: 'instant_out_of_range', path: ['occurredAt'] }] },
  // A five-digit year is not the ISO 8601 form the schema reads: malformed before it is out of range.
  { cls: 'date out of range', name: 'year 10000 as text', bad: (id) => purchase(id, { occurredAt: '10000-01-01T00:00:00Z' }), expected: [{ code: 'invalid_instant', path: ['occurredAt'] }] },
  { cls: 'date not on the calendar', name: '30 February', bad: (id) => purchase(id, { occurredAt: '2027-02-30T10:00:00Z' }), expected: [{ code: 'invalid_instant', path: ['occurredAt'] }] },
  { cls: 'date not on the calendar', name: '29 February 2027', bad: (id) => purchase(id, { occurredAt: '2027-02-29' }), expected: [{ code: 'invalid_instant', path: ['occurredAt'] }] },
  { cls: 'date not on the calendar', name: 'month 13', bad: (id) => purchase(id, { occurredAt: '2027-13-01' }), expected: [{ code: 'invalid_instant', path: ['occurredAt'] }] },
  { cls: 'date not on the calendar', name: 'hour 25', bad: (id) => purchase(id, { occurredAt: '2027-03-10T25:00:00Z' }), expected: [{ code: 'invalid_instant', path: ['occurredAt'] }] },
  { cls: 'date not on the calendar', name: 'offset +25:00', bad: (id) => purchase(id, { occurredAt: '2027-03-10T15:00:00+25:00' }), expected: [{ code: 'invalid_instant', path: ['occurredAt'] }] },
  { cls: 'date not on the calendar', name: 'an invalid Date', bad: (id) => purchase(id, { occurredAt: new Date(Number.NaN) }), expected: [{ code: 'invalid_instant', path: ['occurredAt'] }] },
  { cls: 'local date-time without offset', name: 'seconds, no offset', bad: (id) => purchase(id, { occurredAt: '2027-03-10T15:00:00' }), expected: [{ code: 'invalid_instant', path: ['occurredAt'] }] },
  { cls: 'local date-time without offset', name: 'minutes, no offset', bad: (id) => purchase(id, { occurredAt: '2027-03-10T15:00' }), expected: [{ code: 'invalid_instant', path: ['occurredAt'] }] },
  { cls: 'local date-time without offset', name: 'space separator', bad: (id) => purchase(id, { occurredAt: '2027-03-10 15:00:00Z' }), expected: [{ code: 'invalid_instant', path: ['occurredAt'] }] },
  { cls: 'local date-time without offset', name: 'epoch milliseconds', bad: (id) => purchase(id, { occurredAt: Date.parse(AT) }), expected: [{ code: 'invalid_instant', path: ['occurredAt'] }] },
  // missing fields
  { cls: 'missing field', name: 'customerId', bad: (id) => without(purchase(id), 'customerId'), expected: [{ code: 'required', path: ['customerId'] }], message: /is required/ },
  { cls: 'missing field', name: 'occurredAt', bad: (id) => without(purchase(id), 'occurredAt'), expected: [{ code: 'required', path: ['occurredAt'] }], message: /^is required/ },
  { cls: 'missing field', name: 'line unitPrice', bad: (id) => purchase(id, { lines: [{ lineId: 'l1', sku: 's1', quantity: 1 }] }), expected: [{ code: 'required', path: linePrice }] },
  { cls: 'missing field', name: 'no lines at all', bad: (id) => purchase(id, { lines: [] }), expected: [{ code: 'too_small', path: ['lines'] }] },
  {
    cls: 'missing field',
    name: 'everything but id and type (each field named)',
    bad: (id) => ({ id, type: 'purchase' }),
    expected: [
      { code: 'required', path: ['customerId'] },
      { code: 'required', path: ['occurredAt'] },
      { code: 'required', path: ['orderId'] },
      { code: 'required', path: ['currency'] },
      { code: 'required', path: ['lines'] },
    ],
  },
  // event types
  { cls: 'unknown event type', name: 'purchas', bad: (id) => purchase(id, { type: 'purchas' }), expected: [{ code: 'invalid_value', path: ['type'] }], message: /expected one of .*"refund".*; got "purchas" \(did you mean "purchase"\?\)/ },
  { cls: 'unknown event type', name: 'no type', bad: (id) => without(purchase(id), 'type'), expected: [{ code: 'required', path: ['type'] }], message: /is required: expected one of "purchase"/ },
  { cls: 'unknown event type', name: 'type 1', bad: (id) => purchase(id, { type: 1 }), expected: [{ code: 'invalid_value', path: ['type'] }] },
  { cls: 'unknown event type', name: 'type __proto__', bad: (id) => purchase(id, { type: '__proto__' }), expected: [{ code: 'invalid_value', path: ['type'] }] },
  // refund shape
  { cls: 'refund shape', name: 'both lines and amount', bad: (id) => refund(id, { lines: [{ lineId: 'l1', quantity: 1 }], amount: '5' }), fix: (id) => refund(id, { amount: '5' }), expected: [{ code: 'refund_shape', path: ['lines'] }] },
  { cls: 'refund shape', name: 'neither lines nor amount', bad: (id) => refund(id), fix: (id) => refund(id, { amount: '5' }), expected: [{ code: 'refund_shape', path: ['lines'] }] },
  { cls: 'refund shape', name: 'amount without currency', bad: (id) => without(refund(id, { amount: '5' }), 'currency'), fix: (id) => refund(id, { amount: '5' }), expected: [{ code: 'missing_currency', path: ['currency'] }] },
  { cls: 'refund shape', name: 'empty lines', bad: (id) => refund(id, { lines: [] }), fix: (id) => refund(id, { amount: '5' }), expected: [{ code: 'too_small', path: ['lines'] }] },
  // duplicate line ids
  { cls: 'duplicate line id', name: 'l1 twice', bad: (id) => purchase(id, { lines: [LINE, { ...LINE, sku: 's2' }] }), expected: [{ code: 'duplicate_line', path: ['lines', 1, 'lineId'] }] },
  {
    cls: 'duplicate line id',
    name: 'l1 three times among four',
    bad: (id) => purchase(id, { lines: [LINE, { ...LINE, lineId: 'l2' }, LINE, LINE] }),
    expected: [
      { code: 'duplicate_line', path: ['lines', 2, 'lineId'] },
      { code: 'duplicate_line', path: ['lines', 3, 'lineId'] },
    ],
  },
  // prototype keys in attributes (from JSON text: JSON.parse makes an own "__proto__" key)
  { cls: 'prototype key in attributes', name: '__proto__ (scalar)', bad: (id) => custom(id, '{"__proto__":1}'), fix: (id) => custom(id, '{"ok":1}'), expected: [{ code: 'forbidden_key', path: ['attributes', '__proto__'] }] },
  { cls: 'prototype key in attributes', name: '__proto__ (array)', bad: (id) => custom(id, '{"ok":1,"__proto__":["admin"]}'), fix: (id) => custom(id, '{"ok":1}'), expected: [{ code: 'forbidden_key', path: ['attributes', '__proto__'] }] },
  { cls: 'prototype key in attributes', name: 'constructor', bad: (id) => custom(id, '{"constructor":"x"}'), fix: (id) => custom(id, '{"ok":1}'), expected: [{ code: 'forbidden_key', path: ['attributes', 'constructor'] }] },
  { cls: 'prototype key in attributes', name: 'prototype', bad: (id) => custom(id, '{"prototype":true}'), fix: (id) => custom(id, '{"ok":1}'), expected: [{ code: 'forbidden_key', path: ['attributes', 'prototype'] }] },
  { cls: 'prototype key in attributes', name: 'a name that is not an identifier', bad: (id) => custom(id, '{"a.b":1}'), fix: (id) => custom(id, '{"ok":1}'), expected: [{ code: 'invalid_format', path: ['attributes', 'a.b'] }] },
  // over-long ids
  { cls: 'over-long id', name: 'id of 201 characters', bad: () => purchase('x'.repeat(201), { orderId: 'o-long' }), expected: [{ code: 'too_big', path: ['id'] }] },
  { cls: 'over-long id', name: 'customerId of 201', bad: (id) => purchase(id, { customerId: 'c'.repeat(201) }), expected: [{ code: 'too_big', path: ['customerId'] }] },
  { cls: 'over-long id', name: 'orderId of 10 000', bad: (id) => purchase(id, { orderId: 'o'.repeat(10_000) }), expected: [{ code: 'too_big', path: ['orderId'] }] },
  { cls: 'over-long id', name: 'sku of 201', bad: (id) => purchase(id, {}, { sku: 's'.repeat(201) }), expected: [{ code: 'too_big', path: ['lines', 0, 'sku'] }] },
  { cls: 'over-long id', name: 'empty id', bad: () => purchase(''), expected: [{ code: 'too_small', path: ['id'] }] },
  // unknown fields are refused, never dropped: host data goes in `attributes`
  { cls: 'unknown field', name: 'chanel (a typo of channel)', bad: (id) => purchase(id, { chanel: 'app' }), expected: [{ code: 'unrecognized_keys', path: [] }], message: /"chanel" \(did you mean "channel"\?\)/ },
  { cls: 'unknown field', name: 'discont on a line', bad: (id) => purchase(id, {}, { discont: '1.00' }), expected: [{ code: 'unrecognized_keys', path: ['lines', 0] }], message: /did you mean "discount"/ },
  { cls: 'unknown field', name: 'host data outside attributes', bad: (id) => purchase(id, { utmSource: 'mail' }), expected: [{ code: 'unrecognized_keys', path: [] }], message: /"utmSource"/ },
  { cls: 'unknown field', name: 'on a refund line', bad: (id) => refund(id, { lines: [{ lineId: 'l1', quantity: 1, qty: 1 }] }), fix: (id) => refund(id, { amount: '5' }), expected: [{ code: 'unrecognized_keys', path: ['lines', 0] }] },
  { cls: 'attributes too large', name: '101 attributes', bad: (id) => purchase(id, { attributes: Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`a${i}`, i])) }), expected: [{ code: 'too_many_attributes', path: ['attributes'] }] },
  { cls: 'attributes too large', name: 'a nested object', bad: (id) => purchase(id, { attributes: { utm: { source: 'mail' } } }), expected: [{ code: 'invalid_type', path: ['attributes', 'utm'] }] },
  // digits: bounded before a Decimal is built (above 50 digits Decimal would round silently)
  { cls: 'too many digits', name: '10^50 + 5', bad: (id) => purchase(id, {}, { unitPrice: `1${'0'.repeat(49)}5` }), expected: amountAt(linePrice, 'too_many_digits') },
  { cls: 'too many digits', name: '1,000,000 digits', bad: (id) => purchase(id, {}, { unitPrice: '7'.repeat(1_000_000) }), expected: amountAt(linePrice, 'too_many_digits') },
  { cls: 'too many digits', name: '31 digits of shipping', bad: (id) => purchase(id, { shipping: `${'1'.repeat(29)}.01` }), expected: amountAt(['shipping'], 'too_many_digits') },
  { cls: 'too many digits', name: '2^53 + 2 as a JSON number', bad: (id) => purchase(id, {}, { unitPrice: 2 ** 53 + 2 }), expected: amountAt(linePrice) },
  // prices: no finer than the currency's minor unit
  { cls: 'price finer than the currency', name: 'unit price 19.999 USD', bad: (id) => purchase(id, {}, { unitPrice: '19.999' }), expected: amountAt(linePrice, 'too_many_decimals') },
  { cls: 'price finer than the currency', name: 'discount 0.005 USD', bad: (id) => purchase(id, {}, { discount: '0.005' }), expected: amountAt(['lines', 0, 'discount'], 'too_many_decimals') },
  { cls: 'price finer than the currency', name: 'tax 0.001 USD', bad: (id) => purchase(id, { tax: 0.001 }), expected: amountAt(['tax'], 'too_many_decimals') },
  { cls: 'price finer than the currency', name: '100.5 JPY', bad: (id) => purchase(id, { currency: 'JPY' }, { unitPrice: '100.5' }), expected: amountAt(linePrice, 'too_many_decimals') },
  { cls: 'price finer than the currency', name: 'refund amount 5.001', bad: (id) => refund(id, { amount: '5.001' }), fix: (id) => refund(id, { amount: '5' }), expected: amountAt(['amount'], 'too_many_decimals') },
  // a paid membership is never activated by nothing
  {
    cls: '$0 payment',
    name: 'succeeded membership payment of 0.00',
    bad: (id) => ({ id, customerId: 'c1', type: 'membership_payment', occurredAt: AT, status: 'succeeded', amount: '0.00', currency: 'USD' }),
    expected: amountAt(['amount'], 'not_positive'),
  },
];

describe('bad events: parseEvent names the field (RELIABILITY 16)', () => {
  let n = 0;
  test.each(EVENT_CASES.map((c) => [`${c.cls}: ${c.name}`, c] as const))('%s', (_, c) => {
    n += 1;
    const error = thrown(() => parseEvent(c.bad(`parse-${n}`)));
    expectIssues(error, c.expected);
    if (c.message) expect(error.issues[0].message).toMatch(c.message);
    count(`event: ${c.cls}`);
  });

  test('the boundaries just inside parse', () => {
    const ok = [
      purchase('in-1', {}, { discount: '20.00' }),
      purchase('in-2', { occurredAt: '1970-01-01T00:00:00Z' }),
      purchase('in-3', { occurredAt: '9999-12-31T23:59:59.999Z' }),
      purchase('in-4', { occurredAt: '2028-02-29T12:00:00+14:00' }),
      purchase('in-5', { id: 'x'.repeat(200) }),
      purchase('in-6', {}, { unitPrice: 19.99 }),
      custom('in-7', '{"tier":"gold","n":3,"tags":["a"]}'),
      purchase('in-8', { attributes: Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`a${i}`, i])) }),
      purchase('in-9', {}, { unitPrice: `${'9'.repeat(28)}.99` }),
      purchase('in-10', { currency: 'JPY' }, { unitPrice: '100.00' }),
      purchase('in-11', { currency: 'KWD' }, { unitPrice: '1.005' }),
    ];
    for (const input of ok) expect(() => parseEvent(input)).not.toThrow();
  });
});

// ---------------------------------------------------------------------------------------------
// Through the service: nothing written, nothing recorded
// ---------------------------------------------------------------------------------------------

const program = defineProgram({
  kind: 'points',
  id: 'rewards',
  version: 1,
  currency: 'USD',
  timeZone: 'America/New_York',
  rules: [
    { id: 'base', on: 'purchase', award: { kind: 'per_amount', points: 1, per: 1 } },
    { id: 'check-in', on: 'custom', award: { kind: 'fixed', points: 5 } },
  ],
});

async function service(): Promise<Loyalty> {
  const loyalty = createLoyalty({ programs: [program], store: memoryStore(), clock: fixedClock('2027-03-12T00:00:00Z') });
  await loyalty.upsertCustomer({ customer: { id: 'c1', enrolledAt: '2027-01-01T00:00:00Z' } });
  await loyalty.process(purchase('paid', { orderId: 'o-paid' }) as Parameters<typeof loyalty.process>[0]);
  return loyalty;
}

async function snapshot(loyalty: Loyalty) {
  const view = await loyalty.account({ customerId: 'c1', programId: 'rewards' });
  const history = await loyalty.history({ customerId: 'c1', programId: 'rewards', limit: 1000 });
  const outbox = await loyalty.outbox({ limit: 1000 });
  return {
    available: view.balance.available.toString(),
    version: view.state.version,
    transactions: history.transactions.map((t) => JSON.stringify(t)),
    outbox: outbox.map((row) => JSON.stringify(row)),
  };
}

describe('bad events through loyalty.process: typed, nothing written, not recorded (RELIABILITY 16)', () => {
  test('every event case is refused with the same issues, writes nothing, and the corrected event with the same id then succeeds', async () => {
    const loyalty = await service();
    let n = 0;
    for (const c of EVENT_CASES) {
      n += 1;
      const id = `svc-${n}`;
      const before = await snapshot(loyalty);
      const error = await rejection(loyalty.process(c.bad(id) as Parameters<typeof loyalty.process>[0]));
      expectIssues(error, c.expected);
      expect(await snapshot(loyalty), `${c.cls}: ${c.name} wrote something`).toEqual(before);

      const corrected = await loyalty.process((c.fix ?? ((i: string) => purchase(i)))(id) as Parameters<typeof loyalty.process>[0]);
      expect(corrected.replayed, `${c.cls}: ${c.name} was recorded`).toBe(false);
      expect(corrected.eventId).toBe(id);
      expect((await snapshot(loyalty)).version).toBeGreaterThanOrEqual(before.version);
      count('service: refused, unwritten, retried', 1);
    }
    expect(await loyalty.verify({ customerId: 'c1', programId: 'rewards' })).toEqual([]);
  });

  test('a purchase refused for its currency (program is USD) writes nothing and the corrected retry earns', async () => {
    const loyalty = await service();
    const before = await snapshot(loyalty);
    const error = await rejection(loyalty.process(purchase('eur-1', { currency: 'EUR' }) as Parameters<typeof loyalty.process>[0]));
    expect(error.code).toBe('currency_mismatch');
    expect(await snapshot(loyalty)).toEqual(before);
    const result = await loyalty.process(purchase('eur-1') as Parameters<typeof loyalty.process>[0]);
    expect(result.replayed).toBe(false);
    expect(result.outcomes[0] && pointsEarned(result.outcomes[0]).toString()).toBe('20');
    count('service: runtime input refusal');
  });
});

// ---------------------------------------------------------------------------------------------
// Customers
// ---------------------------------------------------------------------------------------------

interface CustomerCase {
  readonly cls: string;
  readonly name: string;
  readonly input: Record<string, unknown>;
  readonly expected: readonly Expected[];
  readonly message?: RegExp;
}
const customerBase = { id: 'c-new', enrolledAt: '2027-01-01T00:00:00Z' };
const CUSTOMER_CASES: readonly CustomerCase[] = [
  { cls: 'invalid birthday', name: '1991-02-29 (not a leap year)', input: { birthday: '1991-02-29' }, expected: [{ code: 'invalid_birthday', path: ['birthday'] }] },
  { cls: 'invalid birthday', name: '1900-02-29 (century, not a leap year)', input: { birthday: '1900-02-29' }, expected: [{ code: 'invalid_birthday', path: ['birthday'] }] },
  { cls: 'invalid birthday', name: '--02-30', input: { birthday: '--02-30' }, expected: [{ code: 'invalid_birthday', path: ['birthday'] }] },
  { cls: 'invalid birthday', name: '--04-31', input: { birthday: '--04-31' }, expected: [{ code: 'invalid_birthday', path: ['birthday'] }] },
  { cls: 'invalid birthday', name: '1990-13-01', input: { birthday: '1990-13-01' }, expected: [{ code: 'invalid_birthday', path: ['birthday'] }] },
  { cls: 'invalid birthday', name: '31-12-1990', input: { birthday: '31-12-1990' }, expected: [{ code: 'invalid_birthday', path: ['birthday'] }] },
  { cls: 'invalid birthday', name: 'a number', input: { birthday: 19900101 }, expected: [{ code: 'invalid_type', path: ['birthday'] }] },
  { cls: 'invalid time zone', name: 'Mars/Olympus', input: { timeZone: 'Mars/Olympus' }, expected: [{ code: 'invalid_time_zone', path: ['timeZone'] }] },
  { cls: 'invalid time zone', name: 'UTC+2', input: { timeZone: 'UTC+2' }, expected: [{ code: 'invalid_time_zone', path: ['timeZone'] }] },
  { cls: 'invalid time zone', name: 'empty', input: { timeZone: '' }, expected: [{ code: 'invalid_time_zone', path: ['timeZone'] }] },
  { cls: 'invalid time zone', name: '../../etc/passwd', input: { timeZone: '../../etc/passwd' }, expected: [{ code: 'invalid_time_zone', path: ['timeZone'] }] },
  { cls: 'local date-time without offset', name: 'enrolledAt without offset', input: { enrolledAt: '2027-01-01T00:00:00' }, expected: [{ code: 'invalid_instant', path: ['enrolledAt'] }] },
  { cls: 'prototype key in attributes', name: 'customer __proto__', input: JSON.parse('{"attributes":{"__proto__":{"isAdmin":true}}}') as Record<string, unknown>, expected: [{ code: 'forbidden_key', path: ['attributes', '__proto__'] }] },
  { cls: 'unknown field', name: 'birthdate (a typo of birthday)', input: { birthdate: '1990-05-01' }, expected: [{ code: 'unrecognized_keys', path: [] }], message: /"birthdate" \(did you mean "birthday"\?\)/ },
  { cls: 'unknown field', name: 'timezone', input: { timezone: 'Europe/Paris' }, expected: [{ code: 'unrecognized_keys', path: [] }], message: /did you mean "timeZone"/ },
  { cls: 'attributes too large', name: '101 customer attributes', input: { attributes: Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`a${i}`, 'x'])) }, expected: [{ code: 'too_many_attributes', path: ['attributes'] }] },
];

describe('bad customers: parseCustomer names the field (RELIABILITY 16)', () => {
  test.each(CUSTOMER_CASES.map((c) => [`${c.cls}: ${c.name}`, c] as const))('%s', (_, c) => {
    const error = thrown(() => parseCustomer({ ...customerBase, ...c.input }));
    expectIssues(error, c.expected);
    if (c.message) expect(error.issues[0].message).toMatch(c.message);
    count(`customer: ${c.cls}`);
  });

  test('valid 29 February birthdays still parse: without a year and in leap years', () => {
    expect(parseCustomer({ ...customerBase, birthday: '--02-29' }).birthday).toEqual({ month: 2, day: 29 });
    expect(parseCustomer({ ...customerBase, birthday: '2000-02-29' }).birthday).toEqual({ month: 2, day: 29 });
    expect(parseCustomer({ ...customerBase, birthday: '1992-02-29' }).birthday).toEqual({ month: 2, day: 29 });
  });

  test('upsertCustomer refuses a bad profile with the same issues and enrols no one', async () => {
    const loyalty = await service();
    for (const c of CUSTOMER_CASES) {
      // The profile is the argument's `customer` field: its issues are named under it.
      expectIssues(await rejection(loyalty.upsertCustomer({ customer: { ...customerBase, ...c.input } as never })), c.expected.map((x) => ({ ...x, path: ['customer', ...x.path] })));
    }
    const error = await rejection(loyalty.account({ customerId: 'c-new', programId: 'rewards' }));
    expect(error.code).toBe('unknown_account');
  });
});

// ---------------------------------------------------------------------------------------------
// Program configs
// ---------------------------------------------------------------------------------------------

const base = { kind: 'points', id: 'rewards', version: 1, currency: 'USD', timeZone: 'America/New_York' } as const;
const leaf = (over: Record<string, unknown> = {}) => ({ fact: 'order.subtotal', operator: 'greaterThan', value: 10, ...over });
const fixed = { kind: 'fixed', points: 10 } as const;
function withRule(rule: Record<string, unknown>, over: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...base, rules: [{ id: 'r1', on: 'purchase', award: fixed, ...rule }], ...over };
}
const when = (condition: unknown, over: Record<string, unknown> = {}) => withRule({ when: condition }, over);
const first = ['rules', 0, 'when', 'all', 0] as const;
function nest(depth: number, inner: unknown): unknown {
  let node = inner;
  for (let i = 0; i < depth; i++) node = { all: [node] };
  return node;
}
const nestedPath = (levels: number): Path => Array.from({ length: levels }, () => ['all', 0]).flat();

interface ConfigCase {
  readonly cls: string;
  readonly name: string;
  readonly config: unknown;
  readonly options?: DefineProgramOptions;
  readonly expected: readonly Expected[];
  readonly message?: RegExp;
}

const CONFIG_CASES: readonly ConfigCase[] = [
  { cls: 'unknown operator', name: 'greaterThen', config: when({ all: [leaf({ operator: 'greaterThen' })] }), expected: [{ code: 'unknown_operator', path: [...first, 'operator'] }], message: /did you mean "greaterThan"/ },
  { cls: 'unknown operator', name: 'unknown decorator maybe:equal', config: when({ all: [leaf({ operator: 'maybe:equal' })] }), expected: [{ code: 'unknown_operator', path: [...first, 'operator'] }] },
  { cls: 'unknown operator', name: 'in a shared condition', config: { ...base, conditions: { big: { all: [leaf({ operator: 'nope' })] } } }, expected: [{ code: 'unknown_operator', path: ['conditions', 'big', 'all', 0, 'operator'] }] },
  { cls: 'unknown operator', name: 'custom operator named with code', config: base, options: { operators: { "x'); globalThis.__pwned = 1; ('": () => true } }, expected: [{ code: 'invalid_custom_operator', path: ['options', 'operators', "x'); globalThis.__pwned = 1; ('"] }] },
  { cls: 'unknown fact', name: 'order.totl', config: when({ all: [leaf({ fact: 'order.totl' })] }), expected: [{ code: 'unknown_fact', path: [...first, 'fact'] }], message: /did you mean "order.total"/ },
  { cls: 'unknown fact', name: 'in a fact reference', config: when({ all: [leaf({ value: { fact: 'time.mnth' } })] }), expected: [{ code: 'unknown_fact', path: [...first, 'value', 'fact'] }] },
  { cls: 'unknown fact', name: 'in a segment', config: { ...base, segments: { vip: { all: [{ fact: 'customer.tierr', operator: 'equal', value: 'gold' }] } } }, expected: [{ code: 'unknown_fact', path: ['segments', 'vip', 'all', 0, 'fact'] }] },
  { cls: 'unknown fact', name: 'an order fact in a lines filter', config: withRule({ award: { kind: 'per_item', points: 1 }, lines: { all: [leaf()] } }), expected: [{ code: 'unknown_fact', path: ['rules', 0, 'lines', 'all', 0, 'fact'] }] },
  { cls: 'in with a non-array value', name: 'in "gold"', config: when({ all: [{ fact: 'customer.tier', operator: 'in', value: 'gold' }] }), expected: [{ code: 'in_value_not_array', path: [...first, 'value'] }] },
  { cls: 'in with a non-array value', name: 'not:notIn 3', config: when({ all: [{ fact: 'customer.tier', operator: 'not:notIn', value: 3 }] }), expected: [{ code: 'in_value_not_array', path: [...first, 'value'] }] },
  { cls: 'in with a non-array value', name: 'in a scalar fact', config: when({ all: [{ fact: 'customer.tier', operator: 'in', value: { fact: 'customer.id' } }] }), expected: [{ code: 'in_value_not_array', path: [...first, 'value'] }] },
  { cls: 'missing shared condition', name: 'isBig', config: when({ all: [{ condition: 'isBig' }] }), expected: [{ code: 'missing_condition', path: [...first, 'condition'] }] },
  { cls: 'missing shared condition', name: 'constructor (a prototype name)', config: when({ all: [{ condition: 'constructor' }] }), expected: [{ code: 'missing_condition', path: [...first, 'condition'] }] },
  { cls: 'shared-condition cycle', name: 'a → b → a', config: when({ all: [{ condition: 'a' }] }, { conditions: { a: { all: [{ condition: 'b' }] }, b: { any: [{ condition: 'a' }] } } }), expected: [{ code: 'condition_cycle', path: ['conditions', 'b', 'any', 0, 'condition'] }], message: /a → b → a/ },
  { cls: 'shared-condition cycle', name: 'a → a', config: when({ all: [{ condition: 'a' }] }, { conditions: { a: { not: { condition: 'a' } } } }), expected: [{ code: 'condition_cycle', path: ['conditions', 'a', 'not', 'condition'] }] },
  { cls: 'too deep', name: 'depth 40 (limit 16)', config: when(nest(40, leaf())), expected: [{ code: 'condition_too_deep', path: ['rules', 0, 'when', ...nestedPath(16)] }] },
  { cls: 'too deep', name: 'depth 300 (stopped by the structural check)', config: when(nest(300, leaf())), expected: [{ code: 'condition_too_deep', path: ['rules', 0, 'when', ...nestedPath(256)] }] },
  {
    cls: 'too deep',
    name: 'depth 20 through a shared condition',
    config: when(nest(10, { condition: 'inner' }), { conditions: { inner: nest(10, leaf()) } }),
    expected: [{ code: 'condition_too_deep', path: ['rules', 0, 'when', ...nestedPath(10)] }],
  },
  { cls: 'too many nodes', name: '5000 comparisons (limit 4096)', config: when({ any: Array.from({ length: 5000 }, () => leaf()) }), expected: [{ code: 'condition_too_large', path: ['rules', 0, 'when'] }] },
  {
    cls: 'too many nodes',
    name: 'a shared condition inlined 100 times',
    config: when({ any: Array.from({ length: 100 }, () => ({ condition: 'wide' })) }, { conditions: { wide: { any: Array.from({ length: 100 }, () => leaf()) } } }),
    expected: [{ code: 'condition_too_large', path: ['rules', 0, 'when'] }],
  },
  { cls: 'path not plain dotted', name: '$..x', config: when({ all: [leaf({ fact: 'customer.attributes', path: '$..x' })] }), expected: [{ code: 'invalid_path', path: [...first, 'path'] }] },
  { cls: 'path not plain dotted', name: "$.a['b']", config: when({ all: [leaf({ fact: 'customer.attributes', path: "$.a['b']" })] }), expected: [{ code: 'invalid_path', path: [...first, 'path'] }] },
  { cls: 'path not plain dotted', name: '$.a.*', config: when({ all: [leaf({ fact: 'customer.attributes', path: '$.a.*' })] }), expected: [{ code: 'invalid_path', path: [...first, 'path'] }] },
  { cls: 'path not plain dotted', name: 'a filter script', config: when({ all: [leaf({ fact: 'customer.attributes', path: '$[?(@.x == 1)]' })] }), expected: [{ code: 'invalid_path', path: [...first, 'path'] }] },
  { cls: 'path not plain dotted', name: 'in a fact reference', config: when({ all: [leaf({ value: { fact: 'customer.attributes', path: 'a.b' } })] }), expected: [{ code: 'invalid_path', path: [...first, 'value', 'path'] }] },
  { cls: 'path reaching the prototype', name: '$.__proto__.x', config: when({ all: [leaf({ fact: 'customer.attributes', path: '$.__proto__.x' })] }), expected: [{ code: 'forbidden_path', path: [...first, 'path'] }] },
  { cls: 'path reaching the prototype', name: '$.constructor', config: when({ all: [leaf({ fact: 'customer.attributes', path: '$.constructor' })] }), expected: [{ code: 'forbidden_path', path: [...first, 'path'] }] },
  { cls: 'path reaching the prototype', name: '$.a.constructor.prototype', config: when({ all: [leaf({ fact: 'event.attributes', path: '$.a.constructor.prototype' })] }), expected: [{ code: 'forbidden_path', path: [...first, 'path'] }] },
  { cls: 'path reaching the prototype', name: "$['__proto__']", config: when({ all: [leaf({ fact: 'customer.attributes', path: "$['__proto__']" })] }), expected: [{ code: 'forbidden_path', path: [...first, 'path'] }] },
  { cls: 'fact named like a prototype property', name: '__proto__', config: when({ all: [leaf({ fact: '__proto__' })] }), expected: [{ code: 'forbidden_fact', path: [...first, 'fact'] }] },
  { cls: 'fact named like a prototype property', name: 'constructor', config: when({ all: [leaf({ fact: 'constructor' })] }), expected: [{ code: 'forbidden_fact', path: [...first, 'fact'] }] },
  { cls: 'fact named like a prototype property', name: 'toString', config: when({ all: [leaf({ fact: 'toString' })] }), expected: [{ code: 'forbidden_fact', path: [...first, 'fact'] }] },
  { cls: 'unknown campaign or segment', name: 'campaign spring', config: withRule({ campaign: 'spring' }), expected: [{ code: 'unknown_campaign', path: ['rules', 0, 'campaign'] }] },
  { cls: 'unknown campaign or segment', name: 'campaign constructor', config: withRule({ campaign: 'constructor' }), expected: [{ code: 'unknown_campaign', path: ['rules', 0, 'campaign'] }] },
  { cls: 'unknown campaign or segment', name: 'segment vip (second of two)', config: withRule({ segments: ['known', 'vip'] }, { segments: { known: { all: [] } } }), expected: [{ code: 'unknown_segment', path: ['rules', 0, 'segments', 1] }] },
  { cls: 'unknown campaign or segment', name: 'segment toString', config: withRule({ segments: ['toString'] }), expected: [{ code: 'unknown_segment', path: ['rules', 0, 'segments', 0] }] },
  { cls: 'limit key not a fact', name: 'event.netwrk', config: withRule({ limits: [{ per: 'day', count: 1, key: 'event.netwrk' }] }), expected: [{ code: 'unknown_fact', path: ['rules', 0, 'limits', 0, 'key'] }] },
  { cls: 'limit key not a fact', name: 'line.sku (a line fact)', config: withRule({ limits: [{ per: 'day', count: 1, key: 'line.sku' }] }), expected: [{ code: 'unknown_fact', path: ['rules', 0, 'limits', 0, 'key'] }] },
  { cls: 'limit key not a fact', name: 'constructor', config: withRule({ limits: [{ per: 'day', count: 1, key: 'constructor' }] }), expected: [{ code: 'forbidden_fact', path: ['rules', 0, 'limits', 0, 'key'] }] },
  { cls: 'limit key not a fact', name: '__proto__', config: withRule({ limits: [{ per: 'day', count: 1 }, { per: 'lifetime', count: 3, key: '__proto__' }] }), expected: [{ code: 'forbidden_fact', path: ['rules', 0, 'limits', 1, 'key'] }] },
  {
    cls: 'duplicate rule id',
    name: 'r1 twice',
    config: { ...base, rules: [{ id: 'r1', on: 'signup', award: fixed }, { id: 'r2', on: 'signup', award: fixed }, { id: 'r1', on: 'review', award: fixed }] },
    expected: [{ code: 'duplicate_rule_id', path: ['rules', 2, 'id'] }],
    message: /rules\[0\]/,
  },
  { cls: 'unknown currency', name: 'XXY', config: { ...base, currency: 'XXY' }, expected: [{ code: 'unknown_currency', path: ['currency'] }] },
  { cls: 'unknown currency', name: 'DEM', config: { ...base, currency: 'DEM' }, expected: [{ code: 'unknown_currency', path: ['currency'] }] },
  { cls: 'invalid time zone', name: 'Europe/Atlantis', config: { ...base, timeZone: 'Europe/Atlantis' }, expected: [{ code: 'invalid_time_zone', path: ['timeZone'] }] },
  { cls: 'invalid time zone', name: 'GMT+25', config: { ...base, timeZone: 'GMT+25' }, expected: [{ code: 'invalid_time_zone', path: ['timeZone'] }] },
  { cls: 'line fact in a rule when', name: 'line.sku', config: when({ all: [{ fact: 'line.sku', operator: 'equal', value: 'x' }] }), expected: [{ code: 'unknown_fact', path: [...first, 'fact'] }], message: /line fact.*`lines` filter/ },
  { cls: 'line fact in a rule when', name: 'line.netAmount in a segment', config: { ...base, segments: { big: { any: [{ fact: 'line.netAmount', operator: 'greaterThan', value: 100 }] } } }, expected: [{ code: 'unknown_fact', path: ['segments', 'big', 'any', 0, 'fact'] }], message: /line fact/ },
  { cls: 'limit with both count and points', name: 'count 1 and points 100', config: withRule({ limits: [{ per: 'day', count: 1, points: 100 }] }), expected: [{ code: 'limit_shape', path: ['rules', 0, 'limits', 0] }] },
  { cls: 'limit with both count and points', name: 'neither', config: withRule({ limits: [{ per: 'day' }] }), expected: [{ code: 'limit_shape', path: ['rules', 0, 'limits', 0] }] },
  { cls: 'malformed condition', name: 'a bare comparison as the root', config: when(leaf()), expected: [{ code: 'invalid_condition', path: ['rules', 0, 'when'] }] },
  { cls: 'malformed condition', name: 'all is not an array', config: when({ all: leaf() }), expected: [{ code: 'invalid_condition', path: ['rules', 0, 'when', 'all'] }] },
  { cls: 'malformed condition', name: 'an unknown key', config: when({ all: [leaf({ script: 'x' })] }), expected: [{ code: 'invalid_condition', path: [...first, 'script'] }] },
  { cls: 'malformed condition', name: 'NaN value', config: when({ all: [leaf({ value: Number.NaN })] }), expected: [{ code: 'invalid_condition', path: [...first, 'value'] }] },
  { cls: 'malformed condition', name: 'fact params', config: when({ all: [leaf({ params: { a: 1 } })] }), expected: [{ code: 'params_not_supported', path: [...first, 'params'] }] },
  { cls: 'malformed condition', name: 'a line filter on a fixed award', config: withRule({ lines: { all: [{ fact: 'line.sku', operator: 'equal', value: 'x' }] } }), expected: [{ code: 'lines_on_fixed_award', path: ['rules', 0, 'lines'] }] },
  { cls: 'malformed program', name: 'unknown kind', config: { ...base, kind: 'cashback' }, expected: [{ code: 'invalid_value', path: ['kind'] }], message: /expected one of "points", "spend", "tiered", "paid", "punch"; got "cashback"/ },
  { cls: 'malformed program', name: 'unknown event type in on', config: withRule({ on: 'purchas' }), expected: [{ code: 'invalid_value', path: ['rules', 0, 'on'] }], message: /got "purchas" \(did you mean "purchase"\?\)/ },
  { cls: 'malformed program', name: 'negative fixed points', config: withRule({ award: { kind: 'fixed', points: -1 } }), expected: [{ code: 'invalid_points', path: ['rules', 0, 'award', 'points'] }] },
  { cls: 'malformed program', name: 'rule id with a space', config: withRule({ id: 'r 1' }), expected: [{ code: 'invalid_format', path: ['rules', 0, 'id'] }] },
  { cls: 'malformed program', name: 'a shared condition named __proto__', config: JSON.parse('{"kind":"points","id":"p","version":1,"currency":"USD","timeZone":"UTC","conditions":{"__proto__":{"all":[]}}}') as unknown, expected: [{ code: 'forbidden_key', path: ['conditions', '__proto__'] }] },
];

describe('bad program configs: ProgramConfigError names the field (RELIABILITY 16, 17)', () => {
  test.each(CONFIG_CASES.map((c) => [`${c.cls}: ${c.name}`, c] as const))('%s', (_, c) => {
    const error = thrown(() => defineProgram(c.config as never, c.options));
    expect(error).toBeInstanceOf(ProgramConfigError);
    expectIssues(error, c.expected);
    if (c.message) expect(error.issues[0].message).toMatch(c.message);
    count(`config: ${c.cls}`);
  });

  test('one config with many problems lists every one of them, schema and semantic alike', () => {
    const config = {
      ...base,
      currency: 'DEM',
      timeZone: 'Nowhere/Place',
      conditions: { a: { all: [{ condition: 'b' }] }, b: { all: [{ condition: 'a' }] } },
      rules: [
        {
          id: 'r1',
          on: 'purchase',
          when: { all: [leaf({ fact: 'order.totl' }), leaf({ operator: 'greaterThen' }), { fact: 'customer.tier', operator: 'in', value: 'gold' }, { condition: 'nope' }] },
          award: fixed,
          campaign: 'spring',
          segments: ['vip'],
          limits: [{ per: 'day', count: 1, points: 5 }],
        },
        { id: 'r1', on: 'signup', award: { kind: 'fixed', points: -5 }, limits: [{ per: 'day', count: 1, key: 'event.netwrk' }] },
      ],
    };
    const error = thrown(() => defineProgram(config as never));
    expect(error).toBeInstanceOf(ProgramConfigError);
    const expected: Expected[] = [
      { code: 'unknown_currency', path: ['currency'] },
      { code: 'invalid_time_zone', path: ['timeZone'] },
      { code: 'limit_shape', path: ['rules', 0, 'limits', 0] },
      { code: 'invalid_points', path: ['rules', 1, 'award', 'points'] },
      { code: 'unknown_campaign', path: ['rules', 0, 'campaign'] },
      { code: 'unknown_segment', path: ['rules', 0, 'segments', 0] },
      { code: 'duplicate_rule_id', path: ['rules', 1, 'id'] },
      { code: 'unknown_fact', path: ['rules', 1, 'limits', 0, 'key'] },
      { code: 'unknown_fact', path: [...first, 'fact'] },
      { code: 'unknown_operator', path: ['rules', 0, 'when', 'all', 1, 'operator'] },
      { code: 'in_value_not_array', path: ['rules', 0, 'when', 'all', 2, 'value'] },
      { code: 'missing_condition', path: ['rules', 0, 'when', 'all', 3, 'condition'] },
      { code: 'condition_cycle', path: ['conditions', 'b', 'all', 0, 'condition'] },
    ];
    const got = codesAndPaths(error);
    expect(got).toHaveLength(expected.length);
    expect(got).toEqual(expect.arrayContaining(expected));
    // The message lists them all too.
    for (const { code } of expected) expect(error.message).toContain(`(${code})`);
    count('config: several problems at once', 1);
  });

  test('a valid config whose only problems are semantic lists every one, each once', () => {
    const error = thrown(() =>
      defineProgram(
        { ...base, rules: [{ id: 'r1', on: 'purchase', when: { all: [leaf({ operator: 'nope' }), leaf({ fact: 'nope' })] }, award: fixed }] } as never,
        { operators: { 'bad name': () => true } },
      ),
    );
    expect(codesAndPaths(error)).toEqual([
      { code: 'invalid_custom_operator', path: ['options', 'operators', 'bad name'] },
      { code: 'unknown_operator', path: [...first, 'operator'] },
      { code: 'unknown_fact', path: ['rules', 0, 'when', 'all', 1, 'fact'] },
    ]);
    count('config: several problems at once', 1);
  });
});

// ---------------------------------------------------------------------------------------------
// Property: garbage in, parse or typed error out
// ---------------------------------------------------------------------------------------------

const VALID_PURCHASE = {
  id: 'e1',
  customerId: 'c1',
  type: 'purchase',
  orderId: 'o1',
  currency: 'USD',
  occurredAt: AT,
  channel: 'store',
  shipping: '4.99',
  lines: [{ lineId: 'l1', sku: 's1', categories: ['shoes'], tags: ['sale'], quantity: 2, unitPrice: '10.00', discount: '0' }],
};
type Key = string | number;
const LEAF_PATHS: readonly (readonly Key[])[] = [
  ...Object.keys(VALID_PURCHASE).filter((k) => k !== 'lines').map((k) => [k]),
  ['lines'],
  ['lines', 0],
  ...Object.keys(VALID_PURCHASE.lines[0] ?? {}).map((k) => ['lines', 0, k]),
];

/** A deep copy of the valid purchase with the value at `path` replaced (or deleted when `value` is absent). */
function mutate(path: readonly Key[], replace: { readonly value: unknown } | undefined): unknown {
  const copy = structuredClone(VALID_PURCHASE) as unknown as Record<Key, unknown>;
  let parent: Record<Key, unknown> = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<Key, unknown>;
  const last = path[path.length - 1] as Key;
  if (replace === undefined) {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else parent[last] = replace.value;
  return copy;
}

const anything = fc.anything({
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
  withTypedArray: true,
  withUnicodeString: true,
});
type Garbage =
  | { readonly kind: 'raw'; readonly input: unknown }
  | { readonly kind: 'mutation'; readonly path: readonly Key[]; readonly deleted: boolean; readonly input: unknown };
const garbage: fc.Arbitrary<Garbage> = fc.oneof(
  { arbitrary: anything.map((input): Garbage => ({ kind: 'raw', input })), weight: 2 },
  { arbitrary: fc.jsonValue().map((input): Garbage => ({ kind: 'raw', input })), weight: 2 },
  {
    arbitrary: fc
      .record({ path: fc.constantFrom(...LEAF_PATHS), replace: fc.option(fc.record({ value: fc.oneof(anything, fc.jsonValue()) }), { nil: undefined }) })
      .map((m): Garbage => ({ kind: 'mutation', path: m.path, deleted: m.replace === undefined, input: mutate(m.path, m.replace) })),
    weight: 6,
  },
);

/** Where the issues of a one-field mutation must point: the field, or the list it was dropped from. */
function blamed(g: Extract<Garbage, { kind: 'mutation' }>): readonly Key[] {
  return g.deleted && typeof g.path[g.path.length - 1] === 'number' ? g.path.slice(0, -1) : g.path.slice(0, 2);
}

describe('property: parseEvent on garbage either parses or throws LoyaltyError (RELIABILITY 16)', () => {
  test('never another error type; every issue has a string code and an array path', () => {
    const runs = runsFor(3000);
    announce('parseEvent garbage', runs);
    let parsedCount = 0;
    let refused = 0;
    fc.assert(
      fc.property(garbage, (g) => {
        let error: unknown;
        try {
          parseEvent(g.input);
          parsedCount += 1;
          return;
        } catch (e) {
          error = e;
        }
        refused += 1;
        expect(error).toBeInstanceOf(LoyaltyError);
        const issues = (error as LoyaltyError).issues;
        expect(issues.length).toBeGreaterThan(0);
        for (const issue of issues) {
          expect(typeof issue.code).toBe('string');
          expect(issue.code.length).toBeGreaterThan(0);
          expect(Array.isArray(issue.path)).toBe(true);
          for (const part of issue.path) expect(['string', 'number']).toContain(typeof part);
          expect(typeof issue.message).toBe('string');
        }
        // One field broken in a valid purchase: some issue names it, unless the type itself changed.
        if (g.kind === 'mutation' && g.path[0] !== 'type') {
          const prefix = blamed(g);
          const named = issues.some((issue) => prefix.every((k, i) => issue.path[i] === k));
          expect(named, `issues ${JSON.stringify(issues)} do not name ${JSON.stringify(g.path)}`).toBe(true);
        }
      }),
      { seed: FC_SEED, numRuns: runs },
    );
    console.log(`[fast-check] parseEvent garbage: ${runs} runs, ${parsedCount} parsed, ${refused} refused with a LoyaltyError`);
    expect(parsedCount + refused).toBe(runs);
    count('property: garbage events', runs);
  });
});

// ---------------------------------------------------------------------------------------------
// RELIABILITY 17: nothing in a config or an event runs as code
// ---------------------------------------------------------------------------------------------

const PAYLOADS = [
  "'); globalThis.__pwned = 1; ('",
  '"); globalThis.__pwned = 1; ("',
  '`; globalThis.__pwned = 1; `',
  '${globalThis.__pwned = 1}',
  '*/ globalThis.__pwned = 1; /*',
  '\n globalThis.__pwned = 1; //',
  '\u2028globalThis.__pwned = 1;',
  '</script><script>globalThis.__pwned = 1</script>',
  'constructor.constructor("globalThis.__pwned = 1")()',
] as const;

const pwned = (): unknown => (globalThis as { __pwned?: unknown }).__pwned;

describe('untrusted configs never execute (RELIABILITY 17)', () => {
  afterAll(() => {
    expect(pwned()).toBeUndefined();
  });

  const facts: Record<string, RegisteredFact> = Object.fromEntries(
    PAYLOADS.map((p, i) => [`x.${i}${p}`, { type: 'string', description: p, compute: () => p } satisfies RegisteredFact]),
  );
  const factNames = Object.keys(facts);
  const config = {
    ...base,
    name: PAYLOADS[0],
    rules: [
      {
        id: 'code-as-data',
        name: PAYLOADS[2],
        on: 'custom' as const,
        award: fixed,
        when: {
          name: '`${globalThis.__pwned = 1}`',
          all: [
            // Each strange fact equals its own strange value, through `equal` and a fact reference.
            ...factNames.map((fact, i) => ({ fact, operator: 'equal', value: PAYLOADS[i], name: `\`${PAYLOADS[i] ?? ''}\`` })),
            ...factNames.map((fact) => ({ fact, operator: 'equal', value: { fact } })),
            // A long list (compiled with indexOf) and a short one (inlined ===).
            { fact: factNames[0] ?? '', operator: 'in', value: [...PAYLOADS, ...PAYLOADS.map((p) => `${p} `)] },
            { fact: factNames[1] ?? '', operator: 'in', value: [PAYLOADS[1], PAYLOADS[2]] },
            { fact: 'event.attributes', path: '$.note', operator: 'equal', value: PAYLOADS[3] },
            { fact: 'event.attributes', path: '$.tags', operator: 'contains', value: PAYLOADS[4] },
            { not: { fact: 'event.name', operator: 'equal', value: PAYLOADS[5] } },
          ],
        },
      },
    ],
  };

  const event = (id: string, note: string) =>
    parseEvent({ id, customerId: 'c1', type: 'custom', name: 'check_in', occurredAt: AT, attributes: { note, tags: [PAYLOADS[4], PAYLOADS[6]] } });

  for (const compile of ['codegen', 'closure'] as const) {
    test(`${compile}: strange names and values are compared as data`, () => {
      const program = defineProgram(config, { facts, compile });
      expect(program.compileMode).toBe(compile);
      expect(pwned()).toBeUndefined();
      const account = openAccount(program, 'c1');
      const hit = evaluate(program, account, event('inj-1', PAYLOADS[3]), { now: new Date('2027-03-11T00:00:00Z') });
      expect(hit.ok).toBe(true);
      const earned = hit.ok && hit.transaction ? hit.transaction.entries.filter((e) => e.kind === 'earn').length : 0;
      expect(earned).toBe(1);
      const miss = evaluate(program, account, event('inj-2', `${PAYLOADS[3]} `), { now: new Date('2027-03-11T00:00:00Z') });
      expect(miss.ok && miss.transaction ? miss.transaction.entries.filter((e) => e.kind === 'earn').length : 0).toBe(0);
      expect(pwned()).toBeUndefined();
      count('config: code in names and values (defined, evaluated)', 2);
    });

    test(`${compile}: code in operators, fact names, paths and custom operator names is refused cleanly`, () => {
      const hostile: readonly { readonly config: unknown; readonly options?: DefineProgramOptions; readonly code: string }[] = [
        ...PAYLOADS.map((p) => ({ config: when({ all: [leaf({ operator: p })] }), code: 'unknown_operator' })),
        ...PAYLOADS.map((p) => ({ config: when({ all: [leaf({ operator: `not:${p}` })] }), code: 'unknown_operator' })),
        ...PAYLOADS.map((p) => ({ config: when({ all: [leaf({ fact: p })] }), code: 'unknown_fact' })),
        ...PAYLOADS.map((p) => ({ config: when({ all: [leaf({ fact: 'customer.attributes', path: `$.a${p}` })] }), code: p.includes('constructor') ? 'forbidden_path' : 'invalid_path' })),
        ...PAYLOADS.map((p) => ({ config: base, options: { operators: { [p]: () => true } }, code: 'invalid_custom_operator' })),
        ...PAYLOADS.map((p) => ({ config: withRule({ id: p }), code: 'invalid_format' })),
        ...PAYLOADS.map((p) => ({ config: when({ all: [{ condition: p }] }), code: 'missing_condition' })),
      ];
      for (const h of hostile) {
        const error = thrown(() => defineProgram(h.config as never, { ...h.options, compile }));
        expect(error).toBeInstanceOf(ProgramConfigError);
        expect(error.code).toBe(h.code);
        expect(pwned()).toBeUndefined();
      }
      count('config: code in operators and names (refused)', hostile.length);
    });
  }
});

// ---------------------------------------------------------------------------------------------
// Summary
// ---------------------------------------------------------------------------------------------

describe('summary', () => {
  test('prints the classes tried and how many inputs each', () => {
    const lines = [...tried.entries()].map(([cls, n]) => `  ${cls}: ${n}`);
    const total = [...tried.values()].reduce((a, b) => a + b, 0);
    console.log(`[bad input] ${tried.size} classes, ${total} inputs\n${lines.join('\n')}`);
    const tableClasses = new Set([
      ...EVENT_CASES.map((c) => `event: ${c.cls}`),
      ...CUSTOMER_CASES.map((c) => `customer: ${c.cls}`),
      ...CONFIG_CASES.map((c) => `config: ${c.cls}`),
    ]);
    for (const cls of tableClasses) expect(tried.has(cls), `class ${cls} was not tried`).toBe(true);
    expect(tried.size).toBeGreaterThanOrEqual(tableClasses.size);
    expect(total).toBeGreaterThanOrEqual(EVENT_CASES.length * 2 + CUSTOMER_CASES.length + CONFIG_CASES.length);
  });
});
