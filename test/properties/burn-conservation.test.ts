// RELIABILITY 7 (conservation) and 8 (stored state = fold) on the memory store, through the service,
// over random command sequences of the burn side: purchases, refunds, redemptions, cancellations,
// holds / captures / releases, adjustments both ways, reversals and ticks at increasing instants.
// After every command: `verify` is clean; every transaction balances per unit; the books sum to zero;
// the system side equals the customer side (issued + adjusted = redeemed + expired + clawed back +
// available + pending + held, a debt counting negative); and, recomputed lot by lot from the entries,
// every lot holds what its flows say, is never clawed back beyond its amount, and no redemption is
// given back beyond what it took. Earlier transactions never change (RELIABILITY 9).
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { createLoyalty, defineProgram, fixedClock, LoyaltyError, memoryStore } from '../../src';
import { ledgerBalances, postingsOf, transactionText } from '../../src/core';
import { Decimal } from '../../src/money/decimal';
import type { Entry, Loyalty, Program, Transaction } from '../../src';
import type { AccountState } from '../../src/core';
import { announce, FC_SEED, runsFor } from './seed';
import { cents } from './harness';
import type { IsoInstant } from './harness';

const ZERO = new Decimal(0);
const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

type Command =
  | { kind: 'purchase'; lines: { cents: number; qty: number }[]; wait: number }
  | { kind: 'refund'; order: number; line: number | null; qty: number; amount: number; wait: number }
  | { kind: 'redeem'; points: number; order: number | null; wait: number }
  | { kind: 'cancel'; tx: number; wait: number }
  | { kind: 'hold'; points: number; timeout: number | null; order: number | null; wait: number }
  | { kind: 'capture'; hold: number; points: number | null; wait: number }
  | { kind: 'release'; hold: number; wait: number }
  | { kind: 'adjust'; points: number; wait: number }
  | { kind: 'reverse'; tx: number; wait: number }
  | { kind: 'tick'; wait: number };

const wait = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 59 }).map((m) => m * MIN), fc.integer({ min: 1, max: 30 }).map((h) => h * HOUR), fc.integer({ min: 1, max: 4 }).map((d) => d * DAY));
const pick = fc.nat({ max: 1000 });
const orderPick = fc.option(pick, { nil: null });
const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('purchase' as const), lines: fc.array(fc.record({ cents: fc.integer({ min: 1, max: 30_000 }), qty: fc.integer({ min: 1, max: 3 }) }), { minLength: 1, maxLength: 3 }), wait }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('refund' as const), order: pick, line: fc.option(fc.nat({ max: 2 }), { nil: null }), qty: fc.integer({ min: 1, max: 3 }), amount: fc.integer({ min: 1, max: 40_000 }), wait }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('redeem' as const), points: fc.integer({ min: 1, max: 400 }), order: orderPick, wait }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('cancel' as const), tx: pick, wait }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('hold' as const), points: fc.integer({ min: 1, max: 400 }), timeout: fc.option(fc.integer({ min: 1, max: 3000 }), { nil: null }), order: orderPick, wait }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('capture' as const), hold: pick, points: fc.option(fc.integer({ min: 1, max: 400 }), { nil: null }), wait }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('release' as const), hold: pick, wait }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('adjust' as const), points: fc.integer({ min: -300, max: 300 }).filter((p) => p !== 0), wait }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('reverse' as const), tx: pick, wait }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('tick' as const), wait }) },
);

type Returns = { readonly whenSpent: 'allow_negative'; readonly negativeLimit?: number } | { readonly whenSpent: 'available_only' | 'pending_first' };
interface Variant {
  readonly returns: Returns;
  readonly pendingDays: 0 | 2;
  readonly expiryDays: number | null;
}
const variant: fc.Arbitrary<Variant> = fc.record({
  returns: fc.constantFrom<Returns>({ whenSpent: 'allow_negative' }, { whenSpent: 'allow_negative', negativeLimit: 150 }, { whenSpent: 'available_only' }, { whenSpent: 'pending_first' }),
  pendingDays: fc.constantFrom<0 | 2>(0, 2),
  expiryDays: fc.constantFrom(null, 3, 10),
});

function programOf(v: Variant): Program {
  return defineProgram({
    kind: 'points',
    id: 'rewards',
    version: 1,
    currency: 'USD',
    timeZone: 'America/New_York',
    returns: v.returns,
    pending: { purchaseDays: v.pendingDays },
    expiry: v.expiryDays === null ? { kind: 'never' } : { kind: 'rolling', days: v.expiryDays },
    rules: [{ id: 'base', on: 'purchase', award: { kind: 'per_amount', points: 1, per: 1 } }],
  });
}

const sumDraws = (xs: readonly { amount: Decimal }[]) => xs.reduce((s, x) => s.plus(x.amount), ZERO);

/**
 * `expect(actual, message).toBe(expected)`, called only when they differ: the same assertion and
 * failure message, without expect's cost per call on the checks that pass (after every command,
 * over every lot and transaction, that cost was most of this property's CPU time).
 */
function same<T>(actual: T, expected: T, message?: string): void {
  if (!Object.is(actual, expected)) expect(actual, message).toBe(expected);
}

/**
 * Every invariant of RELIABILITY 7, from the books and the entries, against the stored state.
 * `checked`: how many of `txs` (the oldest) were checked to balance after an earlier command; the
 * caller has proved them unchanged since (their text is the same, RELIABILITY 9), so only the
 * transactions after them are summed again. Everything else is recomputed from all of `txs`.
 */
function checkBooks(txs: readonly Transaction[], state: AccountState, v: Variant, checked: number): void {
  // Each transaction balances per unit.
  for (const tx of txs.slice(checked)) {
    const perUnit = new Map<string, Decimal>();
    for (const e of tx.entries) for (const p of postingsOf(e)) perUnit.set(p.unit, (perUnit.get(p.unit) ?? ZERO).plus(p.amount));
    for (const [unit, s] of perUnit) same(`${tx.id} ${unit} ${s.toString()}`, `${tx.id} ${unit} 0`);
  }
  const books = ledgerBalances(txs).get('points') ?? new Map<string, Decimal>();
  const acct = (name: string) => books.get(name as never) ?? ZERO;
  // The books sum to zero, system accounts included.
  same([...books.values()].reduce((s, x) => s.plus(x), ZERO).toString(), '0');
  // System accounts have their signs: issued only gives, the sinks only take.
  same(acct('issued').gt(0), false);
  if (acct('redeemed').isNegative()) expect(acct('redeemed').isNegative(), `redeemed is ${acct('redeemed').toString()}: more given back than redeemed`).toBe(false);
  same(acct('expired').isNegative(), false);
  same(acct('clawed_back').isNegative(), false);
  // The customer side from the state: lots by account, debt negative, holds.
  let available = ZERO;
  let pending = ZERO;
  for (const lot of state.lots) {
    if (lot.account === 'available') available = available.plus(lot.remaining);
    else pending = pending.plus(lot.remaining);
  }
  const debt = state.debt.points ?? ZERO;
  available = available.minus(debt);
  const held = state.holds.reduce((s, h) => s.plus(sumDraws(h.draws)), ZERO);
  // issued + adjusted (credit side) = redeemed + expired + clawed back + adjusted (debit side) + available + pending + held.
  let credits = ZERO;
  let debits = ZERO;
  for (const tx of txs) {
    for (const e of tx.entries) {
      for (const p of postingsOf(e)) {
        if (p.account !== 'adjusted') continue;
        if (p.amount.isNegative()) credits = credits.minus(p.amount);
        else debits = debits.plus(p.amount);
      }
    }
  }
  same(debits.minus(credits).toString(), acct('adjusted').toString());
  const sources = acct('issued').neg().plus(credits);
  const sinks = acct('redeemed').plus(acct('expired')).plus(acct('clawed_back')).plus(debits).plus(available).plus(pending).plus(held);
  same(sources.toString(), sinks.toString());
  // Debt only where the program allows it, and within its limit.
  if (v.returns.whenSpent !== 'allow_negative') same(debt.toString(), '0');
  else if (v.returns.negativeLimit !== undefined) same(debt.lte(v.returns.negativeLimit), true);

  // Lot by lot, recomputed from the entries.
  const amount = new Map<string, Decimal>();
  const flow = new Map<string, Decimal>();
  const clawed = new Map<string, Decimal>();
  const holdLeft = new Map<string, Decimal>();
  const redeemedBy = new Map<string, Decimal>();
  const restoredOf = new Map<string, Decimal>();
  let debtFlow = ZERO;
  const add = (m: Map<string, Decimal>, k: string, d: Decimal) => m.set(k, (m.get(k) ?? ZERO).plus(d));
  const out = (draws: readonly { lot: string; amount: Decimal }[]) => draws.forEach((d) => add(flow, d.lot, d.amount.neg()));
  for (const tx of txs) {
    for (const e of tx.entries as readonly Entry[]) {
      switch (e.kind) {
        case 'earn':
          amount.set(e.lot.id, e.lot.amount);
          add(flow, e.lot.id, e.lot.remaining);
          debtFlow = debtFlow.minus(e.repaid);
          break;
        case 'adjust':
          if (e.direction === 'credit' && e.lot) {
            amount.set(e.lot.id, e.lot.amount);
            add(flow, e.lot.id, e.lot.amount);
          } else out(e.draws ?? []);
          break;
        case 'redeem':
          out(e.draws);
          add(redeemedBy, tx.id, sumDraws(e.draws));
          break;
        case 'expire':
          out(e.draws);
          break;
        case 'clawback':
          out(e.draws);
          debtFlow = debtFlow.plus(e.debt);
          for (const a of e.against) add(clawed, a.lot, a.amount);
          break;
        case 'hold':
          out(e.hold.draws);
          add(holdLeft, e.hold.id, sumDraws(e.hold.draws));
          break;
        case 'capture':
          add(holdLeft, e.holdId, sumDraws(e.draws).neg());
          add(redeemedBy, tx.id, sumDraws(e.draws));
          break;
        case 'restore':
          e.draws.forEach((d) => add(flow, d.lot, d.amount));
          if (e.source === 'held' && e.holdId !== undefined) add(holdLeft, e.holdId, sumDraws(e.draws).plus(sumDraws(e.expired)).neg());
          if (e.of !== undefined && e.source === 'redeemed') add(restoredOf, e.of, sumDraws(e.draws).plus(sumDraws(e.expired)));
          break;
        default:
          break;
      }
    }
  }
  const remaining = new Map(state.lots.map((l) => [l.id, l.remaining]));
  for (const [lot, f] of flow) {
    const inState = remaining.get(lot) ?? ZERO;
    same(`lot ${lot} remaining ${inState.toString()}`, `lot ${lot} remaining ${f.toString()}`);
    same(f.isNegative(), false);
    const a = amount.get(lot);
    if (a) same(`lot ${lot} ${f.toString()} ≤ ${a.toString()}: ${f.lte(a)}`, `lot ${lot} ${f.toString()} ≤ ${a.toString()}: true`);
  }
  for (const [lot, c] of clawed) {
    const a = amount.get(lot) ?? ZERO;
    same(`lot ${lot} clawed back ${c.toString()} of ${a.toString()}: ${c.lte(a)}`, `lot ${lot} clawed back ${c.toString()} of ${a.toString()}: true`);
  }
  for (const [id, r] of restoredOf) {
    const took = redeemedBy.get(id) ?? ZERO;
    same(`${id} gave back ${r.toString()} of ${took.toString()}: ${r.lte(took)}`, `${id} gave back ${r.toString()} of ${took.toString()}: true`);
  }
  for (const h of state.holds) same(sumDraws(h.draws).toString(), (holdLeft.get(h.id) ?? ZERO).toString());
  for (const [id, left] of holdLeft) if (!state.holds.some((h) => h.id === id)) same(`hold ${id} ${left.toString()}`, `hold ${id} 0`);
  same(debtFlow.toString(), debt.toString());
}

async function runSequence(v: Variant, commands: readonly Command[]): Promise<void> {
  const program = programOf(v);
  let now = Date.UTC(2027, 2, 1, 15, 0, 0);
  const clock = fixedClock(new Date(now));
  const loyalty: Loyalty = createLoyalty({ programs: [program], store: memoryStore(), clock });
  await loyalty.upsertCustomer({ customer: { id: 'c1', enrolledAt: '2027-01-01T00:00:00Z' } });
  const target = { customerId: 'c1', programId: 'rewards' } as const;
  const orders: { id: string; lines: number }[] = [];
  const holds: string[] = [];
  let texts: string[] = [];
  // The account's history, oldest first, as the last check read it: nothing writes between that
  // read and the next command, so the next command picks its transactions from it.
  let txs: Transaction[] = [...(await loyalty.history({ customerId: 'c1', programId: 'rewards', limit: 1000 })).transactions].reverse();
  // Refusals (insufficient points, unknown hold, not reversible…) are typed outcomes, not failures.
  let i = 0;
  for (const c of commands) {
    i += 1;
    now += c.wait;
    clock.set(new Date(now));
    const at = new Date(now).toISOString() as IsoInstant;
    const orderOf = (n: number | null) => (n === null || orders.length === 0 ? undefined : orders[n % orders.length]?.id);
    switch (c.kind) {
      case 'purchase': {
        const orderId = `o${i}`;
        await loyalty.process({ id: `p${i}`, customerId: 'c1', type: 'purchase', orderId, currency: 'USD', occurredAt: at, lines: c.lines.map((l, j) => ({ lineId: `l${j}`, sku: `s${j}`, quantity: l.qty, unitPrice: cents(l.cents) })) });
        orders.push({ id: orderId, lines: c.lines.length });
        break;
      }
      case 'refund': {
        const o = orders[c.order % Math.max(1, orders.length)];
        if (!o) continue;
        const base = { id: `rf${i}`, customerId: 'c1', type: 'refund', orderId: o.id, occurredAt: at };
        await loyalty.process((c.line === null ? { ...base, currency: 'USD', amount: cents(c.amount) } : { ...base, lines: [{ lineId: `l${c.line % o.lines}`, quantity: c.qty }] }) as Parameters<typeof loyalty.process>[0]);
        break;
      }
      case 'redeem': {
        const orderId = orderOf(c.order);
        await loyalty.redeem({ ...target, requestId: `r${i}`, points: c.points, at, ...(orderId ? { orderId } : {}) });
        break;
      }
      case 'cancel': {
        const tx = txs[c.tx % Math.max(1, txs.length)];
        if (tx) await loyalty.cancelRedemption({ ...target, requestId: `cx${i}`, transactionId: tx.id, at });
        break;
      }
      case 'hold': {
        const orderId = orderOf(c.order);
        const r = await loyalty.hold({ ...target, requestId: `h${i}`, points: c.points, at, ...(c.timeout !== null ? { timeoutMinutes: c.timeout } : {}), ...(orderId ? { orderId } : {}) });
        if (r.outcome.ok) holds.push(`h${i}`);
        break;
      }
      case 'capture': {
        const h = holds[c.hold % Math.max(1, holds.length)];
        if (h) await loyalty.capture({ ...target, requestId: `cp${i}`, holdId: h, at, ...(c.points !== null ? { points: c.points } : {}) });
        break;
      }
      case 'release': {
        const h = holds[c.hold % Math.max(1, holds.length)];
        if (h) await loyalty.release({ ...target, requestId: `x${i}`, holdId: h, at });
        break;
      }
      case 'adjust':
        await loyalty.adjust({ ...target, requestId: `a${i}`, points: c.points, actor: 'agent:test', reason: 'property', at });
        break;
      case 'reverse': {
        const tx = txs[c.tx % Math.max(1, txs.length)];
        if (tx) await loyalty.reverse({ ...target, requestId: `rv${i}`, transactionId: tx.id, at });
        break;
      }
      case 'tick':
        await loyalty.tickDue({ now: new Date(now) });
        break;
    }
    // RELIABILITY 8 (and the per-account part of 7): the stored state is the fold of the ledger.
    const issues = await loyalty.verify({ customerId: 'c1', programId: 'rewards' });
    if (issues.length > 0) expect(issues).toEqual([]);
    const after = [...(await loyalty.history({ customerId: 'c1', programId: 'rewards', limit: 1000 })).transactions].reverse();
    // RELIABILITY 9: earlier entries are unchanged.
    const nextTexts = after.map(transactionText);
    if (nextTexts.length < texts.length || texts.some((t, j) => t !== nextTexts[j])) expect(nextTexts.slice(0, texts.length)).toEqual(texts);
    const checked = texts.length;
    texts = nextTexts;
    txs = after;
    const view = await loyalty.account({ customerId: 'c1', programId: 'rewards', at: new Date(now) });
    checkBooks(after, view.state, v, checked);
    if (v.returns.whenSpent !== 'allow_negative') same(view.balance.available.isNegative(), false);
  }
}

describe('conservation and fold over random burn-side command sequences (RELIABILITY 7, 8, 9)', () => {
  const runs = runsFor(1500);
  test('verify is clean and the books balance after every command', async () => {
    announce('burn conservation: command sequences', runs);
    let sequences = 0;
    await fc.assert(
      fc.asyncProperty(variant, fc.array(command, { minLength: 1, maxLength: 30 }), async (v, commands) => {
        try {
          await runSequence(v, commands);
        } catch (error) {
          // A LoyaltyError escaping a valid command (e.g. ledger_inconsistent from a fold) is a bug too.
          if (error instanceof LoyaltyError) throw new Error(`service threw ${error.code}: ${error.message}`);
          throw error;
        }
        sequences += 1;
      }),
      { seed: FC_SEED, numRuns: runs },
    );
    console.log(`[fast-check] burn conservation: ${sequences} command sequences passed`);
  });
});
