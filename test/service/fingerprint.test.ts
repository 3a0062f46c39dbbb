// The hashed idempotency fingerprint: the SHA-256 in src/service/sha256.ts is node:crypto's, and
// records stored before the hash (their fingerprint is the canonical text itself) still replay,
// and still refuse a changed payload.
import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { createLoyalty, defineProgram, fixedClock, memoryStore } from '../../src';
import type { LoyaltyEventInput } from '../../src';
import { parseEvent } from '../../src/service/loyalty';
import { sha256Hex, sha256OfPieces } from '../../src/service/sha256';
import { canonicalEvent, eventFingerprint } from '../../src/service/canonical';
import { eventKey } from '../../src/service/context';
import { announce, FC_SEED, runsFor } from '../properties/seed';
import { nearValid, wellFormed } from '../schema/event-arbitraries';
import { rejection } from '../rejection';

describe('sha256Hex', () => {
  test('known digests, block boundaries included', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    for (const n of [55, 56, 63, 64, 65, 119, 120, 1000]) expect(sha256Hex('a'.repeat(n))).toBe(createHash('sha256').update('a'.repeat(n)).digest('hex'));
  });

  test('equals node:crypto on any text, in UTF-8', () => {
    const runs = runsFor(300);
    announce('sha256 vs node:crypto', runs);
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (text) => {
        expect(sha256Hex(text)).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
      }),
      { seed: FC_SEED, numRuns: runs },
    );
  });
});

describe('sha256OfPieces', () => {
  test('the digest of the pieces is the digest of their concatenation, however the text is cut (at code points)', () => {
    const runs = runsFor(300);
    announce('sha256 of pieces vs node:crypto', runs);
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme', maxLength: 90 }), { maxLength: 12 }), (pieces) => {
        const whole = pieces.join('');
        expect(sha256OfPieces((add) => pieces.forEach((p) => add(p)))).toBe(createHash('sha256').update(whole, 'utf8').digest('hex'));
      }),
      { seed: FC_SEED, numRuns: runs },
    );
  });
});

describe('event fingerprint', () => {
  test('of any parsed event: sha256: and node:crypto\'s hash of its canonical text (written straight into the hash)', () => {
    const runs = runsFor(300);
    announce('fingerprint vs hash of canonical text', runs);
    fc.assert(
      fc.property(fc.oneof(wellFormed, nearValid), (input) => {
        let event;
        try {
          event = parseEvent(input);
        } catch {
          return;
        }
        expect(eventFingerprint(event)).toBe(`sha256:${createHash('sha256').update(canonicalEvent(event), 'utf8').digest('hex')}`);
      }),
      { seed: FC_SEED, numRuns: runs },
    );
  });

  const program = defineProgram({ kind: 'points', id: 'rewards', version: 1, currency: 'USD', timeZone: 'UTC', rules: [{ id: 'base', on: 'purchase', award: { kind: 'per_amount', points: 1, per: 1 } }] });
  const order = (price: string): LoyaltyEventInput => ({ id: 'e1', customerId: 'c1', type: 'purchase', occurredAt: '2027-03-01T10:00:00Z', orderId: 'o1', currency: 'USD', lines: [{ lineId: 'l1', sku: 's', quantity: 1, unitPrice: price as `${number}` }] });

  test('is sha256: and the hash of the canonical text', () => {
    const event = parseEvent(order('80.00'));
    expect(eventFingerprint(event)).toBe(`sha256:${sha256Hex(canonicalEvent(event))}`);
    expect(eventFingerprint(parseEvent(order('80')))).toBe(eventFingerprint(event));
    expect(eventFingerprint(parseEvent(order('81')))).not.toBe(eventFingerprint(event));
  });

  test('a record stored before the hash (fingerprint = canonical text) still replays, and still refuses a changed payload', async () => {
    const store = memoryStore();
    const loyalty = createLoyalty({ programs: [program], store, clock: fixedClock('2027-03-02T00:00:00Z') });
    await loyalty.upsertCustomer({ customer: { id: 'c1', enrolledAt: '2027-01-01T00:00:00Z' } });
    const first = await loyalty.process(order('80'));
    // Rewrite the stored record as an older version of the library wrote it.
    await store.unit(async (s) => {
      const record = await s.getProcessed(eventKey('e1'));
      if (!record) throw new Error('no record');
      expect(record.fingerprint.startsWith('sha256:')).toBe(true);
      await s.append([], { ...record, fingerprint: canonicalEvent(parseEvent(order('80'))) }, []);
    });
    const again = await loyalty.process(order('80.00'));
    expect(again).toEqual({ ...first, replayed: true });
    expect((await rejection(loyalty.process(order('81')))).code).toBe('idempotency_conflict');
    const [many] = await loyalty.processMany([order('80.0')]);
    expect(many?.ok && many.result.replayed).toBe(true);
  });
});
