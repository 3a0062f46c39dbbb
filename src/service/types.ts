// The service's public types: its options, its results and each method's argument. Kept apart
// from createLoyalty so the helpers in src/service/ can name them without importing the service.
import type * as z from 'zod/mini';
import type { Issue } from '../errors';
import type { Clock } from '../time';
import type { Customer, CustomerInput } from '../schema/customer';
import type { LoyaltyEventInput } from '../schema/events';
import type {
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
import type { Balance } from '../ledger/read';
import type { AccountState, Lot, Unit } from '../ledger/types';
import type { Explanation } from '../engine/explain-types';
import type { Program } from '../engine/program';
import type { Quote } from '../engine/redeem';
import type { RedeemRewardOptions } from '../engine/catalog';
import type { HistoryPage, OutboxRow, ProgramOutcome, Store } from '../store/types';
import type { accountArgumentSchema, historyArgumentSchema, tickArgumentSchema } from './arguments';

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
 * What `processMany` answers for one input, in input order: the result `process` would have
 * returned, or the error it would have thrown. A `LoyaltyError` (`isLoyaltyError`) is a refusal of
 * that event (invalid input, `idempotency_conflict`, `unknown_customer`…), and nothing of it was
 * written; any other error is a failure of the unit of work the event was in (the store), which
 * left nothing of that unit behind: send those events again (replays are safe).
 *
 * @example
 * ```ts
 * const items = await loyalty.processMany(events);
 * const retry = events.filter((_, i) => { const item = items[i]; return item !== undefined && !item.ok && !isLoyaltyError(item.error); });
 * ```
 */
export type ProcessManyItem = { readonly ok: true; readonly result: ProcessResult } | { readonly ok: false; readonly error: Error };

/** Options of `processMany`. */
export interface ProcessManyOptions {
  /**
   * The most events of one customer in one unit of work (default 1,000): a customer with more
   * events in the batch gets several units, in order.
   */
  readonly unitSize?: number | undefined;
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
export type RequestInput<S extends z.ZodMiniType> = RequestTarget & Omit<z.input<S>, 'at'> & { readonly at?: z.input<S> extends { at: infer A } ? A : never };


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
  /**
   * Processes many events (backfills, imports) as `process` would one at a time, in input order,
   * with one unit of work per customer per batch: the same idempotency (a replay returns the
   * recorded result, a changed payload under a known id is refused), duplicates inside the batch
   * behave as if processed in order, and one result per input comes back in input order. When
   * events of different customers share an event id or an order id, the batch runs one event per
   * unit, in input order. Outbox rows of one customer keep their order; rows of different
   * customers may interleave differently than one-at-a-time calls would.
   *
   * @example
   * ```ts
   * const items = await loyalty.processMany([
   *   { id: 'e1', customerId: 'c1', type: 'signup', occurredAt: '2027-01-31T10:00:00Z' },
   *   { id: 'e2', customerId: 'c2', type: 'signup', occurredAt: '2027-01-31T10:05:00Z' },
   * ]);
   * for (const item of items) if (item.ok) console.log(item.result.outcomes);
   * ```
   */
  processMany(events: readonly LoyaltyEventInput[], options?: ProcessManyOptions): Promise<ProcessManyItem[]>;
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
