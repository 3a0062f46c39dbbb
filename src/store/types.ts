import type { Issue } from '../errors';
import type { AccountState, Transaction } from '../ledger/types';
import type { Customer } from '../schema/customer';
import type { Notification } from '../engine/notifications';

/** What `StoreSession.forgetCustomer` did. */
export type ForgetResult = 'forgotten' | 'unknown_customer' | 'pseudonym_taken';

/** A customer as stored: the profile and the programs it is enrolled in. */
export interface StoredCustomer {
  readonly profile: Customer;
  readonly programs: readonly string[];
}

/**
 * The outcome of one event in one program, as recorded for idempotency: replaying the event
 * returns exactly this.
 */
export type ProgramOutcome =
  | {
      readonly programId: string;
      readonly ok: true;
      readonly transaction: Transaction | null;
      readonly notifications: readonly Notification[];
    }
  | { readonly programId: string; readonly ok: false; readonly issues: readonly Issue[] };

/** What the store keeps per processed event id. */
export interface ProcessedRecord {
  readonly eventId: string;
  readonly customerId: string;
  /** The canonical parsed event (without the customer id), compared on replay. */
  readonly fingerprint: string;
  readonly outcomes: readonly ProgramOutcome[];
  readonly recordedAt: Date;
}

/** A row of the transactional outbox. */
export interface OutboxRow {
  readonly seq: number;
  readonly notification: Notification;
}

/** One account write of a commit: the new state, and the transaction that produced it. */
export interface AccountWrite {
  readonly programId: string;
  readonly customerId: string;
  /** The version the write was computed from; the commit fails if the stored one differs. */
  readonly expectedVersion: number;
  readonly state: AccountState;
  readonly transaction: Transaction;
}

/** An account's tick schedule. */
export interface Schedule {
  readonly dueAt: Date | null;
  readonly tickedAt: Date | null;
}

/** A page of an account's history, newest first. */
export interface HistoryPage {
  readonly transactions: readonly Transaction[];
  /** Pass as `before` to get the next (older) page; absent on the last page. */
  readonly next?: number;
}

/**
 * The keys a unit is about to read, for {@link StoreSession.prefetch}: the records of event ids,
 * one customer with its accounts and schedules in some programs, and named counters.
 */
export interface PrefetchKeys {
  readonly processed: readonly string[];
  readonly customerId: string;
  readonly programIds: readonly string[];
  readonly counters: readonly string[];
}

/** What {@link StoreSession.appendBatch} writes: the calls it stands for, in this order. */
export interface AppendBatch {
  /** `setSchedule` of each. */
  readonly schedules: readonly { readonly programId: string; readonly customerId: string; readonly schedule: Schedule }[];
  /** `addToCounter` of each. */
  readonly counters: readonly { readonly name: string; readonly by: number }[];
  /** Then one `append` of these. */
  readonly writes: readonly AccountWrite[];
  readonly processed: ProcessedRecord | undefined;
  readonly outbox: readonly Notification[];
}

/**
 * What a store can do inside one atomic unit of work. Reads see the unit's own writes; writes
 * become visible to others all at once when the unit's function resolves, or not at all.
 */
export interface StoreSession {
  /** The stored profile, or `undefined` when the customer is unknown (or forgotten). */
  getCustomer(customerId: string): Promise<StoredCustomer | undefined>;
  /** Writes the profile, replacing any stored one with the same id. */
  putCustomer(customer: StoredCustomer): Promise<void>;
  /** The account's current state (with its `version`), or `undefined` when the customer is not enrolled. */
  getAccount(programId: string, customerId: string): Promise<AccountState | undefined>;
  /** Creates an empty account if none exists (enrolment). */
  putAccountIfAbsent(state: AccountState): Promise<void>;
  /** The record of an event already processed (for idempotency), or `undefined`. */
  getProcessed(eventId: string): Promise<ProcessedRecord | undefined>;
  /**
   * Appends transactions with their new states, the processed-event record and outbox rows,
   * atomically with the rest of the unit. Throws `LoyaltyError` `version_conflict` when an
   * account moved since it was read, and `duplicate_transaction` when the account already has a
   * transaction with that id (a ledger is never overwritten).
   */
  append(writes: readonly AccountWrite[], processed: ProcessedRecord | undefined, outbox: readonly Notification[]): Promise<void>;
  /** Transactions of an account that touch an order (earned on it, refunded from it…), oldest first. */
  transactionsByOrder(programId: string, customerId: string, orderId: string): Promise<readonly Transaction[]>;
  /** Every transaction of an account, oldest first. */
  transactions(programId: string, customerId: string): Promise<readonly Transaction[]>;
  /** Up to `page.limit` of an account's transactions, newest first; `before` is a previous page's `next`. */
  history(programId: string, customerId: string, page: { readonly limit: number; readonly before?: number | undefined }): Promise<HistoryPage>;
  /**
   * Erases the profile and moves the customer's accounts, ledger and event records under
   * `pseudonym`. Never overwrites: when `pseudonym` already names a customer, an account, a
   * ledger or an event record, nothing is moved and the answer is `pseudonym_taken`.
   */
  forgetCustomer(customerId: string, pseudonym: string): Promise<ForgetResult>;
  /** One transaction of an account by id. */
  transaction(programId: string, customerId: string, transactionId: string): Promise<Transaction | undefined>;
  /** When the account next needs a tick, and when it was last ticked. */
  getSchedule(programId: string, customerId: string): Promise<Schedule | undefined>;
  /** Replaces the account's schedule (see {@link StoreSession.dueAccounts}). */
  setSchedule(programId: string, customerId: string, schedule: Schedule): Promise<void>;
  /** Accounts whose next due instant is at or before `at`, soonest first. */
  dueAccounts(at: Date, limit: number): Promise<readonly { readonly programId: string; readonly customerId: string }[]>;
  /** A named program-wide counter (reward stock issued…): read, and add to it. */
  counter(name: string): Promise<number>;
  /** Adds `by` (may be negative) to a named counter; a counter never written reads 0. */
  addToCounter(name: string, by: number): Promise<void>;
  /** Up to `limit` unacknowledged outbox rows, in `seq` order. */
  outbox(limit: number): Promise<readonly OutboxRow[]>;
  /** Marks outbox rows as delivered; they are not returned by `outbox` again. Unknown seqs are ignored. */
  acknowledge(seqs: readonly number[]): Promise<void>;
  /** The next value (1, 2, …) of a named, store-wide sequence (pseudonyms for forgotten customers). */
  nextSequence(name: string): Promise<number>;
  /**
   * Optional, for stores where each call is a round trip: reads these keys at once (locking what
   * `getCustomer` and `getAccount` would lock), so that the unit's next reads of them cost
   * nothing. Reads still see the unit's own writes. A store without it is read call by call.
   */
  prefetch?(keys: PrefetchKeys): Promise<void>;
  /**
   * Optional: the `setSchedule`, `addToCounter` and `append` calls of `batch`, in that order, at
   * once, with the same results and errors. A store without it gets the calls one by one.
   */
  appendBatch?(batch: AppendBatch): Promise<void>;
}

/**
 * The synchronous twin of {@link StoreSession}: the same methods with the same meaning, each
 * answering directly instead of through a promise. Internal: the memory store offers it (see
 * `syncUnitOf` in store/memory.ts) so the service can run a unit without a microtask per read.
 */
export type SyncStoreSession = { readonly [K in keyof StoreSession]: StoreSession[K] extends (...args: infer A) => Promise<infer R> ? (...args: A) => R : never };

/**
 * Runs `work` synchronously as one atomic unit, when the store can right now (no asynchronous
 * unit in flight): `{ value }` once its writes are committed (none if it throws), or `undefined`
 * when it cannot, and then nothing ran.
 */
export type SyncUnit = <T>(work: (session: SyncStoreSession) => T) => { readonly value: T } | undefined;

/**
 * A store: runs units of work atomically. `memoryStore()` is the embedded default; database
 * adapters implement the same interface and pass the same conformance suite.
 */
export interface Store {
  /** Runs `work` as one atomic unit: all its writes commit together when it resolves, none if it throws. */
  unit<T>(work: (session: StoreSession) => Promise<T>): Promise<T>;
}
