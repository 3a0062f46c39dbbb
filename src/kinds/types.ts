import type { Decimal } from '../money/decimal';
import type { Issue } from '../errors';
import type { AccountState, Entry, Transaction, Unit } from '../ledger/types';
import type { Customer } from '../schema/customer';
import type { LoyaltyEvent } from '../schema/events';
import type { CheckoutOrder } from '../schema/requests';
import type { Notification } from '../engine/notifications';
import type { OrderView } from '../engine/order';
import type { Program } from '../engine/program-type';
import type { FactType } from '../rules/types';

/** What every hook sees: the program, the account before the operation, the customer. */
export interface KindContext {
  readonly program: Program;
  readonly account: AccountState;
  /** Absent in a `tick` run without a profile. */
  readonly customer: Customer | undefined;
  /**
   * The operation's scratch space, shared by the hooks of one operation (facts, multipliers and
   * `onEvent` of one event read the tier caught up to the same instant). Made fresh by each call
   * of a public operation (`evaluate`, `tick`, `nextDueAt`, `quote`, `redeemReward`), so the core
   * keeps no state between calls; absent, nothing is cached.
   */
  readonly cache?: KindCache | undefined;
}

/**
 * A key of the operation cache, typed by the value it holds; one per cached computation.
 *
 * @example
 * ```ts
 * const CAUGHT_UP: CacheKey<TierState> = { name: 'tiered: the tier caught up' };
 * ```
 */
export interface CacheKey<T> {
  readonly name: string;
  /** Type-level only: the value's type. Never set. */
  readonly '~value'?: T;
}

/**
 * One operation's cache (see `KindContext.cache`): values computed once and read by several hooks.
 *
 * @example
 * ```ts
 * const cache = new KindCache();
 * cache.get(CAUGHT_UP); // undefined
 * cache.set(CAUGHT_UP, state);
 * cache.get(CAUGHT_UP) === state; // true
 * ```
 */
export class KindCache {
  // Made on the first `set`: most operations (a points program's tick) never cache anything.
  #values: Map<CacheKey<unknown>, unknown> | undefined;

  /** The value stored under `key`, or undefined. */
  get<T>(key: CacheKey<T>): T | undefined {
    // Only `set` with the same typed key writes it, so the value has the key's type.
    return this.#values?.get(key) as T | undefined;
  }

  /** Stores `value` under `key` for the rest of the operation. */
  set<T>(key: CacheKey<T>, value: T): void {
    (this.#values ??= new Map()).set(key, value);
  }
}

/** What a kind's fact computes from: the hook context at the event's instant. */
export type KindFactContext = KindContext & { readonly at: Date };

/**
 * A fact a program kind gives rules, declared in the kind's folder: its name (the key), its type
 * and meaning for the fact catalog, the value every other kind's programs read (`fallback`), and
 * how the kind computes it. The evaluator merges them generically; the rule checker sees them
 * beside the core facts.
 *
 * @example
 * ```ts
 * const memberFact: KindFact = {
 *   type: 'boolean',
 *   description: 'Whether a paid membership gives benefits now; false for programs without one.',
 *   fallback: false,
 *   compute: ({ program, account, at }) => benefitsHold(program, account, at),
 * };
 * ```
 */
export interface KindFact {
  readonly type: FactType;
  readonly description: string;
  /** The value in programs of the kinds that do not declare the fact (`""`, `false`, 0). */
  readonly fallback: unknown;
  readonly compute: (ctx: KindFactContext) => unknown;
}

/** What `onEvent` sees: the event, its order, and the state after the standard entries. */
export interface KindEventContext extends KindContext {
  readonly event: LoyaltyEvent;
  /** For purchases: the priced lines (net, eligible, excluded). */
  readonly order: OrderView | undefined;
  /** The standard entries of this event so far (points earned, a refund's clawback…). */
  readonly entries: readonly Entry[];
  /** The account after those entries. */
  readonly after: AccountState;
  /** For refunds: the account's earlier transactions on the order. */
  readonly orderTransactions: readonly Transaction[];
}

/** Entries and notifications a hook adds to the operation's transaction, or refusals. */
export interface KindResult {
  readonly entries: readonly Entry[];
  readonly notifications: readonly Notification[];
  /** Expected refusals (e.g. a punch limit): the whole operation is refused with them. */
  readonly issues?: readonly Issue[];
}

/**
 * What a program kind adds to the shared pure operations. Every kind runs through the same
 * `evaluate`, `tick`, `quote`, `redeem` and refunds over the same ledger; a kind only adds facts,
 * multipliers, entries and notifications through these hooks.
 */
export interface KindHooks {
  /** The ledger unit that redemption, quotes and balances use: `points`, or `credit:<currency>`. */
  readonly unit: (program: Program) => Unit;
  /** Currency units one unit of that ledger unit is worth the inverse of (100 points = 1.00; credit: 1). */
  readonly rate: (program: Program) => Decimal;
  /** Facts this kind gives rules, by name (the tier id, whether membership benefits hold). */
  readonly facts?: Readonly<Record<string, KindFact>>;
  /** Refuses a catalog reward this customer may not have (a tier-only reward): the refusal, or null. */
  readonly canRedeemReward?: (ctx: KindContext & { readonly at: Date; readonly rewardId: string }) => Issue | null;
  /** Earn multipliers this kind adds on every line (a tier's 1.5×, a member's 2×), stacked with rule multipliers. */
  readonly multipliers?: (ctx: KindContext & { readonly at: Date }) => readonly Decimal[];
  /** Runs after the standard earning, and after a refund's clawback, inside the same transaction. */
  readonly onEvent?: (ctx: KindEventContext) => KindResult;
  /** Runs in `tick` after the standard time-driven work, inside the same transaction. */
  readonly onTick?: (ctx: KindContext & { readonly now: Date; readonly entries: readonly Entry[]; readonly after: AccountState }) => KindResult;
  /** The next instant after `after` at which this kind needs a tick. */
  readonly nextDueAt?: (ctx: KindContext & { readonly after: Date }) => Date | null;
  /**
   * Where the customer stands in this kind at `at` (the tier held), for reports such as a
   * simulation's end state; null when the kind has no standing for them.
   */
  readonly standing?: (ctx: KindContext & { readonly at: Date }) => string | null;
  /** Every standing the program's customers can hold, in the program's order (its tiers): reports list each, even when no one holds it. */
  readonly standings?: (program: Program) => readonly string[];
  /** A member discount on a checkout order, shown by quotes. */
  readonly discount?: (ctx: KindContext & { readonly at: Date; readonly order: CheckoutOrder; readonly eligibleAmount: Decimal }) => { readonly percent: Decimal; readonly amount: Decimal } | null;
}
