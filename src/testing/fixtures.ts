// The programs, ids and builders the conformance checks share. Everything happens at the fixed
// instant NOW (a fixed clock): no check reads the system clock.
import { Decimal } from '../money/decimal';
import { createLoyalty, type Loyalty } from '../service/loyalty';
import { defineProgram, type Program } from '../engine/program';
import { adjust } from '../engine/adjust';
import { evaluate } from '../engine/evaluate';
import { emptyAccountState, applyTransaction } from '../ledger/fold';
import type { AccountState, Transaction } from '../ledger/types';
import type { Notification } from '../engine/notifications';
import { adjustRequestSchema } from '../schema/requests';
import { eventSchema, type LoyaltyEventInput } from '../schema/events';
import { customerSchema, type Customer } from '../schema/customer';
import { fixedClock } from '../time/clock';
import type { AccountWrite, ProcessedRecord, Store } from '../store/types';
import { check } from './assert';

/** The service clock of every check. */
export const NOW = '2027-03-12T00:00:00Z';
const NOW_MS = Date.parse(NOW);
/** The instant `minutes` before NOW, as an ISO string. */
export const ago = (minutes: number): `${number}-${number}-${number}T${string}Z` => new Date(NOW_MS - minutes * 60_000).toISOString() as `${number}-${number}-${number}T${string}Z`;
/** The instant `minutes` before NOW, as a Date. */
export const agoDate = (minutes: number): Date => new Date(NOW_MS - minutes * 60_000);

const base = { kind: 'points' as const, version: 1, currency: 'USD' as const, timeZone: 'UTC' };
/** 1 point per dollar; expiry after 30 days (so ticks have work); a catalog reward with stock. */
export const rewards: Program = defineProgram({
  ...base,
  id: 'rewards',
  rules: [{ id: 'base', on: 'purchase', award: { kind: 'per_amount', points: 1, per: 1 } }],
  expiry: { kind: 'rolling', days: 30 },
  rewards: [{ id: 'tote', name: 'Tote bag', cost: 10, kind: 'free_product', sku: 'TOTE', stock: 3 }],
});
/** 2 points per dollar: a second program over the same customers. */
export const partner: Program = defineProgram({ ...base, id: 'partner', rules: [{ id: 'base', on: 'purchase', award: { kind: 'per_amount', points: 2, per: 1 } }] });
/** Fraud caps: a once-per-customer signup bonus and a per-day review cap. */
export const limited: Program = defineProgram({
  ...base,
  id: 'limited',
  rules: [
    { id: 'welcome', on: 'signup', award: { kind: 'fixed', points: 500 }, limits: [{ per: 'lifetime', count: 1 }] },
    { id: 'review', on: 'review', award: { kind: 'fixed', points: 20 }, limits: [{ per: 'day', points: 40 }] },
  ],
});

const byId = new Map<string, Program>([rewards, partner, limited].map((p) => [p.id, p]));
/** The program with id `id`: one of the above, or a plain points program made for the id (isolation checks use odd ids). */
export function programWithId(id: string): Program {
  const known = byId.get(id);
  if (known) return known;
  const made = defineProgram({ ...base, id, rules: [{ id: 'base', on: 'purchase', award: { kind: 'per_amount', points: 1, per: 1 } }] });
  byId.set(id, made);
  return made;
}

/** A service over `store` at NOW, with `customers` upserted into every program. */
export async function serviceOver(store: Store, programs: readonly Program[], customers: readonly string[] = ['c1']): Promise<Loyalty> {
  const loyalty = createLoyalty({ programs, store, clock: fixedClock(NOW) });
  for (const id of customers) await loyalty.upsertCustomer({ customer: { id, enrolledAt: '2027-01-01T00:00:00Z' } });
  return loyalty;
}

/** A second service over the same store, without upserting anyone. */
export const twinService = (store: Store, programs: readonly Program[]): Loyalty => createLoyalty({ programs, store, clock: fixedClock(NOW) });

/** A purchase of one line of `dollars` (whole dollars), ten minutes before NOW. */
export function purchase(id: string, customerId: string, orderId: string, dollars: number, programId?: string): LoyaltyEventInput {
  return {
    id,
    customerId,
    type: 'purchase',
    orderId,
    currency: 'USD',
    occurredAt: ago(10),
    lines: [{ lineId: 'l1', sku: 'SKU-1', quantity: 1, unitPrice: `${dollars}` }],
    ...(programId === undefined ? {} : { programId }),
  };
}

/** A full refund of `purchase`'s order (its one line), five minutes before NOW. */
export function refund(id: string, customerId: string, orderId: string): LoyaltyEventInput {
  return { id, customerId, type: 'refund', orderId, occurredAt: ago(5), lines: [{ lineId: 'l1', quantity: 1 }] };
}

/** The available points of an account, as a string. */
export async function available(loyalty: Loyalty, customerId: string, programId = 'rewards'): Promise<string> {
  return (await loyalty.account({ customerId, programId })).balance.available.toString();
}

/** A stored profile. */
export const profile = (id: string): Customer => customerSchema.parse({ id, enrolledAt: '2027-01-01T00:00:00Z' });

/** An account write that credits `points` by a manual adjustment `requestId` (the transaction id is `adjust:<requestId>`). */
export function creditWrite(account: AccountState, requestId: string, points: number, program: Program = rewards): AccountWrite {
  const request = adjustRequestSchema.parse({ requestId, points, actor: 'conformance', reason: 'test', at: agoDate(1) });
  return writeOf(account, adjust(program, account, request));
}

/** An account write for a purchase event (the transaction touches order `orderId`). */
export function purchaseWrite(account: AccountState, eventId: string, orderId: string, dollars: number, program: Program = rewards): AccountWrite {
  const event = eventSchema.parse(purchase(eventId, account.customerId, orderId, dollars));
  return writeOf(account, evaluate(program, account, event, { customer: profile(account.customerId), now: agoDate(0) }));
}

function writeOf(account: AccountState, decision: ReturnType<typeof adjust>): AccountWrite {
  check(decision.ok && decision.transaction !== null, 'fixture: the decision wrote no transaction');
  const tx: Transaction = decision.transaction;
  return { programId: account.programId, customerId: account.customerId, expectedVersion: account.version, state: applyTransaction(account, tx), transaction: tx };
}

/** An empty account of `programId` for `customerId`. */
export const emptyAccount = (customerId: string, programId = 'rewards'): AccountState => emptyAccountState(programId, customerId);

/** A notification for the outbox. */
export function notification(id: string, customerId: string, programId = 'rewards'): Notification {
  return { id, programId, customerId, at: agoDate(1), type: 'points.earned', points: new Decimal(5), pending: new Decimal(0), eventId: id };
}

/** A processed-event record whose one outcome is `tx` (or a refusal when `tx` is null). */
export function processedRecord(eventId: string, customerId: string, tx: Transaction | null, programId = 'rewards'): ProcessedRecord {
  const outcome = tx ? { programId, ok: true as const, transaction: tx, notifications: [] } : { programId, ok: false as const, issues: [{ code: 'insufficient_points', path: ['points'], message: 'not enough' }] };
  return { eventId, customerId, fingerprint: `fp:${eventId}`, outcomes: [outcome], recordedAt: agoDate(1) };
}

/** Launches `count` calls of `work` at once (Promise.all) and returns their results in order. */
export function race<T>(count: number, work: (i: number) => Promise<T>): Promise<T[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => work(i)));
}
