import { Decimal } from '../money/decimal';
import { LoyaltyError, type Issue } from '../errors';
import { systemClock, type Clock } from '../time';
import { customerSchema, type Customer, type CustomerInput } from '../schema/customer';
import { eventSchema, type LoyaltyEvent } from '../schema/events';
import { issuesFromZod } from '../schema/issues';
import { applyTransaction, emptyAccountState } from '../ledger/fold';
import { balanceAt, type Balance } from '../ledger/read';
import { verifyFold } from '../ledger/check';
import type { AccountState, Lot } from '../ledger/types';
import { evaluate, explain as explainEvent } from '../engine/evaluate';
import type { Explanation } from '../engine/explain-types';
import type { Program } from '../engine/program';
import type { Notification } from '../engine/notifications';
import { memoryStore } from '../store/memory';
import type { AccountWrite, HistoryPage, OutboxRow, ProcessedRecord, ProgramOutcome, Store, StoreSession } from '../store/types';
import { canonicalEvent } from './canonical';

/** Refusals that mean the input was wrong: thrown, never recorded, so a corrected retry works. */
const INPUT_REFUSALS = new Set(['currency_mismatch', 'event_too_late', 'wrong_program', 'wrong_account']);

/** Options of `createLoyalty`. */
export interface LoyaltyOptions {
  readonly programs: readonly Program[];
  /** Defaults to `memoryStore()`. */
  readonly store?: Store | undefined;
  /** Defaults to the system clock; inject one in tests and backtests. */
  readonly clock?: Clock | undefined;
}

/** The result of `process`: the outcome per program the event reached. */
export interface ProcessResult {
  readonly eventId: string;
  readonly customerId: string;
  /** True when this delivery was a replay of an event already processed. */
  readonly replayed: boolean;
  readonly outcomes: readonly ProgramOutcome[];
}

/** An account read as of an instant. */
export interface AccountView {
  readonly programId: string;
  readonly customerId: string;
  readonly at: Date;
  readonly balance: Balance;
  readonly lots: readonly Lot[];
  readonly state: AccountState;
}

/** The service over a store; made by `createLoyalty`. */
export interface Loyalty {
  /** Creates or updates a customer and enrols them (in `programs`, default all). */
  upsertCustomer(profile: CustomerInput, options?: { readonly programs?: readonly string[] | undefined }): Promise<Customer>;
  /** Processes one event, idempotently by event id, in every program the customer is enrolled in (or the one it names). */
  process(event: unknown): Promise<ProcessResult>;
  /** Explains an event without writing anything. */
  explain(event: unknown): Promise<readonly (Explanation & { readonly ok: boolean; readonly issues: readonly Issue[] })[]>;
  /** The account as of `at` (default: now). */
  account(customerId: string, programId: string, options?: { readonly at?: Date | undefined }): Promise<AccountView>;
  /** The account's transactions, newest first, a page at a time. */
  history(customerId: string, programId: string, page?: { readonly limit?: number | undefined; readonly before?: number | undefined }): Promise<HistoryPage>;
  /** Erases the profile; the ledger stays under a pseudonymous id, which is returned. */
  forgetCustomer(customerId: string): Promise<{ readonly pseudonym: string }>;
  /** Checks that the stored state of an account equals the fold of its ledger, and conservation. */
  verify(customerId: string, programId: string): Promise<readonly Issue[]>;
  /** Notifications not yet acknowledged, oldest first. */
  outbox(limit?: number): Promise<readonly OutboxRow[]>;
  /** Marks outbox rows as delivered. */
  acknowledge(seqs: readonly number[]): Promise<void>;
}

function fail(code: string, path: (string | number)[], message: string): never {
  throw new LoyaltyError([{ code, path, message }]);
}

/**
 * Parses an event at the boundary: zod-validated, amounts exact, times as Dates. Throws
 * `LoyaltyError` naming each bad field by its path.
 *
 * @example
 * ```ts
 * const event = parseEvent({ id: 'e1', customerId: 'c1', type: 'signup', occurredAt: '2027-01-31T10:00:00Z' });
 * ```
 */
export function parseEvent(input: unknown): LoyaltyEvent {
  const parsed = eventSchema.safeParse(input);
  if (!parsed.success) throw new LoyaltyError(issuesFromZod(parsed.error));
  return parsed.data;
}

/**
 * Parses a customer profile at the boundary.
 *
 * @example
 * ```ts
 * const customer = parseCustomer({ id: 'c1', enrolledAt: '2027-01-01T00:00:00Z', birthday: '--03-15' });
 * ```
 */
export function parseCustomer(input: unknown): Customer {
  const parsed = customerSchema.safeParse(input);
  if (!parsed.success) throw new LoyaltyError(issuesFromZod(parsed.error));
  return parsed.data;
}

/**
 * Creates the loyalty service over a store: idempotent event processing, enrolment, reads and the
 * transactional outbox.
 *
 * @example
 * ```ts
 * const loyalty = createLoyalty({ programs: [program], store: memoryStore(), clock: fixedClock('2027-02-01T00:00:00Z') });
 * await loyalty.upsertCustomer({ id: 'c1', enrolledAt: '2027-01-01T00:00:00Z' });
 * const result = await loyalty.process({ id: 'e1', customerId: 'c1', type: 'signup', occurredAt: '2027-01-31T10:00:00Z' });
 * ```
 */
export function createLoyalty(options: LoyaltyOptions): Loyalty {
  const store = options.store ?? memoryStore();
  const clock = options.clock ?? systemClock;
  const programs = new Map<string, Program>();
  for (const p of options.programs) {
    if (programs.has(p.id)) fail('duplicate_program', ['programs'], `program "${p.id}" is given twice`);
    programs.set(p.id, p);
  }
  const programOf = (id: string): Program => programs.get(id) ?? fail('unknown_program', ['programId'], `no program "${id}"`);

  async function targets(session: StoreSession, event: LoyaltyEvent): Promise<{ customer: Customer; programs: Program[] }> {
    const stored = await session.getCustomer(event.customerId);
    if (!stored) fail('unknown_customer', ['customerId'], `no customer "${event.customerId}": upsert the customer first`);
    if (event.programId !== undefined) {
      const program = programOf(event.programId);
      if (!stored.programs.includes(program.id)) fail('not_enrolled', ['programId'], `customer "${event.customerId}" is not enrolled in "${program.id}"`);
      return { customer: stored.profile, programs: [program] };
    }
    return { customer: stored.profile, programs: stored.programs.flatMap((id) => programs.get(id) ?? []) };
  }

  async function processParsed(event: LoyaltyEvent): Promise<ProcessResult> {
    const fingerprint = canonicalEvent(event);
    return store.unit(async (session) => {
      const seen = await session.getProcessed(event.id);
      if (seen) {
        if (seen.fingerprint !== fingerprint || seen.customerId !== event.customerId) {
          fail('idempotency_conflict', ['id'], `event "${event.id}" was processed before with a different payload`);
        }
        return { eventId: event.id, customerId: event.customerId, replayed: true, outcomes: seen.outcomes };
      }
      const { customer, programs: reached } = await targets(session, event);
      const now = clock.now();
      const writes: AccountWrite[] = [];
      const outcomes: ProgramOutcome[] = [];
      const notifications: Notification[] = [];
      for (const program of reached) {
        const account = (await session.getAccount(program.id, customer.id)) ?? emptyAccountState(program.id, customer.id);
        const decision = evaluate(program, account, event, { customer, now });
        if (!decision.ok) {
          const inputIssue = decision.issues.find((i) => INPUT_REFUSALS.has(i.code));
          if (inputIssue) throw new LoyaltyError(decision.issues);
          outcomes.push({ programId: program.id, ok: false, issues: decision.issues });
          continue;
        }
        outcomes.push({ programId: program.id, ok: true, transaction: decision.transaction, notifications: decision.notifications });
        notifications.push(...decision.notifications);
        if (decision.transaction) {
          writes.push({ programId: program.id, customerId: customer.id, expectedVersion: account.version, state: applyTransaction(account, decision.transaction), transaction: decision.transaction });
        }
      }
      const record: ProcessedRecord = { eventId: event.id, customerId: event.customerId, fingerprint, outcomes, recordedAt: now };
      await session.append(writes, record, notifications);
      return { eventId: event.id, customerId: event.customerId, replayed: false, outcomes };
    });
  }

  return {
    async upsertCustomer(profile, opts) {
      const customer = parseCustomer(profile);
      const wanted = opts?.programs ?? [...programs.keys()];
      for (const id of wanted) programOf(id);
      return store.unit(async (session) => {
        const stored = await session.getCustomer(customer.id);
        const enrolled = new Set(stored?.programs ?? []);
        for (const id of wanted) enrolled.add(id);
        await session.putCustomer({ profile: customer, programs: [...enrolled] });
        for (const id of enrolled) await session.putAccountIfAbsent(emptyAccountState(id, customer.id));
        return customer;
      });
    },

    async process(input) {
      return processParsed(parseEvent(input));
    },

    async explain(input) {
      const event = parseEvent(input);
      return store.unit(async (session) => {
        const { customer, programs: reached } = await targets(session, event);
        const now = clock.now();
        const out = [];
        for (const program of reached) {
          const account = (await session.getAccount(program.id, customer.id)) ?? emptyAccountState(program.id, customer.id);
          out.push(explainEvent(program, account, event, { customer, now }));
        }
        return out;
      });
    },

    async account(customerId, programId, opts) {
      programOf(programId);
      const at = opts?.at ?? clock.now();
      return store.unit(async (session) => {
        const state = await session.getAccount(programId, customerId);
        if (!state) fail('unknown_account', ['customerId'], `customer "${customerId}" has no account in "${programId}"`);
        return { programId, customerId, at, balance: balanceAt(state, at), lots: state.lots, state };
      });
    },

    async history(customerId, programId, page) {
      programOf(programId);
      const limit = page?.limit ?? 50;
      if (!Number.isSafeInteger(limit) || limit < 1 || limit > 1000) fail('invalid_page', ['limit'], 'limit must be 1 to 1000');
      return store.unit((session) => session.history(programId, customerId, { limit, before: page?.before }));
    },

    async forgetCustomer(customerId) {
      return store.unit(async (session) => {
        const pseudonym = `forgotten-${(await session.nextSequence('pseudonym')).toString().padStart(8, '0')}`;
        const found = await session.forgetCustomer(customerId, pseudonym);
        if (!found) fail('unknown_customer', ['customerId'], `no customer "${customerId}"`);
        return { pseudonym };
      });
    },

    async verify(customerId, programId) {
      programOf(programId);
      return store.unit(async (session) => {
        const state = await session.getAccount(programId, customerId);
        if (!state) return [{ code: 'unknown_account', path: ['customerId'], message: `no account for ${customerId} in ${programId}` }];
        return verifyFold(state, await session.transactions(programId, customerId));
      });
    },

    async outbox(limit = 100) {
      return store.unit((session) => session.outbox(limit));
    },

    async acknowledge(seqs) {
      return store.unit((session) => session.acknowledge(seqs));
    },
  };
}

/** Sum of the points an outcome earned, for convenience in hosts and examples. */
export function pointsEarned(outcome: ProgramOutcome): Decimal {
  if (!outcome.ok || !outcome.transaction) return new Decimal(0);
  return outcome.transaction.entries.reduce((s, e) => (e.kind === 'earn' ? s.plus(e.lot.amount) : s), new Decimal(0));
}

