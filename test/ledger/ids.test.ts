// Ids built from user-supplied parts (event, request, rule, card, line ids) must never collide.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { createLoyalty, defineProgram, fixedClock, memoryStore } from '../../src';
import { idPart, lotId, noticeId, noticePrefix, transactionId, type LotIdParts, type TransactionKind } from '../../src/ledger/ids';
import { KIND_EVENT_LOT_TAGS, KIND_YEARLY_LOT_MARKS } from '../../src/kinds/ids';
import { announce, FC_SEED, runsFor } from '../properties/seed';

const program = defineProgram({
  kind: 'points',
  id: 'rewards',
  version: 1,
  currency: 'USD',
  timeZone: 'UTC',
  rules: [{ id: 'base', on: 'purchase', award: { kind: 'per_amount', points: 1, per: 1 } }],
});

describe('lot ids from user-supplied parts', () => {
  test('a purchase with event id "adjust" (rule "base") and an adjustment with request id "base" make two lots; reversing both leaves a sound, empty account', async () => {
    const loyalty = createLoyalty({ programs: [program], store: memoryStore(), clock: fixedClock('2027-03-12T00:00:00Z') });
    await loyalty.upsertCustomer({ customer: { id: 'c1', enrolledAt: '2027-01-01T00:00:00Z' } });
    await loyalty.process({ id: 'adjust', customerId: 'c1', type: 'purchase', orderId: 'o1', currency: 'USD', occurredAt: '2027-03-10T15:00:00Z', lines: [{ lineId: 'l1', sku: 's', quantity: 1, unitPrice: '80' }] });
    const credited = await loyalty.adjust({ customerId: 'c1', programId: 'rewards', requestId: 'base', points: 30, actor: 'agent:kim', reason: 'goodwill' });
    expect(credited.outcome.ok).toBe(true);
    let view = await loyalty.account({ customerId: 'c1', programId: 'rewards' });
    expect(view.balance.available.toString()).toBe('110');
    expect(new Set(view.state.lots.map((l) => l.id)).size).toBe(2);
    expect(await loyalty.verify({ customerId: 'c1', programId: 'rewards' })).toEqual([]);

    const adjustTx = credited.outcome.ok ? credited.outcome.transaction?.id : undefined;
    expect(adjustTx).toBeDefined();
    const reversed = await loyalty.reverse({ customerId: 'c1', programId: 'rewards', requestId: 'r1', transactionId: adjustTx ?? '' });
    expect(reversed.outcome.ok).toBe(true);
    view = await loyalty.account({ customerId: 'c1', programId: 'rewards' });
    expect(view.balance.available.toString()).toBe('80');
    expect(await loyalty.verify({ customerId: 'c1', programId: 'rewards' })).toEqual([]);

    const reversedPurchase = await loyalty.reverse({ customerId: 'c1', programId: 'rewards', requestId: 'r2', transactionId: 'event:adjust' });
    expect(reversedPurchase.outcome.ok).toBe(true);
    view = await loyalty.account({ customerId: 'c1', programId: 'rewards' });
    expect(view.balance.available.toString()).toBe('0');
    expect(view.state.lots).toEqual([]);
    expect(await loyalty.verify({ customerId: 'c1', programId: 'rewards' })).toEqual([]);
  });
});

// Parts that try to fool the encoding: separators, escapes, keywords, empty-looking and unicode strings.
const tricky = fc.constantFrom('', ' ', ':', '::', '%', '%25', '%3A', '%00', '%61djust', 'a:b', 'a%3Ab', 'adjust', 'birthday', 'tier-birthday', '%74ier-birthday', 'event', 'card', 'reward', '2027', '\u200b', 'ｔｗｉｔｔｅｒ', 'é', 'e\u0301', '🎂');
const part = fc.oneof(tricky, fc.string({ maxLength: 6 }), fc.string({ unit: 'grapheme', maxLength: 4 }), fc.array(tricky, { maxLength: 3 }).map((xs) => xs.join('')));
const n = fc.integer({ min: 0, max: 3000 });
const lotParts: fc.Arbitrary<LotIdParts> = fc.oneof(
  fc.record({ kind: fc.constant('rule' as const), eventId: part, ruleId: part }),
  fc.record({ kind: fc.constant('reward' as const), eventId: part, n }),
  fc.record({ kind: fc.constant('reward-taken' as const), eventId: part, n }),
  // The kinds' lots of an event (src/kinds/ids.ts: the punch kind's card lots), with and without a count.
  fc.record({ kind: fc.constant('tagged' as const), tag: fc.constantFrom(...KIND_EVENT_LOT_TAGS), eventId: part, part }),
  fc.record({ kind: fc.constant('tagged' as const), tag: fc.constantFrom(...KIND_EVENT_LOT_TAGS), eventId: part, part, n }),
  fc.record({ kind: fc.constant('adjust' as const), requestId: part }),
  fc.record({ kind: fc.constant('birthday' as const), year: n }),
  fc.record({ kind: fc.constant('yearly' as const), mark: fc.constantFrom(...KIND_YEARLY_LOT_MARKS), year: n }),
);
const txKind = fc.constantFrom<TransactionKind>('event', 'adjust', 'reverse', 'reward', 'redeem', 'cancel', 'hold', 'capture', 'release');

describe('ids are unambiguous (property)', () => {
  test('distinct (kind, parts) tuples give distinct lot ids', () => {
    const runs = runsFor(300);
    announce('distinct lot ids', runs);
    fc.assert(
      fc.property(fc.uniqueArray(lotParts, { minLength: 2, maxLength: 30, selector: (p) => JSON.stringify(p) }), (tuples) => {
        const ids = tuples.map(lotId);
        expect(new Set(ids).size).toBe(ids.length);
      }),
      { seed: FC_SEED, numRuns: runs },
    );
  });

  test('distinct (kind, id) pairs give distinct transaction ids, and distinct (prefix, type, parts) distinct notification ids', () => {
    const runs = runsFor(300);
    announce('distinct transaction and notification ids', runs);
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(txKind, part), { minLength: 2, maxLength: 30, selector: (p) => JSON.stringify(p) }),
        fc.uniqueArray(fc.tuple(txKind, part, fc.constantFrom('points.earned', 'punch.refused', 'card.completed'), fc.array(part, { maxLength: 2 })), { minLength: 2, maxLength: 30, selector: (p) => JSON.stringify(p) }),
        (txs, notices) => {
          const txIds = txs.map(([kind, id]) => transactionId(kind, id));
          expect(new Set(txIds).size).toBe(txIds.length);
          // Notifications of one type carry a fixed number of parts, as the engine builds them.
          const byType = new Map<string, number>();
          const kept = notices.filter(([, , type, parts]) => (byType.get(type) ?? parts.length) === parts.length && byType.set(type, parts.length));
          const noticeIds = kept.map(([kind, id, type, parts]) => noticeId(noticePrefix(kind, id), type, ...parts));
          expect(new Set(noticeIds).size).toBe(noticeIds.length);
        },
      ),
      { seed: FC_SEED, numRuns: runs },
    );
  });

  test('plain parts read as they always did', () => {
    expect(lotId({ kind: 'rule', eventId: 'p1', ruleId: 'base' })).toBe('p1:base');
    expect(lotId({ kind: 'adjust', requestId: 'a1' })).toBe('adjust:a1');
    expect(lotId({ kind: 'birthday', year: 2027 })).toBe('birthday:2027');
    expect(lotId({ kind: 'rule', eventId: 'adjust', ruleId: 'base' })).toBe('%61djust:base');
    expect(idPart('a:b%')).toBe('a%3Ab%25');
    expect(transactionId('event', 'p1')).toBe('event:p1');
  });
});

describe("the kinds' id shapes (declared in their folders, built here)", () => {
  test('stored ids read byte for byte as when ids.ts named each shape', () => {
    // Punch cards: `<eventId>:card:<cardId>` and `<eventId>:card:<cardId>:<n>`; a tier's birthday gift: `tier-birthday:<year>`.
    expect(lotId({ kind: 'tagged', tag: 'card', eventId: 'ev-1', part: 'night' })).toBe('ev-1:card:night');
    expect(lotId({ kind: 'tagged', tag: 'card', eventId: 'ev-1', part: 'night', n: 2 })).toBe('ev-1:card:night:2');
    expect(lotId({ kind: 'tagged', tag: 'card', eventId: 'a:b', part: 'c:d%', n: 0 })).toBe('a%3Ab:card:c%3Ad%25:0');
    expect(lotId({ kind: 'tagged', tag: 'card', eventId: 'adjust', part: '' })).toBe('%61djust:card:%00');
    expect(lotId({ kind: 'yearly', mark: 'tier-birthday', year: 2027 })).toBe('tier-birthday:2027');
    // The kinds' marks stay reserved: an event id equal to one is escaped where it leads an id.
    expect(lotId({ kind: 'rule', eventId: 'tier-birthday', ruleId: '2027' })).toBe('%74ier-birthday:2027');
    expect(lotId({ kind: 'tagged', tag: 'card', eventId: 'tier-birthday', part: 'x' })).toBe('%74ier-birthday:card:x');
  });

  test("no kind's tag is a generic one or another kind's, and no kind's mark is a keyword or another kind's", () => {
    expect(new Set(KIND_EVENT_LOT_TAGS).size).toBe(KIND_EVENT_LOT_TAGS.length);
    expect(KIND_EVENT_LOT_TAGS.filter((tag) => ['reward', 'reward-taken'].includes(tag))).toEqual([]);
    expect(new Set(KIND_YEARLY_LOT_MARKS).size).toBe(KIND_YEARLY_LOT_MARKS.length);
    expect(KIND_YEARLY_LOT_MARKS.filter((mark) => ['adjust', 'birthday', 'event', 'tick', 'reward', 'redeem', 'reverse', 'cancel', 'hold', 'capture', 'release'].includes(mark))).toEqual([]);
  });
});
