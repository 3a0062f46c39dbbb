// An event through the service: the idempotency check, each program it reaches evaluated on the
// stored account, and one append of the writes, the processed record and the notifications.
import { LoyaltyError, type Issue } from '../errors';
import type { Customer } from '../schema/customer';
import type { LoyaltyEvent } from '../schema/events';
import { evaluate, explain as explainEvent } from '../engine/evaluate';
import type { Explanation } from '../engine/explain-types';
import type { Notification } from '../engine/notifications';
import type { Program } from '../engine/program';
import type { AccountWrite, ProcessedRecord, ProgramOutcome, StoreSession } from '../store/types';
import { loadAccount, targets, writeFor } from './accounts';
import { canonicalEvent } from './canonical';
import { eventKey, fail, isInputRefusal, orderKeyOf, type ServiceContext } from './context';
import type { ProcessResult } from './types';

/** What the programs an event reached decided, gathered for one append. */
interface Gathered {
  readonly writes: AccountWrite[];
  readonly outcomes: ProgramOutcome[];
  readonly notifications: Notification[];
}

/** `process` of a parsed event: a replay returns the recorded outcomes; a changed payload is a conflict. */
export async function processEvent(ctx: ServiceContext, event: LoyaltyEvent): Promise<ProcessResult> {
  const fingerprint = canonicalEvent(event);
  return ctx.store.unit(async (session) => {
    const seen = await session.getProcessed(eventKey(event.id));
    if (seen) {
      if (seen.fingerprint !== fingerprint || seen.customerId !== event.customerId) {
        fail('idempotency_conflict', ['id'], `event "${event.id}" was processed before with a different payload`);
      }
      return { eventId: event.id, customerId: event.customerId, replayed: true, outcomes: seen.outcomes };
    }
    const { customer, programs: reached } = await targets(ctx, session, event);
    const now = ctx.clock.now();
    const gathered: Gathered = { writes: [], outcomes: [], notifications: [] };
    for (const program of reached) await evaluateIn(session, program, customer, event, now, gathered);
    // A refund of an order that no program has seen is an input problem (it may arrive before
    // its purchase): refused, not recorded, so it can be sent again.
    const { outcomes } = gathered;
    if (event.type === 'refund' && outcomes.length > 0 && outcomes.every((o) => !o.ok && o.issues.some((i) => i.code === 'unknown_order'))) {
      fail('unknown_order', ['orderId'], `no program knows order "${event.orderId}"`);
    }
    if (event.type === 'purchase') for (const program of reached) await session.addToCounter(orderKeyOf(program.id, event.orderId), 1);
    const record: ProcessedRecord = { eventId: eventKey(event.id), customerId: event.customerId, fingerprint, outcomes, recordedAt: now };
    await session.append(gathered.writes, record, gathered.notifications);
    return { eventId: event.id, customerId: event.customerId, replayed: false, outcomes };
  });
}

/** Evaluates an event in one program on the stored account; an input refusal is thrown, a business one gathered. */
async function evaluateIn(session: StoreSession, program: Program, customer: Customer, event: LoyaltyEvent, now: Date, gathered: Gathered): Promise<void> {
  // One order earns once, whatever its event ids: a second purchase of an order is a conflict.
  if (event.type === 'purchase' && (await session.counter(orderKeyOf(program.id, event.orderId))) > 0) {
    fail('order_conflict', ['orderId'], `order "${event.orderId}" was already bought in program ${program.id} by another event; send a refund or an adjustment instead`);
  }
  const account = await loadAccount(session, program.id, customer.id);
  const orderTransactions = event.type === 'refund' ? await session.transactionsByOrder(program.id, customer.id, event.orderId) : undefined;
  const decision = evaluate(program, account, event, { customer, now, orderTransactions });
  if (!decision.ok) {
    if (isInputRefusal(decision.issues)) throw new LoyaltyError(decision.issues);
    gathered.outcomes.push({ programId: program.id, ok: false, issues: decision.issues });
    return;
  }
  gathered.outcomes.push({ programId: program.id, ok: true, transaction: decision.transaction, notifications: decision.notifications });
  gathered.notifications.push(...decision.notifications);
  if (decision.transaction) gathered.writes.push(await writeFor(session, program, customer, account, decision.transaction));
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
