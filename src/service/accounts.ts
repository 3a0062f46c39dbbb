// Accounts as the service reads and writes them: the one way to load an account (stored, or
// empty before its first write), the one place that computes an account's next due instant,
// who an event or request reaches, enrolment, and the account read.
import type { Customer } from '../schema/customer';
import type { LoyaltyEvent } from '../schema/events';
import { applyTransaction, emptyAccountState } from '../ledger/fold';
import { balanceAt } from '../ledger/read';
import type { AccountState, Transaction, Unit } from '../ledger/types';
import { hooksOf } from '../kinds';
import type { Program } from '../engine/program';
import { nextDueAt } from '../engine/tick';
import type { AccountWrite, Schedule, StoreSession, StoredCustomer, SyncStoreSession } from '../store/types';
import { parseArgument, accountArgumentSchema, upsertArgumentSchema } from './arguments';
import { fail, type ServiceContext } from './context';
import type { AccountQuery, AccountView, UpsertCustomerInput } from './types';

/** Before any tick, the schedule is computed from the start of time, so nothing due is missed. */
const EPOCH = new Date(0);
const PSEUDONYM_PREFIX = 'forgotten-';

/** Ids of the form `forgotten-<digits>` are the pseudonyms of forgotten customers: no customer may take one. */
const isPseudonym = (id: string): boolean => id.startsWith(PSEUDONYM_PREFIX) && /^\d+$/.test(id.slice(PSEUDONYM_PREFIX.length));

/** The pseudonym `forgetCustomer` gives for a sequence number. */
export const pseudonymOf = (sequence: number): string => `${PSEUDONYM_PREFIX}${sequence.toString().padStart(8, '0')}`;

/** The stored state of an account, or the empty one an account has before its first write. */
export async function loadAccount(session: StoreSession, programId: string, customerId: string): Promise<AccountState> {
  return (await session.getAccount(programId, customerId)) ?? emptyAccountState(programId, customerId);
}

/**
 * Stores when an account next needs a tick, given its new state. `tickedAt` is the tick that just
 * ran; when left out, the account's last tick (read from the store) is kept.
 */
export async function reschedule(session: StoreSession, program: Program, customerId: string, customer: Customer | undefined, state: AccountState, tickedAt?: Date): Promise<void> {
  await session.setSchedule(program.id, customerId, await nextSchedule(session, program, customerId, customer, state, tickedAt));
}

/** The schedule {@link reschedule} stores, without storing it (for `appendBatch`). */
export async function nextSchedule(session: StoreSession, program: Program, customerId: string, customer: Customer | undefined, state: AccountState, tickedAt?: Date): Promise<Schedule> {
  const lastTick = tickedAt ?? (await session.getSchedule(program.id, customerId))?.tickedAt ?? null;
  return scheduleOf(program, customer, state, lastTick);
}

/** {@link reschedule} in a synchronous session, the account's last tick kept. */
export function rescheduleSync(session: SyncStoreSession, program: Program, customerId: string, customer: Customer | undefined, state: AccountState): void {
  const lastTick = session.getSchedule(program.id, customerId)?.tickedAt ?? null;
  session.setSchedule(program.id, customerId, scheduleOf(program, customer, state, lastTick));
}

/** An account's schedule: its next due instant after `lastTick` (from the start of time before any tick). */
function scheduleOf(program: Program, customer: Customer | undefined, state: AccountState, lastTick: Date | null): Schedule {
  return { dueAt: nextDueAt(program, state, lastTick ?? EPOCH, { customer }), tickedAt: lastTick };
}

/** The write of a decision's transaction (the account's schedule is stored apart, see {@link reschedule}). */
export function accountWrite(program: Program, customer: Customer, account: AccountState, tx: Transaction): AccountWrite {
  return { programId: program.id, customerId: customer.id, expectedVersion: account.version, state: applyTransaction(account, tx), transaction: tx };
}

/** The write of a decision's transaction, with the account's next due instant stored. */
export async function writeFor(session: StoreSession, program: Program, customer: Customer, account: AccountState, tx: Transaction): Promise<AccountWrite> {
  const state = applyTransaction(account, tx);
  await reschedule(session, program, customer.id, customer, state);
  return { programId: program.id, customerId: customer.id, expectedVersion: account.version, state, transaction: tx };
}

/** The profile of a customer enrolled in a program; an unknown customer or a missing enrolment is thrown. */
export async function enrolledCustomer(session: StoreSession, customerId: string, programId: string): Promise<Customer> {
  return enrolledIn(await session.getCustomer(customerId), customerId, programId);
}

/** The profile of a stored customer enrolled in a program; an unknown customer or a missing enrolment is thrown. */
function enrolledIn(stored: StoredCustomer | undefined, customerId: string, programId: string): Customer {
  if (!stored) fail('unknown_customer', ['customerId'], `no customer "${customerId}": upsert the customer first`);
  if (!stored.programs.includes(programId)) fail('not_enrolled', ['programId'], `customer "${customerId}" is not enrolled in "${programId}"`);
  return stored.profile;
}

/** Who an event reaches. */
export interface Targets {
  readonly customer: Customer;
  readonly programs: readonly Program[];
}

/** The customer an event is for, and the programs it reaches: the one it names, or all the customer is enrolled in. */
export async function targets(ctx: ServiceContext, session: StoreSession, event: LoyaltyEvent): Promise<Targets> {
  return targetsOf(ctx, event, await session.getCustomer(event.customerId));
}

/** {@link targets} in a synchronous session. */
export function targetsSync(ctx: ServiceContext, session: SyncStoreSession, event: LoyaltyEvent): Targets {
  return targetsOf(ctx, event, session.getCustomer(event.customerId));
}

function targetsOf(ctx: ServiceContext, event: LoyaltyEvent, stored: StoredCustomer | undefined): Targets {
  if (event.programId !== undefined) {
    const program = ctx.programOf(event.programId);
    return { customer: enrolledIn(stored, event.customerId, program.id), programs: [program] };
  }
  if (!stored) fail('unknown_customer', ['customerId'], `no customer "${event.customerId}": upsert the customer first`);
  const programs: Program[] = [];
  for (const id of stored.programs) {
    const program = ctx.programs.get(id);
    if (program) programs.push(program);
  }
  return { customer: stored.profile, programs };
}

/** `upsertCustomer`: stores the profile, enrols it, and opens and schedules each account. */
export async function upsertCustomer(ctx: ServiceContext, input: UpsertCustomerInput): Promise<Customer> {
  const { customer, programs: given } = parseArgument(upsertArgumentSchema, input, []);
  if (isPseudonym(customer.id)) fail('reserved_id', ['customer', 'id'], `"${customer.id}" has the form of a pseudonym that forgetCustomer gives; choose another customer id`);
  const wanted = given ?? [...ctx.programs.keys()];
  for (const [i, id] of wanted.entries()) if (!ctx.programs.has(id)) fail('unknown_program', ['programs', i], `no program "${id}"`);
  return ctx.store.unit(async (session) => {
    const stored = await session.getCustomer(customer.id);
    const enrolled = new Set(stored?.programs ?? []);
    for (const id of wanted) enrolled.add(id);
    await session.putCustomer({ profile: customer, programs: [...enrolled] });
    for (const id of enrolled) {
      await session.putAccountIfAbsent(emptyAccountState(id, customer.id));
      const program = ctx.programOf(id);
      await reschedule(session, program, customer.id, customer, await loadAccount(session, id, customer.id));
    }
    return customer;
  });
}

/** `account`: the account as of an instant, with its balances in every unit it holds. */
export async function accountView(ctx: ServiceContext, input: AccountQuery): Promise<AccountView> {
  const { customerId, programId, at: given } = parseArgument(accountArgumentSchema, input, []);
  const program = ctx.programOf(programId);
  const at = given ?? ctx.clock.now();
  return ctx.store.unit(async (session) => {
    const state = await session.getAccount(programId, customerId);
    if (!state) fail('unknown_account', ['customerId'], `customer "${customerId}" has no account in "${programId}"`);
    const stored = await session.getCustomer(customerId);
    const schedule = await session.getSchedule(programId, customerId);
    const units = new Set<Unit>(['points', ...state.lots.map((l) => l.unit), ...(Object.keys(state.debt) as Unit[])]);
    return {
      programId,
      customerId,
      at,
      balance: balanceAt(state, at, hooksOf(program).unit(program)),
      balances: Object.fromEntries([...units].map((u) => [u, balanceAt(state, at, u)])),
      lots: state.lots,
      state,
      // Read-only: an account never scheduled gets its due instant computed, not stored.
      nextDueAt: schedule ? schedule.dueAt : nextDueAt(program, state, at, { customer: stored?.profile }),
    };
  });
}
