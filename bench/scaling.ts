/*
 * PERFORMANCE.md target 3: `evaluate`, `redeem` and `tick` on an account with ~100,000 past
 * entries against one with ~10, both folded under a one-rule program whose every past lot was
 * spent in full, so the two states hold the same 3 open lots and differ only in how much history
 * went into them. Environment: BENCH_HISTORY_ENTRIES (past entries of the big account, default 100,000).
 */
import { applyEntries, evaluate, openAccount, parseEvent, redeem, tick } from '../src/core';
import { redeemRequestSchema } from '../src/schemas';
import type { LoyaltyEvent, Program } from '../src';
import type { AccountState, Decision } from '../src/core';
import type { RedeemRequest } from '../src/schemas';
import { historyProgram, purchases } from './lib/programs';
import { timeOne } from './lib/report';

function time(label: string, n: number, body: (i: number) => void): number {
  const us = timeOne(n, body);
  console.log(`  ${label.padEnd(58)} ${us.toFixed(3).padStart(9)} µs/op`);
  return us;
}

export async function run(): Promise<void> {
  const events = purchases(2000);
  const customer = { id: 'c1', enrolledAt: new Date('2026-01-01T00:00:00Z'), tags: ['vip'], attributes: {} };
  console.log('\nPERFORMANCE 3: cost per operation with ~100,000 past entries vs ~10 (a one-rule program: state is a fold cache)');
  const hp = historyProgram();
  const built = performance.now();
  const small = history(hp, 10);
  const big = history(hp, HISTORY_ENTRIES);
  console.log(
    `  accounts: ${small.entries} and ${big.entries.toLocaleString('en-US')} past entries; open lots ${small.state.lots.length} and ${big.state.lots.length}; ` +
      `balance ${available(small.state)} and ${available(big.state)} (built in ${((performance.now() - built) / 1000).toFixed(1)} s)`,
  );
  const at = new Date('2030-01-01T00:00:00Z');
  // parsed up front, so the timed loop measures redeem itself, not the request schema
  const requests = Array.from({ length: 64 }, (_, i) => redeemRequestSchema.parse({ requestId: `r${i}`, points: 5, at }));
  const ops: [string, (s: AccountState, i: number) => boolean][] = [
    ['evaluate', (s, i) => evaluate(hp, s, events[i % events.length] as LoyaltyEvent, { customer }).ok],
    ['redeem', (s, i) => redeem(hp, s, requests[i % requests.length] as RedeemRequest).ok],
    ['tick', (s) => tick(hp, s, at, { customer }).ok],
  ];
  for (const [name, op] of ops) {
    // Each operation must succeed on both accounts, or the comparison means nothing.
    if (!op(small.state, 0) || !op(big.state, 0)) throw new Error(`${name} failed on a history account`);
    const a = time(`${name}, ${small.entries} past entries`, 20_000, (i) => op(small.state, i));
    const b = time(`${name}, ${big.entries.toLocaleString('en-US')} past entries`, 20_000, (i) => op(big.state, i));
    console.log(`  → ${name}: ${(b / a).toFixed(2)}× (target ≤ 1.2×): ${b / a <= 1.2 ? 'met' : 'NOT met'}`);
  }
}

/** Past entries of the big account. */
const HISTORY_ENTRIES = Number(process.env.BENCH_HISTORY_ENTRIES ?? 100_000);

function available(state: AccountState): string {
  return state.lots.reduce((sum, lot) => sum + Number(lot.remaining.toString()), 0).toLocaleString('en-US');
}

function purchase(id: string, at: Date, price: string): LoyaltyEvent {
  return parseEvent({ id, customerId: 'c1', type: 'purchase', orderId: id, currency: 'USD', occurredAt: at.toISOString(), lines: [{ lineId: '1', sku: 's', quantity: 1, unitPrice: price }] });
}

/**
 * An account of about `target` past entries: rounds of (a $10 purchase, then a redemption of
 * exactly the 10 points it earned), so each round's lot is spent in full and closes, then a tail
 * of 3 purchases whose lots stay open (the same tail for every account): the state holds 3 open
 * lots however long the history is.
 */
function history(program: Program, target: number): { state: AccountState; entries: number } {
  let state = openAccount(program, 'c1');
  let entries = 0;
  const apply = (d: Decision, what: string): void => {
    if (!d.ok || !d.transaction) throw new Error(`history: ${what} failed${d.ok ? ' (nothing written)' : `: ${JSON.stringify(d.issues)}`}`);
    state = applyEntries(state, d.transaction);
    entries += d.transaction.entries.length;
  };
  const start = Date.UTC(2027, 0, 1);
  const TAIL = 3;
  let rounds = 0;
  for (let i = 0; entries < target - 2 * TAIL; i++, rounds++) {
    const at = new Date(start + i * 60_000);
    apply(evaluate(program, state, purchase(`h${i}`, at, '10')), `purchase ${i}`);
    apply(redeem(program, state, redeemRequestSchema.parse({ requestId: `hr${i}`, points: 10, at: new Date(at.getTime() + 1000) })), `redemption ${i}`);
  }
  for (let j = 0; j < TAIL; j++) {
    apply(evaluate(program, state, purchase(`tail${j}`, new Date(start + rounds * 60_000 + j * 1000), '1000')), `tail purchase ${j}`);
  }
  return { state, entries };
}

if (process.argv[1]?.endsWith('bench/scaling.ts')) await run();
