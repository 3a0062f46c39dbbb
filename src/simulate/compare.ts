import { Decimal } from '../money/decimal';
import type { Program } from '../engine/program';
import type { CustomerInput } from '../schema/customer';
import type { LoyaltyEventInput } from '../schema/events';
import { Replay } from './replay';
import { resultOf } from './result';
import { feed, type Source } from './simulate';
import type { Comparison, CustomerDifference, CustomerOutcome, SimulateOptions, SimulationResult } from './types';

const ZERO = new Decimal(0);
const held = (c: CustomerOutcome | undefined): Decimal => (c ? c.balance.available.plus(c.balance.pending).plus(c.balance.held) : ZERO);

/**
 * Per-customer differences of two results of the same history (B minus A): customers whose
 * issued points, end balance or tier differ, sorted by id, with the count of gainers, losers and
 * tier changes.
 *
 * @example
 * ```ts
 * const diff = differences(resultA, resultB);
 * diff.customers.filter((d) => d.balance.lt(0)).length === diff.losers; // true
 * ```
 */
export function differences(a: SimulationResult, b: SimulationResult): Comparison {
  const inA = new Map(a.customers.map((c) => [c.customerId, c]));
  const inB = new Map(b.customers.map((c) => [c.customerId, c]));
  const ids = [...new Set([...inA.keys(), ...inB.keys()])].sort();
  const customers: CustomerDifference[] = [];
  let gainers = 0;
  let losers = 0;
  let tierChanges = 0;
  for (const id of ids) {
    const ca = inA.get(id);
    const cb = inB.get(id);
    const issued = (cb?.issued ?? ZERO).minus(ca?.issued ?? ZERO);
    const balance = held(cb).minus(held(ca));
    const tierA = ca?.tier ?? null;
    const tierB = cb?.tier ?? null;
    if (balance.gt(0)) gainers += 1;
    if (balance.lt(0)) losers += 1;
    if (tierA !== tierB) tierChanges += 1;
    if (!issued.isZero() || !balance.isZero() || tierA !== tierB) customers.push({ customerId: id, issued, balance, tierA, tierB });
  }
  return {
    a,
    b,
    customers,
    gainers,
    losers,
    tierChanges,
    liability: b.totals.liability.minus(a.totals.liability),
    issued: b.totals.issued.minus(a.totals.issued),
  };
}

/**
 * Replays one history under two programs side by side (one pass over the events) and compares
 * them: both results, who gains or loses points and by how much, who changes tier, and the
 * difference in points liability — what a change would cost before it is published.
 *
 * @param programA - the current program
 * @param programB - the candidate
 * @example
 * ```ts
 * const c = await compare(onePerDollar, twoOnWeekends, events, customers);
 * console.log(`${c.gainers} customers gain; liability ${c.liability.toFixed(2)} USD more`);
 * ```
 */
export async function compare(
  programA: Program,
  programB: Program,
  events: Source<LoyaltyEventInput>,
  customers: Source<CustomerInput>,
  options?: SimulateOptions,
): Promise<Comparison> {
  const a = new Replay(programA, options);
  const b = new Replay(programB, options);
  await feed(customers, (customer) => {
    a.addCustomer(customer);
    b.addCustomer(customer);
  });
  await feed(events, (event) => {
    a.push(event);
    b.push(event);
  });
  return differences(resultOf(a, a.finish()), resultOf(b, b.finish(a.end ?? undefined)));
}
