import type * as z from 'zod';
import { Decimal } from '../money/decimal';
import { LoyaltyError, type Issue } from '../errors';
import { systemClock, type Clock } from '../time';
import { customerSchema, type Customer, type CustomerInput } from '../schema/customer';
import { eventSchema, type LoyaltyEvent } from '../schema/events';
import { issuesFromZod } from '../schema/issues';
import { instantSchema } from '../schema/primitives';
import {
  adjustRequestSchema,
  cancelRequestSchema,
  captureRequestSchema,
  holdRequestSchema,
  quoteRequestSchema,
  redeemRequestSchema,
  releaseRequestSchema,
  reverseRequestSchema,
  rewardRequestSchema,
  type QuoteRequestInput,
} from '../schema/requests';
import { applyTransaction, emptyAccountState } from '../ledger/fold';
import { balanceAt, type Balance } from '../ledger/read';
import { verifyFold } from '../ledger/check';
import { encodeLedgerJson } from '../ledger/codec';
import type { AccountState, Lot, Transaction, Unit } from '../ledger/types';
import { hooksOf } from '../engine/kinds';
import { evaluate, explain as explainEvent } from '../engine/evaluate';
import type { Decision } from '../engine/decision';
import type { Explanation } from '../engine/explain-types';
import type { Program } from '../engine/program';
import type { Notification } from '../engine/notifications';
import { cancelRedemption, capture, hold, quote as quoteOrder, redeem, release, type Quote } from '../engine/redeem';
import { adjust, reverse } from '../engine/adjust';
import { redeemReward, type RedeemRewardOptions } from '../engine/catalog';
import { nextDueAt, tick } from '../engine/tick';
import { memoryStore } from '../store/memory';
import type { AccountWrite, HistoryPage, OutboxRow, ProcessedRecord, ProgramOutcome, Store, StoreSession } from '../store/types';
import { canonicalEvent } from './canonical';

/** Refusals that mean the input was wrong: thrown, never recorded, so a corrected retry works. */
const INPUT_REFUSALS = new Set(['currency_mismatch', 'event_too_late', 'event_in_future', 'wrong_program', 'wrong_account', 'unknown_line', 'invalid_points']);
const EPOCH = new Date(0);
/** The idempotency key of an event id (requests use their own, so the two never collide). */
const eventKey = (id: string): string => JSON.stringify(['event', id]);

/** Options of `createLoyalty`. */
export interface LoyaltyOptions {
  readonly programs: readonly Program[];
  /** Defaults to `memoryStore()`. */
  readonly store?: Store | undefined;
  /** Defaults to the system clock; inject one in tests and backtests. */
  readonly clock?: Clock | undefined;
  /** Makes reward codes; by default they are derived from the request id. */
  readonly rewardCodes?: RedeemRewardOptions['code'];
}

/** The result of `process`: the outcome per program the event reached. */
export interface ProcessResult {
  readonly eventId: string;
  readonly customerId: string;
  /** True when this delivery was a replay of an event already processed. */
  readonly replayed: boolean;
  readonly outcomes: readonly ProgramOutcome[];
}

/** The result of a request (redeem, hold, adjust…): its one outcome, replayed for a repeated request id. */
export interface RequestResult {
  readonly requestId: string;
  readonly replayed: boolean;
  readonly outcome: ProgramOutcome;
}

/** An account read as of an instant. */
export interface AccountView {
  readonly programId: string;
  readonly customerId: string;
  readonly at: Date;
  /** The balance in the program's own unit: points, or store credit in a spend program. */
  readonly balance: Balance;
  /** Balances in every unit the account holds (points, credit, punches). */
  readonly balances: Readonly<Partial<Record<Unit, Balance>>>;
  readonly lots: readonly Lot[];
  readonly state: AccountState;
  /** When the account next needs a tick (null: nothing scheduled). */
  readonly nextDueAt: Date | null;
}

/** Who and where a request is for. */
export interface RequestTarget {
  readonly customerId: string;
  readonly programId: string;
}

/** The service over a store; made by `createLoyalty`. */
export interface Loyalty {
  /** Creates or updates a customer and enrols them (in `programs`, default all). */
  upsertCustomer(profile: CustomerInput, options?: { readonly programs?: readonly string[] | undefined }): Promise<Customer>;
  /** Processes one event, idempotently by event id, in every program the customer is enrolled in (or the one it names). */
  process(event: unknown): Promise<ProcessResult>;
  /** Explains an event without writing anything. */
  explain(event: unknown): Promise<readonly (Explanation & { readonly ok: boolean; readonly issues: readonly Issue[] })[]>;
  /** The checkout slider: a pure quote over the stored account. */
  quote(target: RequestTarget, request: QuoteRequestInput): Promise<Quote>;
  /** Burns points (optionally on an order: then the quote's caps apply). */
  redeem(request: RequestTarget & z.input<typeof redeemRequestSchema>): Promise<RequestResult>;
  /** Restores a redemption's points with their original expiry. */
  cancelRedemption(request: RequestTarget & z.input<typeof cancelRequestSchema>): Promise<RequestResult>;
  /** Reserves points at checkout. */
  hold(request: RequestTarget & z.input<typeof holdRequestSchema>): Promise<RequestResult>;
  /** Takes all or part of a hold. */
  capture(request: RequestTarget & z.input<typeof captureRequestSchema>): Promise<RequestResult>;
  /** Returns what a hold still reserves. */
  release(request: RequestTarget & z.input<typeof releaseRequestSchema>): Promise<RequestResult>;
  /** A manual credit or debit, with actor and reason. */
  adjust(request: RequestTarget & z.input<typeof adjustRequestSchema>): Promise<RequestResult>;
  /** Undoes one transaction, at most once. */
  reverse(request: RequestTarget & z.input<typeof reverseRequestSchema>): Promise<RequestResult>;
  /** Exchanges points for a catalog reward (stock is counted program-wide). */
  redeemReward(request: RequestTarget & z.input<typeof rewardRequestSchema>): Promise<RequestResult>;
  /** Runs `tick` on the accounts whose next due instant has come (at most `limit`); returns how many changed. */
  tickDue(now: Date | string, options?: { readonly limit?: number | undefined }): Promise<{ readonly ticked: number; readonly changed: number }>;
  /** The account as of `at` (default: now). */
  account(customerId: string, programId: string, options?: { readonly at?: Date | string | undefined }): Promise<AccountView>;
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

function parseWith<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new LoyaltyError(issuesFromZod(parsed.error));
  return parsed.data;
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
  return parseWith(eventSchema, input);
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
  return parseWith(customerSchema, input);
}

/**
 * Creates the loyalty service over a store: idempotent event processing and requests,
 * enrolment, reads, scheduled ticks and the transactional outbox.
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

  async function enrolledCustomer(session: StoreSession, customerId: string, programId: string): Promise<Customer> {
    const stored = await session.getCustomer(customerId);
    if (!stored) fail('unknown_customer', ['customerId'], `no customer "${customerId}": upsert the customer first`);
    if (!stored.programs.includes(programId)) fail('not_enrolled', ['programId'], `customer "${customerId}" is not enrolled in "${programId}"`);
    return stored.profile;
  }

  async function targets(session: StoreSession, event: LoyaltyEvent): Promise<{ customer: Customer; programs: Program[] }> {
    if (event.programId !== undefined) {
      const program = programOf(event.programId);
      return { customer: await enrolledCustomer(session, event.customerId, program.id), programs: [program] };
    }
    const stored = await session.getCustomer(event.customerId);
    if (!stored) fail('unknown_customer', ['customerId'], `no customer "${event.customerId}": upsert the customer first`);
    return { customer: stored.profile, programs: stored.programs.flatMap((id) => programs.get(id) ?? []) };
  }

  /** The write of a decision's transaction, with the account's next due instant. */
  async function writeFor(session: StoreSession, program: Program, customer: Customer, account: AccountState, tx: Transaction): Promise<AccountWrite> {
    const state = applyTransaction(account, tx);
    const schedule = await session.getSchedule(program.id, customer.id);
    const tickedAt = schedule?.tickedAt ?? null;
    await session.setSchedule(program.id, customer.id, { dueAt: nextDueAt(program, state, tickedAt ?? EPOCH, { customer }), tickedAt });
    return { programId: program.id, customerId: customer.id, expectedVersion: account.version, state, transaction: tx };
  }

  async function processParsed(event: LoyaltyEvent): Promise<ProcessResult> {
    const fingerprint = canonicalEvent(event);
    return store.unit(async (session) => {
      const seen = await session.getProcessed(eventKey(event.id));
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
        const orderTransactions = event.type === 'refund' ? await session.transactionsByOrder(program.id, customer.id, event.orderId) : undefined;
        const decision = evaluate(program, account, event, { customer, now, orderTransactions });
        if (!decision.ok) {
          if (decision.issues.some((i) => INPUT_REFUSALS.has(i.code))) throw new LoyaltyError(decision.issues);
          outcomes.push({ programId: program.id, ok: false, issues: decision.issues });
          continue;
        }
        outcomes.push({ programId: program.id, ok: true, transaction: decision.transaction, notifications: decision.notifications });
        notifications.push(...decision.notifications);
        if (decision.transaction) writes.push(await writeFor(session, program, customer, account, decision.transaction));
      }
      // A refund of an order that no program has seen is an input problem (it may arrive before
      // its purchase): refused, not recorded, so it can be sent again.
      if (event.type === 'refund' && outcomes.length > 0 && outcomes.every((o) => !o.ok && o.issues.some((i) => i.code === 'unknown_order'))) {
        fail('unknown_order', ['orderId'], `no program knows order "${event.orderId}"`);
      }
      const record: ProcessedRecord = { eventId: eventKey(event.id), customerId: event.customerId, fingerprint, outcomes, recordedAt: now };
      await session.append(writes, record, notifications);
      return { eventId: event.id, customerId: event.customerId, replayed: false, outcomes };
    });
  }

  /**
   * Runs one request idempotently by its id: a repeat with the same payload returns the first
   * outcome (a business refusal included: it is sticky); a different payload is a conflict.
   */
  async function runRequest(
    operation: string,
    target: RequestTarget,
    requestId: string,
    payload: unknown,
    decide: (ctx: { session: StoreSession; program: Program; customer: Customer; account: AccountState }) => Promise<Decision>,
    after?: (ctx: { session: StoreSession; decision: Decision }) => Promise<void>,
  ): Promise<RequestResult> {
    const program = programOf(target.programId);
    // Requests and events keep their idempotency records apart; request ids are per program.
    const key = JSON.stringify(['request', program.id, requestId]);
    const fingerprint = JSON.stringify(encodeLedgerJson({ operation, programId: program.id, payload }));
    return store.unit(async (session) => {
      const seen = await session.getProcessed(key);
      const outcome = seen?.outcomes[0];
      if (seen && outcome) {
        if (seen.fingerprint !== fingerprint || seen.customerId !== target.customerId) {
          fail('idempotency_conflict', ['requestId'], `request "${requestId}" was made before with a different payload`);
        }
        return { requestId, replayed: true, outcome };
      }
      const customer = await enrolledCustomer(session, target.customerId, program.id);
      const account = (await session.getAccount(program.id, customer.id)) ?? emptyAccountState(program.id, customer.id);
      const decision = await decide({ session, program, customer, account });
      if (!decision.ok && decision.issues.some((i) => INPUT_REFUSALS.has(i.code))) throw new LoyaltyError(decision.issues);
      const result: ProgramOutcome = decision.ok
        ? { programId: program.id, ok: true, transaction: decision.transaction, notifications: decision.notifications }
        : { programId: program.id, ok: false, issues: decision.issues };
      const writes = decision.ok && decision.transaction ? [await writeFor(session, program, customer, account, decision.transaction)] : [];
      if (after) await after({ session, decision });
      const record: ProcessedRecord = { eventId: key, customerId: customer.id, fingerprint, outcomes: [result], recordedAt: clock.now() };
      await session.append(writes, record, decision.ok ? decision.notifications : []);
      return { requestId, replayed: false, outcome: result };
    });
  }

  async function transactionOf(session: StoreSession, program: Program, customerId: string, transactionId: string): Promise<Transaction> {
    const tx = await session.transaction(program.id, customerId, transactionId);
    return tx ?? fail('unknown_transaction', ['transactionId'], `no transaction "${transactionId}" on this account`);
  }

  async function orderHistory(session: StoreSession, program: Program, customerId: string, tx: Transaction): Promise<readonly Transaction[]> {
    const orderId = tx.entries.flatMap((e) => ('orderId' in e && typeof e.orderId === 'string' ? [e.orderId] : []))[0];
    return orderId === undefined ? [] : session.transactionsByOrder(program.id, customerId, orderId);
  }

  const split = <T extends RequestTarget>(input: T): { target: RequestTarget; rest: Omit<T, 'customerId' | 'programId'> } => {
    const { customerId, programId, ...rest } = input;
    if (typeof customerId !== 'string' || typeof programId !== 'string') fail('invalid_request', ['customerId'], 'a request names its customerId and programId');
    return { target: { customerId, programId }, rest };
  };

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
        for (const id of enrolled) {
          await session.putAccountIfAbsent(emptyAccountState(id, customer.id));
          const program = programOf(id);
          const state = (await session.getAccount(id, customer.id)) ?? emptyAccountState(id, customer.id);
          const schedule = await session.getSchedule(id, customer.id);
          const tickedAt = schedule?.tickedAt ?? null;
          await session.setSchedule(id, customer.id, { dueAt: nextDueAt(program, state, tickedAt ?? EPOCH, { customer }), tickedAt });
        }
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

    async quote(target, input) {
      const program = programOf(target.programId);
      const request = parseWith(quoteRequestSchema, input);
      return store.unit(async (session) => {
        await enrolledCustomer(session, target.customerId, program.id);
        const account = (await session.getAccount(program.id, target.customerId)) ?? emptyAccountState(program.id, target.customerId);
        return quoteOrder(program, account, request);
      });
    },

    async redeem(input) {
      const { target, rest } = split(input);
      const request = parseWith(redeemRequestSchema, rest);
      return runRequest('redeem', target, request.requestId, request, async ({ program, account }) => redeem(program, account, request));
    },

    async cancelRedemption(input) {
      const { target, rest } = split(input);
      const request = parseWith(cancelRequestSchema, rest);
      return runRequest('cancel', target, request.requestId, request, async ({ session, program, account }) => {
        const tx = await transactionOf(session, program, account.customerId, request.transactionId);
        return cancelRedemption(program, account, request, tx);
      });
    },

    async hold(input) {
      const { target, rest } = split(input);
      const request = parseWith(holdRequestSchema, rest);
      return runRequest('hold', target, request.requestId, request, async ({ program, account }) => hold(program, account, request));
    },

    async capture(input) {
      const { target, rest } = split(input);
      const request = parseWith(captureRequestSchema, rest);
      return runRequest('capture', target, request.requestId, request, async ({ program, account }) => capture(program, account, request));
    },

    async release(input) {
      const { target, rest } = split(input);
      const request = parseWith(releaseRequestSchema, rest);
      return runRequest('release', target, request.requestId, request, async ({ program, account }) => release(program, account, request));
    },

    async adjust(input) {
      const { target, rest } = split(input);
      const request = parseWith(adjustRequestSchema, rest);
      return runRequest('adjust', target, request.requestId, request, async ({ program, account }) => adjust(program, account, request));
    },

    async reverse(input) {
      const { target, rest } = split(input);
      const request = parseWith(reverseRequestSchema, rest);
      return runRequest('reverse', target, request.requestId, request, async ({ session, program, account }) => {
        const tx = await transactionOf(session, program, account.customerId, request.transactionId);
        return reverse(program, account, request, tx, await orderHistory(session, program, account.customerId, tx));
      });
    },

    async redeemReward(input) {
      const { target, rest } = split(input);
      const request = parseWith(rewardRequestSchema, rest);
      const stockKey = JSON.stringify(['stock', target.programId, request.rewardId]);
      return runRequest(
        'reward',
        target,
        request.requestId,
        request,
        async ({ session, program, account, customer }) => redeemReward(program, account, request, { issued: await session.counter(stockKey), code: options.rewardCodes, customer }),
        async ({ session, decision }) => {
          if (decision.ok && decision.transaction) await session.addToCounter(stockKey, 1);
        },
      );
    },

    async tickDue(when, opts) {
      const now = parseWith(instantSchema, when);
      const limit = opts?.limit ?? 1000;
      if (!Number.isSafeInteger(limit) || limit < 1) fail('invalid_limit', ['limit'], 'limit must be a positive integer');
      const due = await store.unit((session) => session.dueAccounts(now, limit));
      let changed = 0;
      for (const { programId, customerId } of due) {
        const program = programs.get(programId);
        if (!program) continue;
        const wrote = await store.unit(async (session) => {
          const schedule = await session.getSchedule(programId, customerId);
          if (!schedule?.dueAt || schedule.dueAt.getTime() > now.getTime()) return false;
          const stored = await session.getCustomer(customerId);
          const customer = stored?.profile;
          const account = (await session.getAccount(programId, customerId)) ?? emptyAccountState(programId, customerId);
          const decision = tick(program, account, now, { customer });
          let state = account;
          const writes: AccountWrite[] = [];
          if (decision.ok && decision.transaction) {
            state = applyTransaction(account, decision.transaction);
            writes.push({ programId, customerId, expectedVersion: account.version, state, transaction: decision.transaction });
          }
          await session.setSchedule(programId, customerId, { dueAt: nextDueAt(program, state, now, { customer }), tickedAt: now });
          await session.append(writes, undefined, decision.ok ? decision.notifications : []);
          return writes.length > 0;
        });
        if (wrote) changed += 1;
      }
      return { ticked: due.length, changed };
    },

    async account(customerId, programId, opts) {
      const program = programOf(programId);
      const at = opts?.at === undefined ? clock.now() : parseWith(instantSchema, opts.at);
      return store.unit(async (session) => {
        const state = await session.getAccount(programId, customerId);
        if (!state) fail('unknown_account', ['customerId'], `customer "${customerId}" has no account in "${programId}"`);
        const stored = await session.getCustomer(customerId);
        const schedule = await session.getSchedule(programId, customerId);
        return {
          programId,
          customerId,
          at,
          balance: balanceAt(state, at, hooksOf(program).unit(program)),
          balances: Object.fromEntries(
            [...new Set<Unit>(['points', ...state.lots.map((l) => l.unit), ...(Object.keys(state.debt) as Unit[])])].map((u) => [u, balanceAt(state, at, u)]),
          ),
          lots: state.lots,
          state,
          nextDueAt: schedule ? schedule.dueAt : nextDueAt(program, state, at, { customer: stored?.profile }),
        };
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
