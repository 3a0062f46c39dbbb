// An event through the service, in two steps: decide (the idempotency check, each program it
// reaches evaluated on the stored account; reads only) and write (schedules, order claims, and one
// append of the transactions, the processed record and the notifications). processMany runs the
// same two steps for many events in one unit of work per customer. Each step has a synchronous
// twin for the memory store's synchronous unit: the same reads and writes, in the same order.
import { LoyaltyError, type Issue } from '../errors';
import type { Customer } from '../schema/customer';
import type { LoyaltyEvent } from '../schema/events';
import { evaluate, explain as explainEvent } from '../engine/evaluate';
import type { Decision } from '../engine/decision';
import { emptyAccountState } from '../ledger/fold';
import type { AccountState } from '../ledger/types';
import type { Explanation } from '../engine/explain-types';
import type { Notification } from '../engine/notifications';
import type { Program } from '../engine/program';
import type { AccountWrite, ProcessedRecord, ProgramOutcome, StoreSession, SyncStoreSession } from '../store/types';
import { accountWrite, loadAccount, nextSchedule, reschedule, rescheduleSync, targets, targetsSync } from './accounts';
import { eventFingerprint, sameFingerprint } from './canonical';
import { eventKey, fail, isInputRefusal, orderKeyOf, type ServiceContext } from './context';
import type { ProcessResult } from './types';

/** What the programs an event reached decided, gathered for one append. */
interface Gathered {
  /** Each account write with its program (the account's schedule is stored with it). */
  readonly writes: { readonly program: Program; readonly write: AccountWrite }[];
  readonly outcomes: ProgramOutcome[];
  readonly notifications: Notification[];
}

/** What an event's writes are, decided with reads only (see {@link decideEvent}). */
export interface EventWrites {
  readonly event: LoyaltyEvent;
  readonly customer: Customer;
  /** The programs the event reached (a purchase claims its order in each). */
  readonly reached: readonly Program[];
  /** A purchase's order claim key in each program reached, in order (made once per event, read and then written); none for other events. */
  readonly orderKeys: readonly string[];
  readonly gathered: Gathered;
  readonly record: ProcessedRecord;
}

/** What `process` decided for one event: its result, and its writes unless it is a replay. */
export interface Decided {
  readonly result: ProcessResult;
  readonly writes?: EventWrites;
}

/**
 * Decides an event with reads only: a replay returns the recorded outcomes; a changed payload,
 * an unknown customer or an input refusal is thrown before anything is written, so a caller that
 * catches it (processMany) leaves its unit of work untouched.
 */
export async function decideEvent(ctx: ServiceContext, session: StoreSession, event: LoyaltyEvent, fingerprint: string): Promise<Decided> {
  const key = eventKey(event.id);
  // A store where each read is a round trip reads all of the event's keys at once.
  if (session.prefetch) {
    const programIds = event.programId !== undefined ? [event.programId] : [...ctx.programs.keys()];
    const counters = event.type === 'purchase' ? programIds.map((id) => orderKeyOf(id, event.orderId)) : [];
    await session.prefetch({ processed: [key], customerId: event.customerId, programIds, counters });
  }
  const seen = await session.getProcessed(key);
  if (seen) return replayOf(seen, event, fingerprint);
  const { customer, programs: reached } = await targets(ctx, session, event);
  const now = ctx.clock.now();
  const gathered: Gathered = { writes: [], outcomes: [], notifications: [] };
  const orderKeys: string[] = [];
  for (const program of reached) {
    // One order earns once, whatever its event ids: a second purchase of an order is a conflict.
    if (event.type === 'purchase' && (await session.counter(orderKeyIn(orderKeys, program, event.orderId))) > 0) orderClaimed(program, event.orderId);
    const account = await loadAccount(session, program.id, customer.id);
    const orderTransactions = event.type === 'refund' ? await session.transactionsByOrder(program.id, customer.id, event.orderId) : undefined;
    gather(program, customer, account, evaluate(program, account, event, { customer, now, orderTransactions }), gathered);
  }
  return decided({ event, customer, reached, orderKeys, gathered }, key, fingerprint, now);
}

/** {@link decideEvent} in a synchronous session: the same reads, in the same order. */
export function decideEventSync(ctx: ServiceContext, session: SyncStoreSession, event: LoyaltyEvent, fingerprint: string): Decided {
  const key = eventKey(event.id);
  const seen = session.getProcessed(key);
  if (seen) return replayOf(seen, event, fingerprint);
  const { customer, programs: reached } = targetsSync(ctx, session, event);
  const now = ctx.clock.now();
  const gathered: Gathered = { writes: [], outcomes: [], notifications: [] };
  const orderKeys: string[] = [];
  for (const program of reached) {
    if (event.type === 'purchase' && session.counter(orderKeyIn(orderKeys, program, event.orderId)) > 0) orderClaimed(program, event.orderId);
    const account = session.getAccount(program.id, customer.id) ?? emptyAccountState(program.id, customer.id);
    const orderTransactions = event.type === 'refund' ? session.transactionsByOrder(program.id, customer.id, event.orderId) : undefined;
    gather(program, customer, account, evaluate(program, account, event, { customer, now, orderTransactions }), gathered);
  }
  return decided({ event, customer, reached, orderKeys, gathered }, key, fingerprint, now);
}

/** A purchase's order claim key in `program`, kept in `keys` for the write (see {@link EventWrites.orderKeys}). */
function orderKeyIn(keys: string[], program: Program, orderId: string): string {
  const key = orderKeyOf(program.id, orderId);
  keys.push(key);
  return key;
}

/** The recorded outcomes of an event seen before; a changed payload or customer is a conflict. */
function replayOf(seen: ProcessedRecord, event: LoyaltyEvent, fingerprint: string): Decided {
  if (!sameFingerprint(seen.fingerprint, event, fingerprint) || seen.customerId !== event.customerId) {
    fail('idempotency_conflict', ['id'], `event "${event.id}" was processed before with a different payload`);
  }
  return { result: { eventId: event.id, customerId: event.customerId, replayed: true, outcomes: seen.outcomes } };
}

function orderClaimed(program: Program, orderId: string): never {
  fail('order_conflict', ['orderId'], `order "${orderId}" was already bought in program ${program.id} by another event; send a refund or an adjustment instead`);
}

/** Gathers one program's decision: an input refusal is thrown, a business one recorded. */
function gather(program: Program, customer: Customer, account: AccountState, decision: Decision, gathered: Gathered): void {
  if (!decision.ok) {
    if (isInputRefusal(decision.issues)) throw new LoyaltyError(decision.issues);
    gathered.outcomes.push({ programId: program.id, ok: false, issues: decision.issues });
    return;
  }
  gathered.outcomes.push({ programId: program.id, ok: true, transaction: decision.transaction, notifications: decision.notifications });
  for (const n of decision.notifications) gathered.notifications.push(n);
  if (decision.transaction) gathered.writes.push({ program, write: accountWrite(program, customer, account, decision.transaction) });
}

/** The result and writes of a decided event (not a replay); `key` is its idempotency key. */
function decided(writes: Omit<EventWrites, 'record'>, key: string, fingerprint: string, now: Date): Decided {
  const { event, gathered } = writes;
  // A refund of an order that no program has seen is an input problem (it may arrive before
  // its purchase): refused, not recorded, so it can be sent again.
  const { outcomes } = gathered;
  if (event.type === 'refund' && outcomes.length > 0 && outcomes.every((o) => !o.ok && o.issues.some((i) => i.code === 'unknown_order'))) {
    fail('unknown_order', ['orderId'], `no program knows order "${event.orderId}"`);
  }
  const record: ProcessedRecord = { eventId: key, customerId: event.customerId, fingerprint, outcomes, recordedAt: now };
  return { result: { eventId: event.id, customerId: event.customerId, replayed: false, outcomes }, writes: { ...writes, record } };
}

/**
 * Writes what {@link decideEvent} decided: each account's schedule (unless `schedules` is false:
 * processMany stores each account's schedule once, after its last event), the order claims, and
 * one append of the transactions, the processed record and the notifications.
 */
export async function writeEvent(session: StoreSession, writes: EventWrites, schedules = true): Promise<void> {
  const { customer, orderKeys, gathered, record } = writes;
  if (session.appendBatch) {
    const planned = [];
    if (schedules) for (const { program, write } of gathered.writes) planned.push({ programId: program.id, customerId: customer.id, schedule: await nextSchedule(session, program, customer.id, customer, write.state) });
    const counters = orderKeys.map((name) => ({ name, by: 1 }));
    await session.appendBatch({ schedules: planned, counters, writes: gathered.writes.map((w) => w.write), processed: record, outbox: gathered.notifications });
    return;
  }
  if (schedules) for (const { program, write } of gathered.writes) await reschedule(session, program, customer.id, customer, write.state);
  for (const name of orderKeys) await session.addToCounter(name, 1);
  await session.append(
    gathered.writes.map((w) => w.write),
    record,
    gathered.notifications,
  );
}

/** {@link writeEvent} in a synchronous session: the same writes, in the same order. */
export function writeEventSync(session: SyncStoreSession, writes: EventWrites, schedules = true): void {
  const { customer, orderKeys, gathered, record } = writes;
  if (schedules) for (const { program, write } of gathered.writes) rescheduleSync(session, program, customer.id, customer, write.state);
  for (const name of orderKeys) session.addToCounter(name, 1);
  session.append(
    gathered.writes.map((w) => w.write),
    record,
    gathered.notifications,
  );
}

/**
 * `process` of a parsed event: a replay returns the recorded outcomes; a changed payload is a
 * conflict. Over a store with a synchronous unit (the memory store, when idle) the event runs in
 * it, with no microtask per read; over any other, in `unit`. Same reads, writes and result.
 */
export async function processEvent(ctx: ServiceContext, event: LoyaltyEvent): Promise<ProcessResult> {
  const fingerprint = eventFingerprint(event);
  const sync = ctx.syncUnit?.((session) => {
    const d = decideEventSync(ctx, session, event, fingerprint);
    if (d.writes) writeEventSync(session, d.writes);
    return d.result;
  });
  if (sync) return sync.value;
  return ctx.store.unit(async (session) => {
    const d = await decideEvent(ctx, session, event, fingerprint);
    if (d.writes) await writeEvent(session, d.writes);
    return d.result;
  });
}

/** `explain`: what each program the event reaches would decide, read-only. */
export async function explainParsed(ctx: ServiceContext, event: LoyaltyEvent): Promise<readonly (Explanation & { readonly ok: boolean; readonly issues: readonly Issue[] })[]> {
  return ctx.store.unit(async (session) => {
    const { customer, programs: reached } = await targets(ctx, session, event);
    const now = ctx.clock.now();
    const out = [];
    for (const program of reached) out.push(explainEvent(program, await loadAccount(session, program.id, customer.id), event, { customer, now }));
    return out;
  });
}
