// Builders shared by the tests: events and programs with only what a test cares about spelled out.
import { defineProgram } from '../src';
import { parseCustomer, parseEvent, openAccount, applyEntries, evaluate } from '../src/core';
import type { Customer, LoyaltyEvent, Program, ProgramConfigInput } from '../src';
import type { AccountState, Decision } from '../src/core';

export const ZONE = 'America/New_York';

export function pointsProgram(overrides: Partial<Extract<ProgramConfigInput, { kind: 'points' }>> = {}): Program {
  return defineProgram({
    kind: 'points',
    id: 'rewards',
    version: 1,
    currency: 'USD',
    timeZone: ZONE,
    ...overrides,
  });
}

export interface LineInput {
  lineId?: string;
  sku?: string;
  categories?: string[];
  tags?: string[];
  quantity?: number;
  unitPrice: string;
  discount?: string;
}

let seq = 0;
export function purchase(lines: LineInput[], extra: Record<string, unknown> = {}): LoyaltyEvent {
  seq += 1;
  return parseEvent({
    id: `p${seq}`,
    customerId: 'c1',
    type: 'purchase',
    orderId: `o${seq}`,
    currency: 'USD',
    occurredAt: '2027-03-10T15:00:00Z',
    lines: lines.map((l, i) => ({ lineId: l.lineId ?? `l${i + 1}`, sku: l.sku ?? `sku${i + 1}`, quantity: l.quantity ?? 1, categories: l.categories ?? [], tags: l.tags ?? [], unitPrice: l.unitPrice, ...(l.discount ? { discount: l.discount } : {}) })),
    ...extra,
  });
}

export function event(type: string, extra: Record<string, unknown> = {}): LoyaltyEvent {
  seq += 1;
  return parseEvent({ id: `e${seq}`, customerId: 'c1', type, occurredAt: '2027-03-10T15:00:00Z', ...extra });
}

export function customer(extra: Record<string, unknown> = {}): Customer {
  return parseCustomer({ id: 'c1', enrolledAt: '2027-01-01T00:00:00Z', ...extra });
}

/** Runs events through the pure core, folding each decision, and returns the decisions and final state. */
export function run(program: Program, events: LoyaltyEvent[], who: Customer = customer()): { decisions: Decision[]; account: AccountState } {
  let account = openAccount(program, who.id);
  const decisions: Decision[] = [];
  for (const e of events) {
    const d = evaluate(program, account, e, { customer: who });
    decisions.push(d);
    if (d.ok && d.transaction) account = applyEntries(account, d.transaction);
  }
  return { decisions, account };
}

/** Points earned by a decision. */
export function earned(d: Decision | undefined): string {
  if (!d || !d.ok || !d.transaction) return '0';
  let total = 0n;
  for (const e of d.transaction.entries) if (e.kind === 'earn') total += BigInt(e.lot.amount.toFixed(0));
  return total.toString();
}

/** Per-line allocation of each earn entry of a decision. */
export function lineShares(d: Decision | undefined): string[][] {
  if (!d || !d.ok || !d.transaction) return [];
  return d.transaction.entries.flatMap((e) => (e.kind === 'earn' && e.lines ? [e.lines.map((l) => l.amount.toString())] : []));
}
