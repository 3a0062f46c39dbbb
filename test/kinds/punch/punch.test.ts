// The punch kind (SPEC §8): stamp cards through the pure core and through the service.
import { describe, expect, test } from 'vitest';
import { createLoyalty, defineProgram, fixedClock, memoryStore, ProgramConfigError } from '../../../src';
import { adjust, balanceAt, nextDueAt, parseEvent, reverse } from '../../../src/core';
import { adjustRequestSchema, reverseRequestSchema } from '../../../src/schemas';
import type { Entry, LoyaltyEvent, Notification, Program, ProgramConfigInput, InstantInput } from '../../../src';
import type { CardState, Decision } from '../../../src/core';
import { Ledger as Harness } from '../../harness';
import { requestsAtTheirInstant } from '../../request-clock';

const ZONE = 'America/New_York';
type PunchInput = Extract<ProgramConfigInput, { kind: 'punch' }>;
type CardInput = PunchInput['cards'][number];

/** A punch program with one card, `night`: 10 nights, any line of category `night`, worth their average. */
function nights(card: Partial<CardInput> = {}, extra: Partial<PunchInput> = {}): Program {
  return defineProgram({
    kind: 'punch',
    id: 'nights',
    version: 1,
    currency: 'USD',
    timeZone: ZONE,
    cards: [{ id: 'night', required: 10, qualifying: { categories: ['night'] }, reward: { kind: 'value', of: 'average' }, ...card }],
    ...extra,
  });
}

/** 15:00Z is 10:00 or 11:00 in New York: the UTC date is the local date. */
const day = (d: number, minute = 0) => new Date(Date.UTC(2027, 2, 10 + d, 15, minute)).toISOString() as Exclude<InstantInput, Date>;

let seq = 0;
/** A purchase of `lines` (a line is [unit price, quantity, category?]). */
function stay(lines: readonly (readonly [string, number, string?])[], at = day(0), id?: string): LoyaltyEvent {
  seq += 1;
  const eid = id ?? `p${seq}`;
  return parseEvent({
    id: eid,
    customerId: 'c1',
    type: 'purchase',
    orderId: `o-${eid}`,
    currency: 'USD',
    occurredAt: at,
    lines: lines.map(([unitPrice, quantity, category], i) => ({ lineId: `l${i + 1}`, sku: category === 'coffee' ? 'latte' : 'room', quantity, unitPrice, categories: [category ?? 'night'] })),
  });
}
const night = (price: string, at = day(0), id?: string): LoyaltyEvent => stay([[price, 1]], at, id);
function refund(orderId: string, lines: { lineId: string; quantity: number }[], at = day(20)): LoyaltyEvent {
  seq += 1;
  return parseEvent({ id: `r${seq}`, customerId: 'c1', type: 'refund', orderId, occurredAt: at, lines });
}

/** A ledger over the pure core: a refusal throws, the fold is checked after each step; cards, punches and credit. */
class Ledger extends Harness {
  constructor(program: Program) {
    super(program, { checkEachStep: true, refusal: (issues) => `refused: ${issues.map((i) => i.message).join('; ')}` });
  }
  card(id = 'night'): CardState {
    const c = this.account.kinds[`card:${id}`];
    if (c?.kind !== 'card') throw new Error(`no card ${id}`);
    return c;
  }
  punches(at: string, id = 'night'): string {
    return balanceAt(this.account, new Date(at), `punch:${id}`).available.toString();
  }
  credit(at: string): string {
    return balanceAt(this.account, new Date(at), 'credit:USD').available.toFixed(2);
  }
}

const entries = (d: Decision): readonly Entry[] => (d.ok && d.transaction ? d.transaction.entries : []);
const notes = (d: Decision, type: Notification['type']): Notification[] => (d.ok ? d.notifications.filter((n) => n.type === type) : []);
const completedValues = (d: Decision): string[] => notes(d, 'card.completed').map((n) => (n.type === 'card.completed' ? (n.reward.value?.toFixed(2) ?? n.reward.sku ?? '') : ''));
const stateReason = (d: Decision): string => entries(d).flatMap((e) => (e.kind === 'state' ? [e.reason] : [])).join(' | ');
const credits = (d: Decision): string[] => entries(d).flatMap((e) => (e.kind === 'earn' && e.unit === 'credit:USD' ? [e.lot.amount.toFixed(2)] : []));

describe('acceptance (SPEC §8)', () => {
  test('10 night purchases at $100–$190, over 5 days at 2 a day, complete a card worth their average: $145.00', () => {
    const l = new Ledger(nights({ limits: { perDay: 2 } }));
    const decisions = Array.from({ length: 10 }, (_, i) => l.event(night(String(100 + 10 * i), day(Math.floor(i / 2), i))));
    for (const d of decisions.slice(0, 9)) expect(completedValues(d)).toEqual([]);
    expect(notes(decisions[8] as Decision, 'punch.refused')).toEqual([]);
    const last = decisions[9] as Decision;
    expect(completedValues(last)).toEqual(['145.00']);
    expect(credits(last)).toEqual(['145.00']);
    const burn = entries(last).find((e) => e.kind === 'redeem');
    expect(burn?.kind === 'redeem' && [burn.unit, burn.rewardId, burn.draws.length, burn.draws.reduce((s, d) => s + d.amount.toNumber(), 0)]).toEqual(['punch:night', 'night', 10, 10]);
    expect([l.card().count, l.card().completed, l.punches(day(5)), l.credit(day(5))]).toEqual([0, 1, '0', '145.00']);
  });

  test('nine nights at $100.00 and one at $100.05: average $100.005 → $100.01 half-up; min $100.00; max $100.05', () => {
    const outcome = (of: 'average' | 'min' | 'max'): string[] => {
      const l = new Ledger(nights({ reward: { kind: 'value', of } }));
      for (let i = 0; i < 9; i++) l.event(night('100.00', day(i)));
      return completedValues(l.event(night('100.05', day(9))));
    };
    expect(outcome('average')).toEqual(['100.01']);
    expect(outcome('min')).toEqual(['100.00']);
    expect(outcome('max')).toEqual(['100.05']);
  });

  test('one order of 3 nights on a card that holds 8 completes it, and 1 punch carries to the next card', () => {
    const l = new Ledger(nights({ expiryDays: 365 }));
    for (let i = 0; i < 8; i++) l.event(night('120.00', day(i)));
    expect(l.card().count).toBe(8);
    const d = l.event(stay([['150.00', 3]], day(8)));
    expect(completedValues(d)).toEqual([((8 * 120 + 2 * 150) / 10).toFixed(2)]); // 126.00: the card took 2 of the 3
    expect([l.card().count, l.card().completed, l.punches(day(9))]).toEqual([1, 1, '1']);
    expect(l.card().punches.map((g) => [g.lineId, g.count, g.net.toFixed(2)])).toEqual([['l1', 1, '450.00']]);
    // The carried punch starts the new card: its expiry counts from this order.
    expect(l.card().startedAt?.toISOString()).toBe(day(8));
    expect(l.card().expiresAt?.toISOString()).toBe('2028-03-17T15:00:00.000Z');
    expect(stateReason(d)).toMatch(/1 punch carried to the next card/);
  });

  test('a limit of 2 punches per day holds, and a 3rd night on one day is refused with its reason', () => {
    const l = new Ledger(nights({ limits: { perDay: 2 } }));
    l.event(night('100.00', day(0, 1)));
    l.event(night('100.00', day(0, 2)));
    const third = l.event(night('100.00', day(0, 3)));
    const refused = notes(third, 'punch.refused');
    expect(refused.map((n) => n.type === 'punch.refused' && [n.cardId, n.lineId, n.reason])).toEqual([
      ['night', 'l1', 'limit of 2 punches per day reached on 2027-03-10 (America/New_York; 2 punches already that day): 1 punch refused'],
    ]);
    expect(stateReason(third)).toContain('limit of 2 punches per day reached');
    expect(entries(third).some((e) => e.kind === 'earn')).toBe(false);
    expect(l.card().count).toBe(2);
    // The next day counts afresh; and an order of 3 on one day gets 2, not nothing.
    const big = l.event(stay([['100.00', 3]], day(1)));
    expect([l.card().count, notes(big, 'punch.refused').length]).toEqual([4, 1]);
  });
});

describe('counting, rewards and rollover', () => {
  test('countBy order: one punch per order with a qualifying line, at its first qualifying line’s unit price', () => {
    const l = new Ledger(nights({ countBy: 'order', required: 2, reward: { kind: 'value', of: 'max' } }));
    l.event(stay([['10.00', 2, 'spa'], ['100.00', 3], ['300.00', 1]], day(0)));
    expect([l.card().count, l.card().punches[0]?.lineId]).toEqual([1, 'l2']);
    const d = l.event(stay([['80.00', 5]], day(1)));
    expect(completedValues(d)).toEqual(['100.00']);
  });

  test('free item: 9 coffees, the 10th free — card.completed and reward.issued with the sku and a code, no credit', () => {
    const program = defineProgram({
      kind: 'punch',
      id: 'cafe',
      version: 1,
      currency: 'USD',
      timeZone: ZONE,
      cards: [{ id: 'coffee', name: 'Coffee card', required: 9, qualifying: { skus: ['latte'] }, reward: { kind: 'free_item', sku: 'latte' } }],
    });
    const l = new Ledger(program);
    for (let i = 0; i < 8; i++) l.event(stay([['4.50', 1, 'coffee']], day(i)));
    const d = l.event(stay([['4.50', 1, 'coffee']], day(8)));
    expect(completedValues(d)).toEqual(['latte']);
    const issued = notes(d, 'reward.issued')[0];
    expect(issued?.type === 'reward.issued' && [issued.reward.kind, issued.reward.sku, issued.reward.rewardId, issued.reward.cost.toString(), issued.reward.code.length > 0]).toEqual(['free_product', 'latte', 'coffee', '9', true]);
    expect(credits(d)).toEqual([]);
    expect(l.card('coffee').completed).toBe(1);
  });

  test('one order completes several cards: rollover across 2 cards, each worth its own punches', () => {
    const l = new Ledger(nights({ required: 3 }));
    l.event(night('90.00', day(0)));
    const d = l.event(stay([['120.00', 4], ['60.00', 3]], day(1)));
    // Card 1: 90, 120, 120 → 110.00; card 2: 120, 120, 60 → 100.00; 2 carried (60, 60).
    expect(completedValues(d)).toEqual(['110.00', '100.00']);
    expect(credits(d)).toEqual(['110.00', '100.00']);
    expect(entries(d).filter((e) => e.kind === 'redeem')).toHaveLength(2);
    expect([l.card().count, l.card().completed, l.credit(day(2))]).toEqual([2, 2, '210.00']);
    expect(l.card().punches.map((g) => [g.lineId, g.count])).toEqual([['l2', 2]]);
  });

  test('a per-order limit awards the allowed punches and refuses the rest with its reason', () => {
    const l = new Ledger(nights({ limits: { perOrder: 2 } }));
    const d = l.event(stay([['100.00', 1], ['100.00', 4]], day(0)));
    expect(l.card().count).toBe(2);
    expect(notes(d, 'punch.refused').map((n) => n.type === 'punch.refused' && [n.lineId, n.reason])).toEqual([['l2', 'limit of 2 punches per order reached: 3 punches refused']]);
  });

  test('lines that do not qualify, are excluded by the program, or are free never punch', () => {
    const l = new Ledger(nights({}, { eligibility: { exclude: { tags: ['comp'] } } }));
    l.event(
      parseEvent({
        id: 'mixed',
        customerId: 'c1',
        type: 'purchase',
        orderId: 'mixed',
        currency: 'USD',
        occurredAt: day(0),
        lines: [
          { lineId: 'a', sku: 'spa', quantity: 1, unitPrice: '50' },
          { lineId: 'b', sku: 'room', categories: ['night'], tags: ['comp'], quantity: 1, unitPrice: '100' },
          { lineId: 'c', sku: 'room', categories: ['night'], quantity: 1, unitPrice: '100', discount: '100' },
          { lineId: 'd', sku: 'room', categories: ['night'], quantity: 2, unitPrice: '100' },
        ],
      }),
    );
    expect(l.card().punches.map((g) => [g.lineId, g.count])).toEqual([['d', 2]]);
  });

  test('the value is the net unit price: a line discount lowers each punched night', () => {
    const l = new Ledger(nights({ required: 2, reward: { kind: 'value', of: 'min' } }));
    const d = l.event(parseEvent({ id: 'disc', customerId: 'c1', type: 'purchase', orderId: 'disc', currency: 'USD', occurredAt: day(0), lines: [{ lineId: 'a', sku: 'room', categories: ['night'], quantity: 2, unitPrice: '100.00', discount: '0.01' }] }));
    expect(completedValues(d)).toEqual(['100.00']); // 199.99 / 2 = 99.995 → 100.00 half-up
  });

  test('the program redeems the credit its cards issue, at checkout', () => {
    const program = nights({ required: 1 });
    const l = new Ledger(program);
    l.event(night('80.00', day(0)));
    expect(l.credit(day(1))).toBe('80.00');
    // A manual adjustment of a punch program with value cards is in that credit too.
    l.apply(adjust(program, l.account, adjustRequestSchema.parse({ requestId: 'goodwill', points: '5', actor: 'ops', reason: 'late check-in', at: day(1) })));
    expect(l.credit(day(1))).toBe('85.00');
  });
});

describe('card expiry', () => {
  test('a card expires expiryDays after its first punch: tick expires the punches and starts the card over, once', () => {
    // No expiring-soon notice: tick's generic notice speaks of points, whatever the lot's unit.
    const l = new Ledger(nights({ expiryDays: 30 }, { expiringNoticeDays: 0 }));
    l.event(night('100.00', day(0)));
    l.event(night('100.00', day(5)));
    const expiry = '2027-04-09T14:00:00.000Z'; // 30 calendar days after 10 Mar 10:00 EST: 9 Apr 10:00 EDT
    expect(l.card().expiresAt?.toISOString()).toBe(expiry);
    expect(nextDueAt(l.program, l.account, new Date('2027-04-01T00:00:00Z'))?.toISOString()).toBe(expiry);
    const before = l.tick('2027-04-09T13:59:59Z');
    expect(entries(before).some((e) => e.kind === 'expire')).toBe(false);
    expect(l.punches('2027-04-09T13:59:59Z')).toBe('2');
    expect(l.punches(expiry)).toBe('0'); // read as of the instant, before tick runs
    const d = l.tick(expiry);
    const expired = entries(d).find((e) => e.kind === 'expire');
    expect(expired?.kind === 'expire' && [expired.unit, expired.draws.reduce((s, x) => s + x.amount.toNumber(), 0)]).toEqual(['punch:night', 2]);
    expect(stateReason(d)).toBe(`the card expired at ${expiry}: 2 punches lost`);
    expect([l.card().count, l.card().startedAt, l.card().expiresAt]).toEqual([0, null, null]);
    // Nothing of the card is due any more: only the generic lapse, 60 days after the last stay.
    expect(nextDueAt(l.program, l.account, new Date(expiry))?.toISOString()).toBe(new Date(Date.parse(day(5)) + 60 * 86_400_000).toISOString());
    const again = l.tick(expiry);
    expect(again.ok && again.transaction).toBeNull();
  });

  test('a purchase after the expiry, before any tick, starts a new card; the later tick only expires the old lots', () => {
    const l = new Ledger(nights({ expiryDays: 30 }));
    l.event(night('100.00', day(0)));
    const d = l.event(night('130.00', day(40)));
    expect(stateReason(d)).toMatch(/^the card expired at 2027-04-09T14:00:00.000Z: 1 punch lost; order/);
    expect([l.card().count, l.card().startedAt?.toISOString()]).toEqual([1, day(40)]);
    l.tick(day(41));
    expect([l.card().count, l.punches(day(41))]).toEqual([1, '1']);
  });

  test('completing a card before it expires keeps nothing that can expire; the carried punch expires with the new card', () => {
    const l = new Ledger(nights({ required: 2, expiryDays: 10 }));
    l.event(night('100.00', day(0)));
    l.event(stay([['100.00', 2]], day(9)));
    expect([l.card().count, l.card().expiresAt?.toISOString()]).toEqual([1, day(19)]);
    l.tick(day(10));
    expect(l.card().count).toBe(1);
    l.tick(day(19));
    expect(l.card().count).toBe(0);
  });
});

describe('refunds of punched lines', () => {
  const policies = ['allow_negative', 'available_only'] as const;

  test.each(policies)('before completion (%s): the refunded night leaves the card, and gives its day back', (whenSpent) => {
    const l = new Ledger(nights({ limits: { perDay: 2 } }, { returns: { whenSpent } }));
    const order = stay([['100.00', 1], ['150.00', 1]], day(0));
    l.event(order);
    expect(l.card().count).toBe(2);
    const d = l.event(refund(`o-${order.id}`, [{ lineId: 'l2', quantity: 1 }], day(0, 30)));
    expect(l.card().punches.map((g) => [g.lineId, g.count])).toEqual([['l1', 1]]);
    expect(stateReason(d)).toBe(`refund of order o-${order.id}: 1 punch to take back, 1 punch taken back from the order's own punches, 1 punch left the card`);
    // The refunded punch no longer counts against the day.
    l.event(night('100.00', day(0, 40)));
    expect(l.card().count).toBe(2);
  });

  test('after completion under allow_negative: the used punch is owed, and the next punch repays it', () => {
    const l = new Ledger(nights({ required: 3 }, { returns: { whenSpent: 'allow_negative' } }));
    const order = stay([['100.00', 3]], day(0), 'full');
    l.event(order);
    expect([l.card().count, l.card().completed]).toEqual([0, 1]);
    const d = l.event(refund('o-full', [{ lineId: 'l1', quantity: 1 }], day(1)));
    const claw = entries(d).find((e) => e.kind === 'clawback');
    expect(claw?.kind === 'clawback' && [claw.unit, claw.debt.toString(), claw.draws.length]).toEqual(['punch:night', '1', 0]);
    expect(stateReason(d)).toContain('1 punch a completed card already used owed as debt (return policy allow_negative)');
    expect(l.punches(day(1))).toBe('-1');
    // The credit already issued stays: the return policy acts on punches.
    expect(l.credit(day(1))).toBe('100.00');
    const next = l.event(night('100.00', day(2)));
    expect(stateReason(next)).toContain('1 punch went to repay punches owed since an earlier refund');
    expect([l.card().count, l.punches(day(2))]).toEqual([0, '0']);
    l.event(night('100.00', day(3)));
    expect(l.card().count).toBe(1);
  });

  test('after completion under allow_negative with punches on the current card: they are taken first', () => {
    const l = new Ledger(nights({ required: 3 }, { returns: { whenSpent: 'allow_negative' } }));
    l.event(stay([['100.00', 3]], day(0), 'first'));
    l.event(night('120.00', day(1)));
    l.event(refund('o-first', [{ lineId: 'l1', quantity: 2 }], day(2)));
    expect([l.card().count, l.punches(day(2))]).toEqual([0, '-1']);
  });

  test('after completion under available_only: nothing is taken back from an empty card', () => {
    const l = new Ledger(nights({ required: 3 }, { returns: { whenSpent: 'available_only' } }));
    l.event(stay([['100.00', 3]], day(0), 'avail'));
    const d = l.event(refund('o-avail', [{ lineId: 'l1', quantity: 1 }], day(1)));
    const claw = entries(d).find((e) => e.kind === 'clawback');
    expect(claw?.kind === 'clawback' && [claw.debt.toString(), claw.draws.length]).toEqual(['0', 0]);
    expect(stateReason(d)).toContain('1 punch a completed card already used not taken back (return policy available_only)');
    expect([l.card().count, l.punches(day(1))]).toEqual([0, '0']);
    l.event(night('100.00', day(2)));
    expect(l.card().count).toBe(1);
  });

  test('a refund that spans a completion: the carried punch of the refunded line leaves, the used one follows the policy', () => {
    const l = new Ledger(nights({ required: 3 }, { returns: { whenSpent: 'available_only' } }));
    l.event(night('90.00', day(0)));
    l.event(stay([['100.00', 3]], day(1), 'span'));
    expect(l.card().count).toBe(1);
    l.event(refund('o-span', [{ lineId: 'l1', quantity: 3 }], day(2)));
    expect([l.card().count, l.punches(day(2))]).toEqual([0, '0']);
  });

  test('a full refund of a countBy-order purchase removes its punch; a second refund takes nothing more', () => {
    const l = new Ledger(nights({ countBy: 'order' }));
    l.event(stay([['100.00', 2], ['50.00', 1]], day(0), 'ord'));
    l.event(night('100.00', day(1)));
    expect(l.card().count).toBe(2);
    l.event(refund('o-ord', [{ lineId: 'l1', quantity: 2 }, { lineId: 'l2', quantity: 1 }], day(2)));
    expect(l.card().count).toBe(1);
    const again = l.event(refund('o-ord', [{ lineId: 'l1', quantity: 2 }], day(3)));
    expect(entries(again).some((e) => e.kind === 'clawback')).toBe(false);
    expect(l.card().count).toBe(1);
  });
});

test('a punch purchase is not reversible (its card is kind state): the refusal names why, and the card keeps its punches', () => {
  const program = nights({ required: 3 });
  const l = new Ledger(program);
  const d = l.event(stay([['100.00', 2]], day(0)));
  const tx = d.ok ? d.transaction : null;
  if (!tx) throw new Error('no transaction');
  const refused = reverse(program, l.account, reverseRequestSchema.parse({ requestId: 'rv', transactionId: tx.id, at: day(1) }), tx, [tx]);
  expect(refused.ok ? 'ok' : refused.issues[0].code).toBe('not_reversible');
  expect(l.punches(day(1))).toBe('2');
  expect(l.card().count).toBe(2);
});

describe('the punch program config', () => {
  test('a card names a qualifying SKU or category, card ids are unique, unknown keys are refused', () => {
    const card = { id: 'night', required: 10, qualifying: {}, reward: { kind: 'value', of: 'average' } } as const;
    const codes = (input: unknown): string[] => {
      try {
        defineProgram(input as ProgramConfigInput);
        return [];
      } catch (e) {
        if (!(e instanceof ProgramConfigError)) throw e;
        return e.issues.map((i) => i.code);
      }
    };
    const base = { kind: 'punch', id: 'n', version: 1, currency: 'USD', timeZone: 'UTC' };
    expect(codes({ ...base, cards: [card] })).toEqual(['card_qualifying']);
    expect(codes({ ...base, cards: [{ ...card, qualifying: { skus: ['room'] } }, { ...card, qualifying: { skus: ['room'] } }] })).toEqual(['duplicate_card']);
    // A misspelt limit is refused, never silently ignored.
    expect(codes({ ...base, cards: [{ ...card, qualifying: { skus: ['room'] }, limits: { perday: 2 } }] })).toEqual(['unrecognized_keys']);
  });
});

describe('through createLoyalty', () => {
  test('the Hotels.com card: completion at $145.00, a refused third night, the next card, credit at checkout, a refund; notifications in the outbox; verify = []', async () => {
    const program = nights({ limits: { perDay: 2 } });
    const clock = fixedClock(day(0));
    const loyalty = requestsAtTheirInstant(createLoyalty({ programs: [program], store: memoryStore(), clock }), clock);
    await loyalty.upsertCustomer({ customer: { id: 'c1', enrolledAt: '2027-01-01T00:00:00Z' } });
    const send = async (e: LoyaltyEvent | Record<string, unknown>) => {
      const at = (e as { occurredAt: Date | string }).occurredAt;
      clock.set(at instanceof Date ? at.toISOString() : at);
      const r = await loyalty.process(e as Parameters<typeof loyalty.process>[0]);
      expect(await loyalty.verify({ customerId: 'c1', programId: 'nights' })).toEqual([]);
      return r;
    };
    const raw = (i: number, price: string, quantity = 1, d = Math.floor(i / 2)) => ({
      id: `n${i}`,
      customerId: 'c1',
      type: 'purchase',
      orderId: `stay-${i}`,
      currency: 'USD',
      occurredAt: day(d, i),
      lines: [{ lineId: 'room', sku: 'room', categories: ['night'], quantity, unitPrice: price }],
    });
    for (let i = 0; i < 9; i++) await send(raw(i, String(100 + 10 * i)));
    const done = await send(raw(9, '190.00')); // the 10th night, the 2nd of day 4, completes the card
    expect(done.outcomes[0]?.ok && done.outcomes[0].notifications.map((n) => n.type)).toEqual(['card.completed']);
    const refused = await send(raw(10, '150.00', 1, 4)); // a third night on day 4
    expect(refused.outcomes[0]?.ok && refused.outcomes[0].notifications.map((n) => n.type)).toEqual(['punch.refused']);
    await send(raw(11, '200.00', 2, 5)); // two nights on the next card
    const view = await loyalty.account({ customerId: 'c1', programId: 'nights' });
    expect([view.balance.available.toFixed(2), view.balances['punch:night']?.available.toString()]).toEqual(['145.00', '2']);
    const card = view.state.kinds['card:night'];
    expect(card?.kind === 'card' && [card.count, card.completed]).toEqual([2, 1]);

    const outbox = (await loyalty.outbox({ limit: 1000 })).map((r) => r.notification);
    const completed = outbox.find((n) => n.type === 'card.completed');
    expect(completed?.type === 'card.completed' && [completed.cardId, completed.reward.value?.toFixed(2), completed.reward.currency]).toEqual(['night', '145.00', 'USD']);
    expect(outbox.filter((n) => n.type === 'punch.refused').map((n) => n.type === 'punch.refused' && n.reason)).toEqual([
      'limit of 2 punches per day reached on 2027-03-14 (America/New_York; 2 punches already that day): 1 punch refused',
    ]);

    // A replay changes nothing; the credit pays at checkout.
    expect((await send(raw(11, '200.00', 2, 5))).replayed).toBe(true);
    const q = await loyalty.quote({ customerId: 'c1', programId: 'nights', order: { currency: 'USD', lines: [{ lineId: 'room', sku: 'room', quantity: 1, unitPrice: '200.00' }] }, points: 'max', at: day(5, 30) });
    expect(q.discount.toFixed(2)).toBe('145.00');

    // Refund the two nights on the new card: they leave it, and nothing is due any more.
    await send({ id: 'ref', customerId: 'c1', type: 'refund', orderId: 'stay-11', occurredAt: day(6), lines: [{ lineId: 'room', quantity: 2 }] });
    const after = await loyalty.account({ customerId: 'c1', programId: 'nights' });
    const c2 = after.state.kinds['card:night'];
    expect(c2?.kind === 'card' && [c2.count, c2.expiresAt]).toEqual([0, null]);
    expect(after.lots.filter((lot) => lot.unit === 'punch:night')).toEqual([]);
  });

  test('card expiry through tickDue', async () => {
    // No expiring-soon notice: tick's generic notice speaks of points, whatever the lot's unit.
    const program = nights({ expiryDays: 30 }, { expiringNoticeDays: 0 });
    const clock = fixedClock(day(0));
    const loyalty = requestsAtTheirInstant(createLoyalty({ programs: [program], store: memoryStore(), clock }), clock);
    await loyalty.upsertCustomer({ customer: { id: 'c1', enrolledAt: '2027-01-01T00:00:00Z' } });
    await loyalty.process({ id: 'a', customerId: 'c1', type: 'purchase', orderId: 'a', currency: 'USD', occurredAt: day(0), lines: [{ lineId: 'r', sku: 'room', categories: ['night'], quantity: 3, unitPrice: '99' }] });
    expect((await loyalty.account({ customerId: 'c1', programId: 'nights' })).nextDueAt?.toISOString()).toBe('2027-04-09T14:00:00.000Z');
    expect(await loyalty.tickDue({ now: new Date('2027-04-09T13:59:59Z') })).toEqual({ ticked: 0, changed: 0, failed: [] });
    expect(await loyalty.tickDue({ now: new Date('2027-04-09T14:00:00Z') })).toEqual({ ticked: 1, changed: 1, failed: [] });
    const view = await loyalty.account({ customerId: 'c1', programId: 'nights', at: new Date('2027-04-09T14:00:00Z') });
    const card = view.state.kinds['card:night'];
    expect(card?.kind === 'card' && card.count).toBe(0);
    expect(view.lots).toEqual([]);
    expect(await loyalty.verify({ customerId: 'c1', programId: 'nights' })).toEqual([]);
    expect(await loyalty.tickDue({ now: new Date('2027-04-10T15:00:00Z') })).toEqual({ ticked: 0, changed: 0, failed: [] });
  });
});
