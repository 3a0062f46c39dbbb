import type * as z from 'zod/mini';
import { Decimal } from '../money/decimal';
import { LoyaltyError, type Issue } from '../errors';
import { systemClock, type Clock } from '../time';
import { customerSchema, type Customer, type CustomerInput } from '../schema/customer';
import { eventSchema, type LoyaltyEvent, type LoyaltyEventInput } from '../schema/events';
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
} from '../schema/requests';
import { applyTransaction, emptyAccountState } from '../ledger/fold';
import { balanceAt, type Balance } from '../ledger/read';
import { verifyFold } from '../ledger/check';
import { encodeLedgerJson } from '../ledger/codec';
import type { AccountState, Lot, Transaction, Unit } from '../ledger/types';
import { hooksOf } from '../kinds';
import { evaluate, explain as explainEvent } from '../engine/evaluate';
import type { Decision } from '../engine/decision';
import type { Explanation } from '../engine/explain-types';
import type { Program } from '../engine/program';
import type { Notification } from '../engine/notifications';
import { cancelRedemption, capture, checkUnitAmount, hold, quote as quoteOrder, redeem, release, rewardOf, type Quote } from '../engine/redeem';
import { adjust, reverse } from '../engine/adjust';
import { redeemReward, type RedeemRewardOptions } from '../engine/catalog';
import { nextDueAt, tick } from '../engine/tick';
import { memoryStore } from '../store/memory';
import type { AccountWrite, HistoryPage, OutboxRow, ProcessedRecord, ProgramOutcome, Store, StoreSession } from '../store/types';
import { canonicalEvent } from './canonical';
import { refuse } from '../engine/outcome';
import { INPUT_REFUSALS } from '../engine/refusals';
import { transactionId } from '../ledger/ids';
import {
  accountArgumentSchema,
  accountKeySchema,
  acknowledgeArgumentSchema,
  forgetArgumentSchema,
  historyArgumentSchema,
  loyaltyOptionsSchema,
  outboxArgumentSchema,
  parseArgument,
  targetSchema,
  tickArgumentSchema,
  upsertArgumentSchema,
} from './arguments';

const EPOCH = new Date(0);
const PSEUDONYM_PREFIX = 'forgotten-';
/** Ids of the form `forgotten-<digits>` are the pseudonyms of forgotten customers: no customer may take one. */
const isPseudonym = (id: string): boolean => id.startsWith(PSEUDONYM_PREFIX) && /^\d+$/.test(id.slice(PSEUDONYM_PREFIX.length));
/** How long `tickDue` waits before it tries a failing account again. */
const TICK_RETRY_MS = 60 * 60_000;
/** The idempotency key of an event id (requests use their own, so the two never collide). */
const eventKey = (id: string): string => JSON.stringify(['event', id]);
/** The idempotency key of a request id, per program. */
const requestKey = (programId: string, id: string): string => JSON.stringify(['request', programId, id]);
/** The program-wide count of a catalog reward issued. */
const stockKeyOf = (programId: string, rewardId: string): string => JSON.stringify(['stock', programId, rewardId]);
/** The program-wide claim of an order by its first purchase event. */
const orderKeyOf = (programId: string, orderId: string): string => JSON.stringify(['order', programId, orderId]);

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

/**
 * The result of a request (redeem, hold, adjust…): its one outcome, replayed for a repeated
 * request id, and the ids to act on it with.
 *
 * @example
 * ```ts
 * const burn = await loyalty.redeem({ customerId: 'c1', programId: 'rewards', requestId: 'r1', points: 500 });
 * if (burn.transactionId) await loyalty.cancelRedemption({ customerId: 'c1', programId: 'rewards', requestId: 'r1-undo', transactionId: burn.transactionId });
 * ```
 */
export interface RequestResult {
  readonly requestId: string;
  readonly replayed: boolean;
  readonly outcome: ProgramOutcome;
  /** The transaction the request wrote (what `cancelRedemption` and `reverse` take); null when it wrote none (a refusal). */
  readonly transactionId: string | null;
  /** On a hold that opened: the hold's id, what `capture` and `release` take. Absent otherwise. */
  readonly holdId?: string;
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

/** One account that `tickDue` could not tick; it is retried after a pause. */
export interface TickFailure {
  readonly programId: string;
  readonly customerId: string;
  readonly issues: readonly Issue[];
}

/** What `tickDue` did: accounts due, accounts that changed, and accounts that failed (the others went on). */
export interface TickDueResult {
  readonly ticked: number;
  readonly changed: number;
  readonly failed: readonly TickFailure[];
}

/** Who and where a request is for. */
export interface RequestTarget {
  readonly customerId: string;
  readonly programId: string;
}

/** A request as the host writes it: `at` may be left out (the service clock is used). */
type RequestInput<S extends z.ZodMiniType> = RequestTarget & Omit<z.input<S>, 'at'> & { readonly at?: z.input<S> extends { at: infer A } ? A : never };


/**
 * `upsertCustomer`'s argument: the profile, and the programs to enrol in (default: all).
 *
 * @example
 * ```ts
 * const input: UpsertCustomerInput = { customer: { id: 'c1', enrolledAt: '2027-01-01T00:00:00Z' }, programs: ['rewards'] };
 * ```
 */
export interface UpsertCustomerInput {
  readonly customer: CustomerInput;
  readonly programs?: readonly string[] | undefined;
}

/**
 * `account`'s argument: one account, as of `at` (default: now).
 *
 * @example
 * ```ts
 * const query: AccountQuery = { customerId: 'c1', programId: 'rewards', at: '2027-03-01T00:00:00Z' };
 * ```
 */
export type AccountQuery = z.input<typeof accountArgumentSchema>;

/**
 * `history`'s argument: one account, a page of `limit` transactions (default 50) before the
 * sequence number `before`.
 *
 * @example
 * ```ts
 * const query: HistoryQuery = { customerId: 'c1', programId: 'rewards', limit: 20 };
 * ```
 */
export type HistoryQuery = z.input<typeof historyArgumentSchema>;

/**
 * `quote`'s argument: one account, the order being checked out, and the points to burn on it
 * (`'max'`: as many as allowed).
 *
 * @example
 * ```ts
 * const query: QuoteInput = { customerId: 'c1', programId: 'rewards', order: { currency: 'USD', lines }, points: 'max' };
 * ```
 */
export type QuoteInput = RequestInput<typeof quoteRequestSchema>;

/**
 * `tickDue`'s argument: the instant to tick at (default: now) and the most accounts to tick (default 1000).
 *
 * @example
 * ```ts
 * const options: TickDueOptions = { now: '2027-04-01T00:00:00Z', limit: 100 };
 * ```
 */
export type TickDueOptions = z.input<typeof tickArgumentSchema>;

/**
 * The service over a store; made by `createLoyalty`. Every method takes one object argument.
 * A thrown `LoyaltyError` means bad input, an unknown id, a conflict or a clock-window refusal
 * (nothing is recorded); `outcome.ok === false` is a business refusal, recorded and sticky.
 *
 * @example
 * ```ts
 * await loyalty.upsertCustomer({ customer: { id: 'c1', enrolledAt: '2027-01-01T00:00:00Z' } });
 * const { balance } = await loyalty.account({ customerId: 'c1', programId: 'rewards' });
 * ```
 */
export interface Loyalty {
  /** Creates or updates a customer and enrols them (in `programs`, default all). */
  upsertCustomer(input: UpsertCustomerInput): Promise<Customer>;
  /** Processes one event, idempotently by event id, in every program the customer is enrolled in (or the one it names). */
  process(event: LoyaltyEventInput): Promise<ProcessResult>;
  /** Explains an event without writing anything. */
  explain(event: LoyaltyEventInput): Promise<readonly (Explanation & { readonly ok: boolean; readonly issues: readonly Issue[] })[]>;
  /** The checkout slider: a pure quote over the stored account. */
  quote(input: QuoteInput): Promise<Quote>;
  /** Burns points (optionally on an order: then the quote's caps apply). */
  redeem(request: RequestInput<typeof redeemRequestSchema>): Promise<RequestResult>;
  /** Restores a redemption's points with their original expiry; takes the redemption's `transactionId`. */
  cancelRedemption(request: RequestInput<typeof cancelRequestSchema>): Promise<RequestResult>;
  /** Reserves points at checkout; the result's `holdId` is what `capture` and `release` take. */
  hold(request: RequestInput<typeof holdRequestSchema>): Promise<RequestResult>;
  /** Takes all or part of a hold. An unknown `holdId` is thrown (`unknown_hold`); a closed one is refused (`hold_closed`, `hold_expired`). */
  capture(request: RequestInput<typeof captureRequestSchema>): Promise<RequestResult>;
  /** Returns what a hold still reserves. An unknown `holdId` is thrown (`unknown_hold`); a closed one is refused (`hold_closed`). */
  release(request: RequestInput<typeof releaseRequestSchema>): Promise<RequestResult>;
  /** A manual credit or debit, with actor and reason. */
  adjust(request: RequestInput<typeof adjustRequestSchema>): Promise<RequestResult>;
  /** Undoes one transaction (by the `transactionId` a result gave), at most once. */
  reverse(request: RequestInput<typeof reverseRequestSchema>): Promise<RequestResult>;
  /** Exchanges points for a catalog reward (stock is counted program-wide). */
  redeemReward(request: RequestInput<typeof rewardRequestSchema>): Promise<RequestResult>;
  /** Runs `tick` on the accounts whose next due instant has come (at most `limit`); returns how many changed. */
  tickDue(options?: TickDueOptions): Promise<TickDueResult>;
  /** The account as of `at` (default: now). */
  account(query: AccountQuery): Promise<AccountView>;
  /** The account's transactions, newest first, a page at a time. */
  history(query: HistoryQuery): Promise<HistoryPage>;
  /** Erases the profile; the ledger stays under a pseudonymous id, which is returned. */
  forgetCustomer(input: { readonly customerId: string }): Promise<{ readonly pseudonym: string }>;
  /** Checks that the stored state of an account equals the fold of its ledger, and conservation. */
  verify(account: RequestTarget): Promise<readonly Issue[]>;
  /** Notifications not yet acknowledged, oldest first (at most `limit`, default 100). */
  outbox(options?: { readonly limit?: number | undefined }): Promise<readonly OutboxRow[]>;
  /** Marks outbox rows as delivered. */
  acknowledge(input: { readonly seqs: readonly number[] }): Promise<void>;
}

function fail(code: string, path: (string | number)[], message: string): never {
  throw new LoyaltyError([{ code, path, message }]);
}

function parseWith<S extends z.ZodMiniType>(schema: S, input: unknown): z.output<S> {
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
 * await loyalty.upsertCustomer({ customer: { id: 'c1', enrolledAt: '2027-01-01T00:00:00Z' } });
 * const result = await loyalty.process({ id: 'e1', customerId: 'c1', type: 'signup', occurredAt: '2027-01-31T10:00:00Z' });
 * ```
 */
export function createLoyalty(options: LoyaltyOptions): Loyalty {
  parseArgument(loyaltyOptionsSchema, options, []);
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
        // One order earns once, whatever its event ids: a second purchase of an order is a conflict.
        if (event.type === 'purchase' && (await session.counter(orderKeyOf(program.id, event.orderId))) > 0) {
          fail('order_conflict', ['orderId'], `order "${event.orderId}" was already bought in program ${program.id} by another event; send a refund or an adjustment instead`);
        }
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
      if (event.type === 'purchase') for (const program of reached) await session.addToCounter(orderKeyOf(program.id, event.orderId), 1);
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
    payload: { readonly at: Date },
    /** The `at` the caller gave (undefined: none); `payload.at` is the clock's instant it is judged at. */
    givenAt: unknown,
    decide: (ctx: { session: StoreSession; program: Program; customer: Customer; account: AccountState }) => Promise<Decision>,
    after?: (ctx: { session: StoreSession; decision: Decision }) => Promise<void>,
  ): Promise<RequestResult> {
    const program = programOf(target.programId);
    // Requests and events keep their idempotency records apart; request ids are per program.
    const key = requestKey(program.id, requestId);
    // `at` is left out: a request is judged at the clock, so a retry later is the same request.
    const { at: now, ...fields } = payload;
    const fingerprint = JSON.stringify(encodeLedgerJson({ operation, programId: program.id, payload: fields }));
    return store.unit(async (session) => {
      const seen = await session.getProcessed(key);
      const outcome = seen?.outcomes[0];
      if (seen && outcome) {
        if (seen.fingerprint !== fingerprint || seen.customerId !== target.customerId) {
          fail('idempotency_conflict', ['requestId'], `request "${requestId}" was made before with a different payload`);
        }
        return resultOf(requestId, true, outcome);
      }
      checkRequestInstant(program, givenAt, now);
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
      return resultOf(requestId, false, result);
    });
  }

  /** A request's result, with the ids the host acts on it with (the transaction, and a hold's id). */
  function resultOf(requestId: string, replayed: boolean, outcome: ProgramOutcome): RequestResult {
    const tx = outcome.ok ? outcome.transaction : null;
    let holdId: string | undefined;
    for (const e of tx?.entries ?? []) if (e.kind === 'hold') holdId = e.hold.id;
    return { requestId, replayed, outcome, transactionId: tx?.id ?? null, ...(holdId !== undefined ? { holdId } : {}) };
  }

  /**
   * `capture` and `release` refuse a hold that is not open as `unknown_hold`. A hold id that
   * never opened is an unknown id, thrown; a hold that did open and is closed now (captured,
   * released, or lapsed and swept) is a business refusal, recorded like the others.
   */
  async function closedHold(session: StoreSession, program: Program, customerId: string, holdId: string, at: Date, decision: Decision): Promise<Decision> {
    if (decision.ok || !decision.issues.some((i) => i.code === 'unknown_hold')) return decision;
    const tx = await session.transaction(program.id, customerId, transactionId('hold', holdId));
    let expiresAt: Date | undefined;
    for (const e of tx?.entries ?? []) if (e.kind === 'hold' && e.hold.id === holdId) expiresAt = e.hold.expiresAt;
    if (expiresAt === undefined) return decision;
    if (expiresAt.getTime() <= at.getTime()) return refuse('hold_expired', ['holdId'], `hold "${holdId}" lapsed at ${expiresAt.toISOString()}`);
    return refuse('hold_closed', ['holdId'], `hold "${holdId}" is no longer open: it was captured or released`);
  }

  /** The code a reward redemption was issued with, from the outcome recorded for its request. */
  async function issuedCode(session: StoreSession, program: Program, tx: Transaction): Promise<string | undefined> {
    if (tx.cause.kind !== 'request') return undefined;
    const seen = await session.getProcessed(requestKey(program.id, tx.cause.requestId));
    const outcome = seen?.outcomes[0];
    if (!outcome?.ok) return undefined;
    for (const n of outcome.notifications) if (n.type === 'reward.issued') return n.reward.code;
    return undefined;
  }

  async function transactionOf(session: StoreSession, program: Program, customerId: string, transactionId: string): Promise<Transaction> {
    const tx = await session.transaction(program.id, customerId, transactionId);
    return tx ?? fail('unknown_transaction', ['transactionId'], `no transaction "${transactionId}" on this account`);
  }

  async function orderHistory(session: StoreSession, program: Program, customerId: string, tx: Transaction): Promise<readonly Transaction[]> {
    const orderId = tx.entries.flatMap((e) => ('orderId' in e && typeof e.orderId === 'string' ? [e.orderId] : []))[0];
    return orderId === undefined ? [] : session.transactionsByOrder(program.id, customerId, orderId);
  }

  /**
   * A request's target and its own fields. A request happens at the service clock: `at` may be
   * left out, and when given it must lie within the program's clock skew of the clock. It is
   * judged at the clock's instant either way, so no choice of `at` can reach points that are
   * still pending, or already expired, at the clock.
   */
  const split = (input: unknown): { target: RequestTarget; rest: Record<string, unknown>; now: Date } => {
    const { customerId, programId, ...rest } = parseArgument(targetSchema, input, []);
    programOf(programId);
    const now = clock.now();
    if (rest.at !== undefined) parseArgument(instantSchema, rest.at, ['at']);
    return { target: { customerId, programId }, rest, now };
  };

  /** Refuses a request dated outside the program's clock skew of `now` (checked once it is known not to be a replay). */
  function checkRequestInstant(program: Program, given: unknown, now: Date): void {
    if (given === undefined) return;
    const at = parseArgument(instantSchema, given, ['at']);
    const skew = program.config.clockSkewMinutes * 60_000;
    if (at.getTime() > now.getTime() + skew) {
      fail('request_in_future', ['at'], `the request is dated ${at.toISOString()}, after now (${now.toISOString()}) plus ${program.config.clockSkewMinutes} minutes of clock skew`);
    }
    if (at.getTime() < now.getTime() - skew) {
      fail('request_too_late', ['at'], `the request is dated ${at.toISOString()}, before now (${now.toISOString()}) minus ${program.config.clockSkewMinutes} minutes of clock skew: requests happen at the clock`);
    }
  }

  /** A request's fields, parsed by its schema, with `at` set to the instant it is judged at. */
  const requestOf = <S extends z.ZodMiniType>(schema: S, rest: Record<string, unknown>, now: Date): z.output<S> => parseWith(schema, { ...rest, at: now });

  /** Ticks one due account in its own unit of work; true when it wrote a transaction. */
  async function tickOne(program: Program, customerId: string, now: Date): Promise<boolean> {
    const programId = program.id;
    return store.unit(async (session) => {
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
  }

  return {
    async upsertCustomer(input) {
      const { customer, programs: given } = parseArgument(upsertArgumentSchema, input, []);
      if (isPseudonym(customer.id)) fail('reserved_id', ['customer', 'id'], `"${customer.id}" has the form of a pseudonym that forgetCustomer gives; choose another customer id`);
      const wanted = given ?? [...programs.keys()];
      for (const [i, id] of wanted.entries()) if (!programs.has(id)) fail('unknown_program', ['programs', i], `no program "${id}"`);
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

    async quote(input) {
      const { target, rest: fields, now } = split(input);
      const program = programOf(target.programId);
      checkRequestInstant(program, fields.at, now);
      const request = parseWith(quoteRequestSchema, { ...fields, at: now });
      const fractional = request.points === 'max' ? null : checkUnitAmount(program, request.points);
      if (fractional && !fractional.ok) throw new LoyaltyError(fractional.issues);
      return store.unit(async (session) => {
        await enrolledCustomer(session, target.customerId, program.id);
        const account = (await session.getAccount(program.id, target.customerId)) ?? emptyAccountState(program.id, target.customerId);
        return quoteOrder(program, account, request);
      });
    },

    async redeem(input) {
      const { target, rest, now } = split(input);
      const request = requestOf(redeemRequestSchema, rest, now);
      return runRequest('redeem', target, request.requestId, request, rest.at, async ({ program, account }) => redeem(program, account, request));
    },

    async cancelRedemption(input) {
      const { target, rest, now } = split(input);
      const request = requestOf(cancelRequestSchema, rest, now);
      let rewardId: string | undefined;
      return runRequest(
        'cancel',
        target,
        request.requestId,
        request, rest.at,
        async ({ session, program, account }) => {
          const tx = await transactionOf(session, program, account.customerId, request.transactionId);
          rewardId = rewardOf(tx);
          const code = rewardId === undefined ? undefined : await issuedCode(session, program, tx);
          return cancelRedemption(program, account, request, tx, { code });
        },
        async ({ session, decision }) => {
          // A cancelled reward's code is void (`reward.voided`), and its unit of stock comes back.
          if (decision.ok && decision.transaction && rewardId !== undefined) await session.addToCounter(stockKeyOf(target.programId, rewardId), -1);
        },
      );
    },

    async hold(input) {
      const { target, rest, now } = split(input);
      const request = requestOf(holdRequestSchema, rest, now);
      return runRequest('hold', target, request.requestId, request, rest.at, async ({ program, account }) => hold(program, account, request));
    },

    async capture(input) {
      const { target, rest, now } = split(input);
      const request = requestOf(captureRequestSchema, rest, now);
      return runRequest('capture', target, request.requestId, request, rest.at, async ({ session, program, account }) =>
        closedHold(session, program, account.customerId, request.holdId, request.at, capture(program, account, request)),
      );
    },

    async release(input) {
      const { target, rest, now } = split(input);
      const request = requestOf(releaseRequestSchema, rest, now);
      return runRequest('release', target, request.requestId, request, rest.at, async ({ session, program, account }) =>
        closedHold(session, program, account.customerId, request.holdId, request.at, release(program, account, request)),
      );
    },

    async adjust(input) {
      const { target, rest, now } = split(input);
      const request = requestOf(adjustRequestSchema, rest, now);
      return runRequest('adjust', target, request.requestId, request, rest.at, async ({ program, account }) => adjust(program, account, request));
    },

    async reverse(input) {
      const { target, rest, now } = split(input);
      const request = requestOf(reverseRequestSchema, rest, now);
      return runRequest('reverse', target, request.requestId, request, rest.at, async ({ session, program, account }) => {
        const tx = await transactionOf(session, program, account.customerId, request.transactionId);
        return reverse(program, account, request, tx, await orderHistory(session, program, account.customerId, tx));
      });
    },

    async redeemReward(input) {
      const { target, rest, now } = split(input);
      const request = requestOf(rewardRequestSchema, rest, now);
      const stockKey = stockKeyOf(target.programId, request.rewardId);
      return runRequest(
        'reward',
        target,
        request.requestId,
        request, rest.at,
        async ({ session, program, account, customer }) => redeemReward(program, account, request, { issued: await session.counter(stockKey), code: options.rewardCodes, customer }),
        async ({ session, decision }) => {
          if (decision.ok && decision.transaction) await session.addToCounter(stockKey, 1);
        },
      );
    },

    async tickDue(input = {}) {
      const given = parseArgument(tickArgumentSchema, input, []);
      const now = given.now ?? clock.now();
      const limit = given.limit ?? 1000;
      const due = await store.unit((session) => session.dueAccounts(now, limit));
      let changed = 0;
      const failed: TickFailure[] = [];
      for (const { programId, customerId } of due) {
        const program = programs.get(programId);
        if (!program) continue;
        try {
          if (await tickOne(program, customerId, now)) changed += 1;
        } catch (error) {
          // One bad account never blocks the others: it is reported, and retried after a pause so
          // that it does not stay at the head of the queue.
          const issues: readonly Issue[] = error instanceof LoyaltyError ? error.issues : [{ code: 'tick_failed', path: [], message: error instanceof Error ? error.message : String(error) }];
          failed.push({ programId, customerId, issues });
          await store.unit(async (session) => {
            const schedule = await session.getSchedule(programId, customerId);
            await session.setSchedule(programId, customerId, { dueAt: new Date(now.getTime() + TICK_RETRY_MS), tickedAt: schedule?.tickedAt ?? null });
          });
        }
      }
      return { ticked: due.length, changed, failed };
    },

    async account(input) {
      const { customerId, programId, at: given } = parseArgument(accountArgumentSchema, input, []);
      const program = programOf(programId);
      const at = given ?? clock.now();
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

    async history(input) {
      const { customerId, programId, limit = 50, before } = parseArgument(historyArgumentSchema, input, []);
      programOf(programId);
      return store.unit((session) => session.history(programId, customerId, { limit, before }));
    },

    async forgetCustomer(input) {
      const { customerId } = parseArgument(forgetArgumentSchema, input, []);
      return store.unit(async (session) => {
        // The store refuses a pseudonym that names anything already (an account written before
        // pseudonyms were reserved, say): take the next number, never overwrite.
        for (let attempt = 0; attempt < 100; attempt++) {
          const pseudonym = `${PSEUDONYM_PREFIX}${(await session.nextSequence('pseudonym')).toString().padStart(8, '0')}`;
          const result = await session.forgetCustomer(customerId, pseudonym);
          if (result === 'unknown_customer') fail('unknown_customer', ['customerId'], `no customer "${customerId}"`);
          if (result === 'forgotten') return { pseudonym };
        }
        return fail('pseudonym_taken', ['customerId'], 'no free pseudonym found in 100 tries');
      });
    },

    async verify(input) {
      const { customerId, programId } = parseArgument(accountKeySchema, input, []);
      programOf(programId);
      return store.unit(async (session) => {
        const state = await session.getAccount(programId, customerId);
        if (!state) return [{ code: 'unknown_account', path: ['customerId'], message: `no account for ${customerId} in ${programId}` }];
        return verifyFold(state, await session.transactions(programId, customerId), { programId, customerId });
      });
    },

    async outbox(input = {}) {
      const { limit = 100 } = parseArgument(outboxArgumentSchema, input, []);
      return store.unit((session) => session.outbox(limit));
    },

    async acknowledge(input) {
      const { seqs } = parseArgument(acknowledgeArgumentSchema, input, []);
      return store.unit((session) => session.acknowledge(seqs));
    },
  };
}

/** Sum of the points an outcome earned, for convenience in hosts and examples. */
export function pointsEarned(outcome: ProgramOutcome): Decimal {
  if (!outcome.ok || !outcome.transaction) return new Decimal(0);
  return outcome.transaction.entries.reduce((s, e) => (e.kind === 'earn' ? s.plus(e.lot.amount) : s), new Decimal(0));
}
