// The service's upkeep and reads: scheduled ticks, history pages, forgetting a customer,
// verifying an account against its ledger, and the transactional outbox.
import { LoyaltyError, type Issue } from '../errors';
import { applyTransaction } from '../ledger/fold';
import { verifyFold } from '../ledger/check';
import type { Program } from '../engine/program';
import { tick } from '../engine/tick';
import type { AccountWrite, HistoryPage, OutboxRow } from '../store/types';
import { loadAccount, pseudonymOf, reschedule } from './accounts';
import { accountKeySchema, acknowledgeArgumentSchema, forgetArgumentSchema, historyArgumentSchema, outboxArgumentSchema, parseArgument, tickArgumentSchema } from './arguments';
import { fail, type ServiceContext } from './context';
import type { HistoryQuery, RequestTarget, TickDueOptions, TickDueResult, TickFailure } from './types';

/** How long `tickDue` waits before it tries a failing account again. */
const TICK_RETRY_MS = 60 * 60_000;

/** Ticks one due account in its own unit of work; true when it wrote a transaction. */
async function tickOne(ctx: ServiceContext, program: Program, customerId: string, now: Date): Promise<boolean> {
  const programId = program.id;
  return ctx.store.unit(async (session) => {
    const schedule = await session.getSchedule(programId, customerId);
    if (!schedule?.dueAt || schedule.dueAt.getTime() > now.getTime()) return false;
    const stored = await session.getCustomer(customerId);
    const customer = stored?.profile;
    const account = await loadAccount(session, programId, customerId);
    const decision = tick(program, account, now, { customer });
    let state = account;
    const writes: AccountWrite[] = [];
    if (decision.ok && decision.transaction) {
      state = applyTransaction(account, decision.transaction);
      writes.push({ programId, customerId, expectedVersion: account.version, state, transaction: decision.transaction });
    }
    await reschedule(session, program, customerId, customer, state, now);
    await session.append(writes, undefined, decision.ok ? decision.notifications : []);
    return writes.length > 0;
  });
}

/** Puts a failing account back in the queue after a pause, keeping its last tick. */
async function retryLater(ctx: ServiceContext, programId: string, customerId: string, now: Date): Promise<void> {
  await ctx.store.unit(async (session) => {
    const schedule = await session.getSchedule(programId, customerId);
    await session.setSchedule(programId, customerId, { dueAt: new Date(now.getTime() + TICK_RETRY_MS), tickedAt: schedule?.tickedAt ?? null });
  });
}

/** `tickDue`: ticks the accounts that are due, each in its own unit of work. */
export async function tickDue(ctx: ServiceContext, input: TickDueOptions): Promise<TickDueResult> {
  const given = parseArgument(tickArgumentSchema, input, []);
  const now = given.now ?? ctx.clock.now();
  const limit = given.limit ?? 1000;
  const due = await ctx.store.unit((session) => session.dueAccounts(now, limit));
  let changed = 0;
  const failed: TickFailure[] = [];
  for (const { programId, customerId } of due) {
    const program = ctx.programs.get(programId);
    if (!program) continue;
    try {
      if (await tickOne(ctx, program, customerId, now)) changed += 1;
    } catch (error) {
      // One bad account never blocks the others: it is reported, and retried after a pause so
      // that it does not stay at the head of the queue.
      const issues: readonly Issue[] = error instanceof LoyaltyError ? error.issues : [{ code: 'tick_failed', path: [], message: error instanceof Error ? error.message : String(error) }];
      failed.push({ programId, customerId, issues });
      await retryLater(ctx, programId, customerId, now);
    }
  }
  return { ticked: due.length, changed, failed };
}

/** `history`: a page of an account's transactions, newest first. */
export async function historyPage(ctx: ServiceContext, input: HistoryQuery): Promise<HistoryPage> {
  const { customerId, programId, limit = 50, before } = parseArgument(historyArgumentSchema, input, []);
  ctx.programOf(programId);
  return ctx.store.unit((session) => session.history(programId, customerId, { limit, before }));
}

/** `forgetCustomer`: erases the profile and moves the ledger under a fresh pseudonym. */
export async function forgetCustomer(ctx: ServiceContext, input: { readonly customerId: string }): Promise<{ readonly pseudonym: string }> {
  const { customerId } = parseArgument(forgetArgumentSchema, input, []);
  return ctx.store.unit(async (session) => {
    // The store refuses a pseudonym that names anything already (an account written before
    // pseudonyms were reserved, say): take the next number, never overwrite.
    for (let attempt = 0; attempt < 100; attempt++) {
      const pseudonym = pseudonymOf(await session.nextSequence('pseudonym'));
      const result = await session.forgetCustomer(customerId, pseudonym);
      if (result === 'unknown_customer') fail('unknown_customer', ['customerId'], `no customer "${customerId}"`);
      if (result === 'forgotten') return { pseudonym };
    }
    return fail('pseudonym_taken', ['customerId'], 'no free pseudonym found in 100 tries');
  });
}

/** `verify`: the stored state against the fold of the account's ledger, and conservation. */
export async function verifyAccount(ctx: ServiceContext, input: RequestTarget): Promise<readonly Issue[]> {
  const { customerId, programId } = parseArgument(accountKeySchema, input, []);
  ctx.programOf(programId);
  return ctx.store.unit(async (session) => {
    const state = await session.getAccount(programId, customerId);
    if (!state) return [{ code: 'unknown_account', path: ['customerId'], message: `no account for ${customerId} in ${programId}` }];
    return verifyFold(state, await session.transactions(programId, customerId), { programId, customerId });
  });
}

/** `outbox`: notifications not yet acknowledged, oldest first. */
export async function readOutbox(ctx: ServiceContext, input: { readonly limit?: number | undefined }): Promise<readonly OutboxRow[]> {
  const { limit = 100 } = parseArgument(outboxArgumentSchema, input, []);
  return ctx.store.unit((session) => session.outbox(limit));
}

/** `acknowledge`: marks outbox rows as delivered. */
export async function acknowledgeRows(ctx: ServiceContext, input: { readonly seqs: readonly number[] }): Promise<void> {
  const { seqs } = parseArgument(acknowledgeArgumentSchema, input, []);
  return ctx.store.unit((session) => session.acknowledge(seqs));
}
