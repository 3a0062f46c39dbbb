import { Decimal } from '../money/decimal';
import { balanceAt } from '../ledger/read';
import { hooksOf } from '../kinds';
import type { Program } from '../engine/program';
import type { BookSums } from './books';
import type { Replay, Slot } from './replay';
import type { CustomerOutcome, SimulationResult, UnitTotals } from './types';

const ZERO = new Decimal(0);

/** Where the customer stands at the end, for kinds that have a standing (the tier held); else null. */
function standingAtEnd(program: Program, slot: Slot, end: Date): string | null {
  return hooksOf(program).standing?.({ program, account: slot.state, customer: slot.customer, at: end }) ?? null;
}

/** A customer's account at the end of the replay. */
function outcomeOf(replay: Replay, slot: Slot, end: Date): CustomerOutcome {
  let remaining = ZERO;
  let open = 0;
  let nextExpiry: number | null = null;
  for (const lot of slot.state.lots) {
    if (lot.unit !== replay.unit) continue;
    open += 1;
    remaining = remaining.plus(lot.remaining);
    if (lot.expiresAt && (nextExpiry === null || lot.expiresAt.getTime() < nextExpiry)) nextExpiry = lot.expiresAt.getTime();
  }
  return {
    customerId: slot.customer.id,
    balance: balanceAt(slot.state, end, replay.unit),
    tier: standingAtEnd(replay.program, slot, end),
    lots: { open, remaining, nextExpiry: nextExpiry === null ? null : new Date(nextExpiry) },
    issued: slot.books.issued,
    redeemed: slot.books.redeemed,
    expired: slot.books.expired,
    clawedBack: slot.books.clawedBack,
    transactions: slot.transactions,
  };
}

/** The program's books with what customers hold at the end, valued at the redemption rate. */
export function totalsOf(program: Program, books: BookSums, customers: readonly CustomerOutcome[]): UnitTotals {
  let outstanding = ZERO;
  for (const c of customers) outstanding = outstanding.plus(c.balance.available).plus(c.balance.pending).plus(c.balance.held);
  const rate = hooksOf(program).rate(program);
  return {
    unit: books.unit,
    issued: books.issued,
    redeemed: books.redeemed,
    expired: books.expired,
    clawedBack: books.clawedBack,
    adjusted: books.adjusted,
    outstanding,
    liability: outstanding.div(rate),
  };
}

/**
 * Customers per standing (per tier), every standing the kind lists included, in the program's
 * order; null for kinds without standings. (`tier` and `tierMix` are the result's public names.)
 */
export function tierMixOf(program: Program, customers: readonly CustomerOutcome[]): Record<string, number> | null {
  const standings = hooksOf(program).standings?.(program);
  if (!standings) return null;
  const mix: Record<string, number> = {};
  for (const standing of standings) mix[standing] = 0;
  for (const c of customers) if (c.tier !== null) mix[c.tier] = (mix[c.tier] ?? 0) + 1;
  return mix;
}

const byId = (a: CustomerOutcome, b: CustomerOutcome): number => (a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0);

/** Reads the result of a finished replay. */
export function resultOf(replay: Replay, end: Date): SimulationResult {
  const customers = [...replay.slots.values()].map((slot) => outcomeOf(replay, slot, end)).sort(byId);
  return {
    programId: replay.program.id,
    programVersion: replay.program.version,
    totals: totalsOf(replay.program, replay.books, customers),
    tierMix: tierMixOf(replay.program, customers),
    customers,
    metrics: replay.metrics.result(replay.metricsState),
    run: {
      events: replay.events,
      transactions: replay.transactions,
      refused: Object.fromEntries([...replay.refused].sort((a, b) => (a[0] < b[0] ? -1 : 1))),
      boundaries: replay.boundaries,
      ticked: replay.ticked,
      tickFailures: replay.tickFailures,
      start: replay.start,
      end,
    },
  };
}
