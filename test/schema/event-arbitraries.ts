// Arbitraries of event inputs as hosts send them, shared by the fast validator's property test
// and the canonical-text test: well-formed purchases, refunds and simple events in every accepted
// form (amounts as strings or numbers, instants as Dates or ISO strings with or without time and
// offset), and mutations that make them near-valid or invalid.
import fc from 'fast-check';
import { Decimal } from '../../src/money/decimal';

export type Json = Record<string, unknown>;

// ---- well-formed values, in every form the schemas accept ----
const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
const instantForms = fc.tuple(fc.integer({ min: Date.UTC(1970, 0, 2), max: Date.UTC(9999, 11, 30) }), fc.integer({ min: 0, max: 6 }), fc.integer({ min: -14, max: 14 })).map(([ms, form, offsetHours]) => {
  const d = new Date(ms);
  const day = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  switch (form) {
    case 0: return d;
    case 1: return d.toISOString();
    case 2: return day;
    case 3: return `${day}T${time}Z`;
    case 4: return `${day}T${time}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}123456Z`;
    case 5: return `${day}T${time}:${pad(d.getUTCSeconds())}${offsetHours < 0 ? '-' : '+'}${pad(Math.abs(offsetHours))}:30`;
    default: return `${day}T${time}:00+00:00`;
  }
});
/** Amounts in USD: strings with 0-2 decimals, or JSON numbers. */
const usdAmount = fc.tuple(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: 3 })).map(([cents, form]) => {
  const text = `${Math.floor(cents / 100)}.${pad(cents % 100)}`;
  return form === 0 ? text : form === 1 ? String(Math.floor(cents / 100)) : form === 2 ? cents / 100 : `${Math.floor(cents / 100)}.${cents % 10}`;
});
const id = fc.oneof(fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/), fc.string({ minLength: 1, maxLength: 20 }).filter((s) => !/[\u0000-\u001f\u007f]/.test(s)));
const tags = fc.array(fc.string({ minLength: 1, maxLength: 12 }), { maxLength: 4 });
const attributeName = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,10}$/).filter((k) => !['constructor', 'prototype', '__proto__'].includes(k));
const attributes = fc.dictionary(attributeName, fc.oneof(fc.string({ maxLength: 10 }), fc.boolean(), fc.integer(), fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 })), { maxKeys: 4 });

/** Optional fields: a key is either absent or present with a value, never `undefined`. */
const optional = <T>(key: string, arb: fc.Arbitrary<T>): fc.Arbitrary<Json> => fc.option(arb, { nil: undefined }).map((v) => (v === undefined ? {} : { [key]: v }));
const merge = (parts: Json[]): Json => Object.assign({}, ...parts) as Json;

const baseFields = (type: string) =>
  fc.tuple(fc.record({ id, customerId: id, occurredAt: instantForms, type: fc.constant(type) }), optional('channel', fc.constantFrom('web', 'app', 'store', 'call_center', 'other')), optional('programId', id), optional('attributes', attributes)).map(merge);

const line = (i: number) =>
  fc.tuple(
    fc.record({ lineId: fc.constant(`l${i}`), sku: id, quantity: fc.integer({ min: 1, max: 1_000_000 }), unitPrice: usdAmount }),
    optional('categories', tags),
    optional('tags', tags),
    optional('discount', fc.constantFrom('0', '0.50', 0, '1')),
  ).map(merge).map((l) => (Number(l.unitPrice) * Number(l.quantity) < Number(l.discount ?? 0) ? { ...l, discount: '0' } : l));

const purchase = fc.tuple(
  baseFields('purchase'),
  fc.record({ orderId: id, currency: fc.constant('USD'), lines: fc.integer({ min: 1, max: 4 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => line(i)))) }),
  optional('shipping', usdAmount),
  optional('tax', usdAmount),
  optional('pointsRedeemed', usdAmount),
  optional('storeId', id),
).map(merge);
const positiveUsd = usdAmount.filter((a) => Number(a) > 0);
const refund = fc.oneof(
  fc.tuple(baseFields('refund'), fc.record({ orderId: id, lines: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 3 }).map((qs) => qs.map((quantity, i) => ({ lineId: `l${i}`, quantity }))) }), optional('currency', fc.constant('USD'))).map(merge),
  fc.tuple(baseFields('refund'), fc.record({ orderId: id, amount: positiveUsd, currency: fc.constantFrom('USD', 'EUR') })).map(merge),
);
const others = fc.oneof(
  baseFields('signup'),
  baseFields('newsletter_subscribed'),
  baseFields('membership_cancelled'),
  fc.tuple(baseFields('membership_started'), optional('trial', fc.boolean())).map(merge),
  fc.tuple(baseFields('referral'), fc.record({ referredCustomerId: id, stage: fc.constantFrom('signed_up', 'first_purchase') })).map(merge),
  fc.tuple(baseFields('review'), fc.record({ platform: fc.string({ minLength: 1, maxLength: 50 }), rating: fc.integer({ min: 1, max: 5 }) }), optional('hasPhoto', fc.boolean())).map(merge),
  fc.tuple(baseFields('social_follow'), fc.record({ network: fc.string({ minLength: 1, maxLength: 50 }) })).map(merge),
  fc.tuple(baseFields('custom'), fc.record({ name: fc.stringMatching(/^[A-Za-z0-9_.:-]{1,20}$/) })).map(merge),
);
/** Well-formed inputs of the types the fast path reads: it must answer for every one. */
export const wellFormed = fc.oneof({ weight: 4, arbitrary: purchase }, { weight: 2, arbitrary: refund }, { weight: 2, arbitrary: others });

// ---- mutations: near-valid and invalid inputs ----
const weird = fc.oneof(
  fc.constantFrom<unknown>(undefined, null, '', ' ', 'abc', '1e5', '-1', '-0', '0', '0.001', '19.999', '1'.repeat(31), '9'.repeat(101), 'NaN', 'Infinity', '2027-02-30', '2027-01-31T10:00:00', '2027-01-31T25:00Z', '1969-12-31', '10000-01-01', 'WEB', 'XXX', 'EUR', 'JPY', '\u0000', 'x'.repeat(201)),
  fc.constantFrom<unknown>(0, -1, 1.5, 1e6, 1e6 + 1, 2 ** 53, Number.NaN, Number.POSITIVE_INFINITY, 0.1 + 0.2, true, false, [], [{}], {}, new Date(Number.NaN), new Date('1960-01-01T00:00:00Z')),
  fc.constant(new Decimal('2.5')),
  fc.constant(new Date('2027-01-31T10:00:00Z')),
  fc.anything({ maxDepth: 2 }),
);
const anyKey = fc.oneof(fc.constantFrom('id', 'customerId', 'occurredAt', 'channel', 'programId', 'attributes', 'type', 'orderId', 'currency', 'lines', 'amount', 'shipping', 'tax', 'pointsRedeemed', 'storeId', 'trial', 'stage', 'rating', 'hasPhoto', 'platform', 'network', 'name', 'referredCustomerId', 'extra', '__proto__', 'constructor', 'toString'), fc.string({ maxLength: 6 }));
const lineKey = fc.constantFrom('lineId', 'sku', 'categories', 'tags', 'quantity', 'unitPrice', 'discount', 'extra');

/** Amounts around the rules: decimals beyond the currency's, signs, zero, digit limits, numbers. */
const edgyAmount = fc.oneof(
  fc.tuple(fc.integer({ min: -5, max: 100_000 }), fc.integer({ min: 0, max: 5 })).map(([n, places]) => (places === 0 ? String(n) : `${n}.${'7'.repeat(places)}`)),
  fc.double({ min: -10, max: 1e6, noNaN: true }),
  fc.constantFrom<unknown>('0', '0.0', '00.10', '-0.00', '1'.repeat(30), '1'.repeat(30) + '.0', `0.${'0'.repeat(29)}1`, '1e2', '.5', '5.', ' 5', 5e-7, 1e21),
);
const amountKey = fc.constantFrom('shipping', 'tax', 'pointsRedeemed', 'amount');
const amountLineKey = fc.constantFrom('unitPrice', 'discount', 'quantity');

type Mutation = (input: Json) => Json;
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(amountKey, edgyAmount).map(([k, v]): Mutation => (input) => ({ ...input, [k]: v })),
  fc.tuple(fc.nat(), amountLineKey, fc.oneof(edgyAmount, fc.integer({ min: -2, max: 2_000_000 }))).map(([i, k, v]): Mutation => (input) => {
    const lines = input.lines;
    if (!Array.isArray(lines) || lines.length === 0) return input;
    const copy = [...(lines as Json[])];
    copy[i % copy.length] = { ...copy[i % copy.length], [k]: v };
    return { ...input, lines: copy };
  }),
  fc.constantFrom('JPY', 'BHD', 'EUR', 'usd', 'XXX').map((c): Mutation => (input) => ({ ...input, currency: c })),
  fc.tuple(anyKey, weird).map(([k, v]): Mutation => (input) => Object.defineProperty({ ...input }, k, { value: v, enumerable: true, writable: true, configurable: true })),
  anyKey.map((k): Mutation => (input) => {
    const out = { ...input };
    delete out[k];
    return out;
  }),
  fc.tuple(fc.nat(), lineKey, weird).map(([i, k, v]): Mutation => (input) => {
    const lines = input.lines;
    if (!Array.isArray(lines) || lines.length === 0) return input;
    const copy = [...(lines as Json[])];
    copy[i % copy.length] = { ...copy[i % copy.length], [k]: v };
    return { ...input, lines: copy };
  }),
  fc.constant<Mutation>((input) => (Array.isArray(input.lines) && input.lines.length > 0 ? { ...input, lines: [...(input.lines as unknown[]), (input.lines as unknown[])[0]] } : input)),
  fc.tuple(attributeName, weird).map(([k, v]): Mutation => (input) => ({ ...input, attributes: { ...(input.attributes as Json | undefined), [k]: v } })),
  fc.constant<Mutation>((input) => ({ ...input, attributes: JSON.parse('{"__proto__": 1}') as Json })),
  fc.constant<Mutation>((input) => Object.assign(Object.create({ inherited: 1 }) as Json, input)),
  fc.constant<Mutation>((input) => Object.assign(Object.create(null) as Json, input)),
  fc.constant<Mutation>((input) => ({ ...input, [Symbol('s')]: 1, attributes: { a: 1, [Symbol('t')]: 2 } })),
);
export const nearValid = fc.tuple(wellFormed, fc.array(mutation, { minLength: 1, maxLength: 3 })).map(([input, ms]) => ms.reduce((acc, m) => m(acc), input));

