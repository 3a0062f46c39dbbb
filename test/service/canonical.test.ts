// The idempotency fingerprint (src/service/canonical.ts): the one-pass writer for purchases and
// refunds gives byte for byte the generic encoder's text (so records stored before it still match
// on replay), identical payloads give identical texts, and different payloads different ones.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { parseEvent } from '../../src/service/loyalty';
import { createHash } from 'node:crypto';
import { canonicalEvent, eventFingerprint, legacyCanonicalEvent } from '../../src/service/canonical';
import { nearValid, wellFormed, type Json } from '../schema/event-arbitraries';
import { announce, FC_SEED, runsFor } from '../properties/seed';

const parsedOrNone = (input: unknown) => {
  try {
    return parseEvent(input);
  } catch {
    return undefined;
  }
};

describe('canonical event text', () => {
  test('the one-pass text of every parsed event equals the generic sorted-key text', () => {
    const runs = runsFor(400);
    announce('canonical text vs generic', runs);
    let fastShapes = 0;
    fc.assert(
      fc.property(fc.oneof(wellFormed, nearValid), (input) => {
        const event = parsedOrNone(input);
        if (event === undefined) return;
        if (event.type === 'purchase' || event.type === 'refund') fastShapes += 1;
        expect(canonicalEvent(event)).toBe(legacyCanonicalEvent(event));
      }),
      { seed: FC_SEED, numRuns: runs },
    );
    expect(fastShapes).toBeGreaterThan(runs / 4);
  });

  test('equal payloads give equal texts whatever their input form; any changed field gives another text', () => {
    const order = { id: 'e1', customerId: 'c1', type: 'purchase', occurredAt: '2027-01-31T10:00:00Z', orderId: 'o1', currency: 'USD', lines: [{ lineId: 'l1', sku: 's', quantity: 2, unitPrice: '80' }] };
    const same = { ...order, occurredAt: new Date('2027-01-31T11:00:00+01:00'), shipping: '0.00', lines: [{ lineId: 'l1', sku: 's', quantity: 2, unitPrice: 80, discount: 0, tags: [] }] };
    expect(canonicalEvent(parseEvent(same))).toBe(canonicalEvent(parseEvent(order)));
    // The customer id is not part of the text (a replay under another customer is refused apart).
    expect(canonicalEvent(parseEvent({ ...order, customerId: 'c2' }))).toBe(canonicalEvent(parseEvent(order)));
    const changed: Json[] = [
      { ...order, orderId: 'o2' },
      { ...order, channel: 'app' },
      { ...order, programId: 'p' },
      { ...order, storeId: '1' },
      { ...order, tax: '1' },
      { ...order, shipping: '1' },
      { ...order, pointsRedeemed: '1' },
      { ...order, attributes: { a: 1 } },
      { ...order, occurredAt: '2027-01-31T10:00:01Z' },
      { ...order, lines: [{ lineId: 'l1', sku: 's', quantity: 3, unitPrice: '80' }] },
      { ...order, lines: [{ lineId: 'l1', sku: 's', quantity: 2, unitPrice: '80.01' }] },
      { ...order, lines: [{ lineId: 'l1', sku: 's', quantity: 2, unitPrice: '80', discount: '1' }] },
      { ...order, lines: [{ lineId: 'l1', sku: 's', quantity: 2, unitPrice: '80', categories: ['a'] }] },
      { ...order, lines: [{ lineId: 'l1', sku: 's', quantity: 2, unitPrice: '80', tags: ['a'] }] },
      { ...order, lines: [{ lineId: 'l2', sku: 's', quantity: 2, unitPrice: '80' }] },
      { ...order, lines: [{ lineId: 'l1', sku: 't', quantity: 2, unitPrice: '80' }] },
      { ...order, type: 'refund', lines: [{ lineId: 'l1', quantity: 2 }], currency: undefined },
    ].map((e) => Object.fromEntries(Object.entries(e).filter(([, v]) => v !== undefined)));
    const texts = [order, ...changed].map((e) => canonicalEvent(parseEvent(e)));
    expect(new Set(texts).size).toBe(texts.length);
  });

  test('different well-formed payloads give different texts', () => {
    const runs = runsFor(200);
    announce('canonical text distinct', runs);
    fc.assert(
      fc.property(wellFormed, wellFormed, (a, b) => {
        const x = parseEvent(a);
        const y = parseEvent({ ...b, customerId: x.customerId });
        const equalPayloads = legacyCanonicalEvent(x) === legacyCanonicalEvent(y);
        expect(canonicalEvent(x) === canonicalEvent(y)).toBe(equalPayloads);
      }),
      { seed: FC_SEED, numRuns: runs },
    );
  });
});

describe('canonical text of strings that JSON escapes', () => {
  // The one-pass writer puts a plain string between its quotes as is, and hands any other to
  // JSON.stringify: both must give the generic encoder's text, and the fingerprint its hash.
  const awkward = ['a"b', 'back\\slash', 'tab\there', 'nl\n', '\u0001', 'café', '😀 pair', 'lone \ud800 high', 'lone \udc00 low', '\u007f', '/'];
  test.each(awkward)('%j in the string fields of a purchase', (s) => {
    // Ids refuse control characters: those go in the tags and categories only.
    const inIds = /[\u0000-\u001f\u007f]/.test(s) ? 'x' : s;
    const input = {
      id: `e-${inIds}`,
      customerId: 'c1',
      type: 'purchase',
      occurredAt: '2027-01-01T00:00:00Z',
      orderId: `o-${inIds}`,
      currency: 'EUR',
      channel: 'web',
      storeId: `s-${inIds}`,
      lines: [{ lineId: `l-${inIds}`, sku: `sku-${inIds}`, quantity: 1, unitPrice: '10.00', categories: [s, 'x'], tags: [`t${s}`] }],
    };
    const event = parseEvent(input);
    expect(canonicalEvent(event)).toBe(legacyCanonicalEvent(event));
    expect(eventFingerprint(event)).toBe(`sha256:${createHash('sha256').update(legacyCanonicalEvent(event), 'utf8').digest('hex')}`);
  });
});
