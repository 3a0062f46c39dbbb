// The punch kind under random purchase / refund / tick / replay sequences through the service:
// conservation and fold = state (`loyalty.verify` = []), idempotent replays, deterministic runs,
// the card always equal to the punches its lots hold, and refunds that never take back more
// punches than were earned (per order and per line).
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { createLoyalty, defineProgram, fixedClock, memoryStore } from '../../../src';
import { transactionText, ledgerBalances } from '../../../src/core';
import { Decimal } from '../../../src/money/decimal';
import type { Entry, Loyalty, Notification, Program, ProcessResult, Transaction } from '../../../src';
import type { AccountState } from '../../../src/core';
import { announce, FC_SEED, runsFor } from '../../properties/seed';
import { cents } from '../../properties/harness';

interface Config {
  readonly required: number;
  readonly countBy: 'quantity' | 'order';
  readonly of: 'average' | 'min' | 'max';
  readonly perDay: number | undefined;
  readonly perOrder: number | undefined;
  readonly expiryDays: number | undefined;
  readonly whenSpent: 'allow_negative' | 'available_only' | 'pending_first';
}

const config: fc.Arbitrary<Config> = fc.record({
  required: fc.integer({ min: 1, max: 5 }),
  countBy: fc.constantFrom('quantity' as const, 'order' as const),
  of: fc.constantFrom('average' as const, 'min' as const, 'max' as const),
  perDay: fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }),
  perOrder: fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }),
  expiryDays: fc.option(fc.integer({ min: 1, max: 10 }), { nil: undefined }),
  whenSpent: fc.constantFrom('allow_negative' as const, 'available_only' as const, 'pending_first' as const),
});

/** Two cards: nights (a value, configured at random) and coffees (a free latte, by order, 3 to fill). */
function programOf(c: Config): Program {
  return defineProgram({
    kind: 'punch',
    id: 'stay',
    version: 1,
    currency: 'USD',
    timeZone: 'America/New_York',
    returns: { whenSpent: c.whenSpent },
    expiringNoticeDays: 2,
    cards: [
      {
        id: 'night',
        required: c.required,
        countBy: c.countBy,
        qualifying: { categories: ['night'] },
        reward: { kind: 'value', of: c.of },
        limits: { ...(c.perDay !== undefined ? { perDay: c.perDay } : {}), ...(c.perOrder !== undefined ? { perOrder: c.perOrder } : {}) },
        ...(c.expiryDays !== undefined ? { expiryDays: c.expiryDays } : {}),
      },
      { id: 'coffee', required: 3, countBy: 'order', qualifying: { skus: ['latte'] }, reward: { kind: 'free_item', sku: 'latte' } },
    ],
  });
}

interface Line {
  readonly what: 'night' | 'latte' | 'spa';
  readonly quantity: number;
  readonly cents: number;
  readonly discount: number;
}
type Command =
  | { kind: 'purchase'; advance: number; lines: Line[] }
  | { kind: 'refund'; advance: number; pick: number; lines: { line: number; quantity: number }[] }
  | { kind: 'refundAmount'; advance: number; pick: number; cents: number }
  | { kind: 'tick'; advance: number }
  | { kind: 'replay'; pick: number };

/** Minutes to the next command: up to 3 days, often the same day. */
const advance = fc.oneof(fc.integer({ min: 0, max: 120 }), fc.integer({ min: 0, max: 3 * 1440 }));
const line: fc.Arbitrary<Line> = fc.record({
  what: fc.constantFrom('night' as const, 'night' as const, 'latte' as const, 'spa' as const),
  quantity: fc.integer({ min: 1, max: 4 }),
  cents: fc.integer({ min: 0, max: 30_000 }),
  discount: fc.integer({ min: 0, max: 500 }),
});
const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('purchase' as const), advance, lines: fc.array(line, { minLength: 1, maxLength: 3 }) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('refund' as const),
      advance,
      pick: fc.nat(),
      lines: fc.array(fc.record({ line: fc.integer({ min: 0, max: 2 }), quantity: fc.integer({ min: 1, max: 4 }) }), { minLength: 1, maxLength: 3 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('refundAmount' as const), advance, pick: fc.nat(), cents: fc.integer({ min: 1, max: 40_000 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('tick' as const), advance }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('replay' as const), pick: fc.nat() }) },
);

const START = Date.parse('2027-03-01T14:00:00Z');

function purchaseEvent(id: string, at: string, lines: Line[]): Record<string, unknown> {
  return {
    id,
    customerId: 'c1',
    type: 'purchase',
    orderId: `o-${id}`,
    currency: 'USD',
    occurredAt: at,
    lines: lines.map((l, j) => ({
      lineId: `l${j}`,
      sku: l.what === 'latte' ? 'latte' : l.what === 'night' ? 'room' : 'massage',
      categories: l.what === 'night' ? ['night'] : [],
      quantity: l.quantity,
      unitPrice: cents(l.cents),
      discount: cents(Math.min(l.discount, l.cents * l.quantity)),
    })),
  };
}

const entriesOf = (txs: readonly Transaction[]): Entry[] => txs.flatMap((tx) => [...tx.entries]);

async function allTransactions(loyalty: Loyalty): Promise<Transaction[]> {
  const page = await loyalty.history({ customerId: 'c1', programId: 'stay', limit: 1000 });
  return [...page.transactions].reverse();
}

/** The card equals the punches its unexpired lots hold; it is never full; its groups add up. */
function checkCards(program: Program, state: AccountState, at: Date): void {
  if (program.config.kind !== 'punch') return;
  for (const card of program.config.cards) {
    const s = state.kinds[`card:${card.id}`];
    const count = s?.kind === 'card' ? s.count : 0;
    if (s?.kind === 'card') {
      expect(s.punches.reduce((n, g) => n + g.count, 0)).toBe(s.count);
      expect(s.punches.every((g) => g.count > 0)).toBe(true);
      expect(s.count).toBeLessThan(card.required);
      if (s.expiresAt !== null && s.expiresAt.getTime() <= at.getTime()) continue; // expired, awaiting the next event or tick
      // Per lot: the card holds exactly what the lot still holds.
      const perLot = new Map<string, number>();
      for (const g of s.punches) perLot.set(g.lot, (perLot.get(g.lot) ?? 0) + g.count);
      for (const lot of state.lots) {
        if (lot.unit !== `punch:${card.id}`) continue;
        if (lot.expiresAt !== null && lot.expiresAt.getTime() <= at.getTime()) continue;
        expect(perLot.get(lot.id) ?? 0).toBe(lot.remaining.toNumber());
      }
    }
    const held = state.lots
      .filter((l) => l.unit === `punch:${card.id}` && (l.expiresAt === null || l.expiresAt.getTime() > at.getTime()))
      .reduce((n, l) => n + l.remaining.toNumber(), 0);
    const expired = s?.kind === 'card' && s.expiresAt !== null && s.expiresAt.getTime() <= at.getTime();
    if (!expired) expect(held).toBe(count);
  }
}

/** Refunds never take back more punches than an order earned, in all and per line. */
function checkRefunds(txs: readonly Transaction[]): void {
  const earned = new Map<string, { amount: number; lines: Map<string, number> }>();
  for (const e of entriesOf(txs)) {
    if (e.kind === 'earn' && e.unit.startsWith('punch:')) {
      earned.set(e.lot.id, { amount: e.lot.amount.toNumber(), lines: new Map((e.lines ?? []).map((l) => [l.lineId, l.amount.toNumber()])) });
    }
  }
  const clawed = new Map<string, number>();
  const clawedLine = new Map<string, number>();
  for (const e of entriesOf(txs)) {
    if (e.kind !== 'clawback' || !e.unit.startsWith('punch:')) continue;
    for (const a of e.against) {
      clawed.set(a.lot, (clawed.get(a.lot) ?? 0) + a.amount.toNumber());
      for (const l of a.lines ?? []) clawedLine.set(`${a.lot}|${l.lineId}`, (clawedLine.get(`${a.lot}|${l.lineId}`) ?? 0) + l.amount.toNumber());
    }
  }
  for (const [lot, n] of clawed) expect(n).toBeLessThanOrEqual(earned.get(lot)?.amount ?? 0);
  for (const [key, n] of clawedLine) {
    const [lot = '', lineId = ''] = key.split('|');
    expect(n).toBeLessThanOrEqual(earned.get(lot)?.lines.get(lineId) ?? 0);
  }
}

/** Books per punch unit: burnt = completed × required; credit issued = the values announced. */
function checkBooks(program: Program, state: AccountState, txs: readonly Transaction[], outbox: readonly Notification[]): void {
  if (program.config.kind !== 'punch') return;
  const books = ledgerBalances(txs);
  for (const card of program.config.cards) {
    const s = state.kinds[`card:${card.id}`];
    const completed = s?.kind === 'card' ? s.completed : 0;
    const unit = books.get(`punch:${card.id}`);
    expect((unit?.get('redeemed') ?? new Decimal(0)).toNumber()).toBe(completed * card.required);
    const announced = outbox.filter((n) => n.type === 'card.completed' && n.cardId === card.id);
    expect(announced).toHaveLength(completed);
  }
  const credit = books.get('credit:USD');
  const values = outbox.reduce((sum, n) => (n.type === 'card.completed' && n.reward.value ? sum.plus(n.reward.value) : sum), new Decimal(0));
  expect((credit?.get('issued') ?? new Decimal(0)).neg().toString()).toBe(values.toString());
}

async function runSequence(c: Config, commands: readonly Command[]): Promise<string[]> {
  const program = programOf(c);
  const clock = fixedClock(new Date(START).toISOString());
  const loyalty = createLoyalty({ programs: [program], store: memoryStore(), clock });
  await loyalty.upsertCustomer({ customer: { id: 'c1', enrolledAt: '2027-01-01T00:00:00Z' } });
  const sent: { event: Record<string, unknown>; result: ProcessResult }[] = [];
  const orders: { orderId: string; lines: number }[] = [];
  let now = START;
  let i = 0;
  for (const cmd of commands) {
    i += 1;
    const before = (await allTransactions(loyalty)).map(transactionText);
    if (cmd.kind === 'replay') {
      const earlier = sent[cmd.pick % Math.max(1, sent.length)];
      if (!earlier) continue;
      const again = await loyalty.process(earlier.event as Parameters<typeof loyalty.process>[0]);
      expect(again.replayed).toBe(true);
      expect(again.outcomes).toEqual(earlier.result.outcomes);
      expect((await allTransactions(loyalty)).map(transactionText)).toEqual(before);
      continue;
    }
    now += cmd.advance * 60_000 + 1000;
    const at = new Date(now).toISOString();
    clock.set(at);
    if (cmd.kind === 'tick') {
      await loyalty.tickDue({ now: new Date(now) });
    } else {
      let event: Record<string, unknown> | undefined;
      if (cmd.kind === 'purchase') {
        event = purchaseEvent(`e${i}`, at, cmd.lines);
        orders.push({ orderId: `o-e${i}`, lines: cmd.lines.length });
      } else {
        const order = orders[cmd.pick % Math.max(1, orders.length)];
        if (!order) continue;
        if (cmd.kind === 'refund') {
          const seen = new Set<number>();
          const lines = cmd.lines.filter((l) => l.line < order.lines && !seen.has(l.line) && seen.add(l.line)).map((l) => ({ lineId: `l${l.line}`, quantity: l.quantity }));
          if (lines.length === 0) continue;
          event = { id: `e${i}`, customerId: 'c1', type: 'refund', orderId: order.orderId, occurredAt: at, lines };
        } else {
          event = { id: `e${i}`, customerId: 'c1', type: 'refund', orderId: order.orderId, occurredAt: at, currency: 'USD', amount: cents(cmd.cents) };
        }
      }
      const result = await loyalty.process(event as Parameters<typeof loyalty.process>[0]);
      sent.push({ event, result });
      const after = (await allTransactions(loyalty)).map(transactionText);
      expect(after.slice(0, before.length)).toEqual(before); // append-only
    }
    expect(await loyalty.verify({ customerId: 'c1', programId: 'stay' })).toEqual([]);
    const view = await loyalty.account({ customerId: 'c1', programId: 'stay' });
    checkCards(program, view.state, new Date(now));
  }
  const txs = await allTransactions(loyalty);
  const state = (await loyalty.account({ customerId: 'c1', programId: 'stay' })).state;
  checkRefunds(txs);
  checkBooks(program, state, txs, (await loyalty.outbox({ limit: 100_000 })).map((r) => r.notification));
  return txs.map(transactionText);
}

describe('punch cards through the service (model runs)', () => {
  const runs = runsFor(80);
  test('random purchases, refunds, ticks and replays keep conservation, fold = state, the card = its lots, and refunds within what was earned', async () => {
    announce('punch service model', runs);
    let sequences = 0;
    await fc.assert(
      fc.asyncProperty(config, fc.array(command, { minLength: 1, maxLength: 30 }), async (c, commands) => {
        sequences += 1;
        const first = await runSequence(c, commands);
        const second = await runSequence(c, commands);
        expect(second).toEqual(first); // deterministic
      }),
      { seed: FC_SEED, numRuns: runs },
    );
    console.log(`[fast-check] punch service model: ${sequences} command sequences passed`);
  });
});
