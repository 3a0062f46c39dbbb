import type { Decimal } from '../money/decimal';
import type { KindState, KindUnit } from '../kinds/states';

/**
 * What an amount counts: points, store credit in one currency (`credit:<currency>`), or a unit a
 * program kind adds (`KindUnit`, e.g. the punches on one card type). Every transaction balances
 * per unit.
 */
export type Unit = 'points' | `credit:${string}` | KindUnit;

/** A customer's own accounts. */
export type CustomerAccount = 'available' | 'pending' | 'held';
/** The program's system accounts (the other side of every customer movement). */
export type SystemAccount = 'issued' | 'redeemed' | 'expired' | 'clawed_back' | 'adjusted';
/** Any ledger account. */
export type LedgerAccount = CustomerAccount | SystemAccount;

/** Why a lot exists: the event, rule and program version that created it. */
export interface LotCause {
  readonly eventId: string;
  readonly ruleId: string;
  readonly programVersion: number;
}

/**
 * A lot: points (or credit) earned together, spent and expired as a unit of account.
 * `remaining` only falls; a lot leaves the state when it reaches zero.
 */
export interface Lot {
  readonly id: string;
  readonly unit: Unit;
  readonly amount: Decimal;
  readonly remaining: Decimal;
  readonly earnedAt: Date;
  /** When the lot becomes spendable (after a return window); equals earnedAt when not pending. */
  readonly availableAt: Date;
  /** When the lot is gone (an expiry at t means gone at t); null for never. */
  readonly expiresAt: Date | null;
  /** `pending` until a `release` entry moves it to `available`. Reads as of t use `availableAt`. */
  readonly account: 'available' | 'pending';
  readonly cause: LotCause;
  readonly orderId?: string;
}

/**
 * An amount taken from one lot. It carries the lot's terms, so the points can be given back
 * later with their original expiry even after the lot has left the state.
 */
export interface LotDraw {
  readonly lot: string;
  readonly amount: Decimal;
  /** The account the points left: a pending lot is drawn from `pending`. */
  readonly from: 'available' | 'pending';
  readonly terms: LotTerms;
}

/** What a lot is, apart from how much of it remains and where it sits. */
export type LotTerms = Pick<Lot, 'unit' | 'amount' | 'earnedAt' | 'availableAt' | 'expiresAt' | 'cause'> & { readonly orderId?: string };

/** Points reserved at checkout, awaiting capture or release. */
export interface Hold {
  readonly id: string;
  readonly unit: Unit;
  /** What the hold still reserves, lot by lot. */
  readonly draws: readonly LotDraw[];
  /** An uncaptured hold lapses at this instant. */
  readonly expiresAt: Date;
  readonly orderId?: string;
}

export type { LineShare } from './shares';
import type { LineShare } from './shares';

/** A change to a limit counter: + on an award, − when a refund gives the cap back. */
export interface CounterChange {
  readonly key: string;
  /** The lot whose award consumed the counter (so a refund can give it back). */
  readonly lot?: string;
  readonly count: number;
  readonly points: Decimal;
  /**
   * When the counter may be dropped: its window's end plus the program's lateness (no late
   * event can land in the window after that). Null for lifetime and per-order counters.
   */
  readonly keepUntil: Date | null;
}

/**
 * One ledger entry. Entries are tagged by `kind`; every entry that moves value moves a positive
 * `amount` of one unit from one account to another (see `postingsOf`), so each balances.
 */
export type Entry =
  | {
      readonly kind: 'earn';
      readonly unit: Unit;
      /** The lot this earn creates (its `remaining` is `amount − repaid`). */
      readonly lot: Lot;
      /** Part of the earn that repaid a debt first. */
      readonly repaid: Decimal;
      /** For order awards: how the lot splits over the order's lines. */
      readonly lines?: readonly LineShare[];
      readonly ruleId: string;
    }
  | { readonly kind: 'release'; readonly unit: Unit; readonly lot: string; readonly amount: Decimal }
  | { readonly kind: 'expire'; readonly unit: Unit; readonly draws: readonly LotDraw[] }
  | {
      readonly kind: 'redeem';
      readonly unit: Unit;
      readonly draws: readonly LotDraw[];
      readonly orderId?: string;
      readonly rewardId?: string;
    }
  | {
      readonly kind: 'clawback';
      readonly unit: Unit;
      readonly draws: readonly LotDraw[];
      /** The part taken beyond the balance, as debt (only where the return policy allows it). */
      readonly debt: Decimal;
      /** The refunded order (absent for a reversal). */
      readonly orderId?: string;
      /** Which earn lots (of the order) the clawback is charged against, and how much each. */
      readonly against: readonly { readonly lot: string; readonly amount: Decimal; readonly lines?: readonly LineShare[] }[];
    }
  | {
      readonly kind: 'adjust';
      readonly unit: Unit;
      /** A credit creates a lot; a debit draws from lots. */
      readonly direction: 'credit' | 'debit';
      readonly lot?: Lot;
      readonly draws?: readonly LotDraw[];
      readonly actor: string;
      readonly reason: string;
    }
  | {
      /**
       * Points come back to the lots they were drawn from (a cancelled redemption, a released
       * hold, a refunded order paid with points). Points whose lot expired meanwhile go to
       * `expired` instead.
       */
      readonly kind: 'restore';
      readonly unit: Unit;
      readonly source: 'redeemed' | 'held' | 'adjusted' | 'clawed_back';
      /** The transaction whose draws come back (a redemption, an adjustment, a clawback). */
      readonly of?: string;
      readonly draws: readonly LotDraw[];
      /** Of those draws, the amount whose lot had expired, sent to `expired`. */
      readonly expired: readonly LotDraw[];
      /** The hold this restore releases from (source `held`). */
      readonly holdId?: string;
    }
  | {
      readonly kind: 'hold';
      readonly unit: Unit;
      readonly hold: Hold;
    }
  | { readonly kind: 'capture'; readonly unit: Unit; readonly holdId: string; readonly draws: readonly LotDraw[]; readonly orderId?: string }
  | {
      /** A refund's progress on an order: which units and which amount were refunded. */
      readonly kind: 'refund';
      readonly orderId: string;
      readonly lines: readonly { readonly lineId: string; readonly quantity: number }[];
      readonly amount: Decimal;
      /** The net amount refunded, for the account's figures. */
      readonly net: Decimal;
    }
  | { readonly kind: 'mark'; readonly key: string; readonly value: string | null }
  | {
      /**
       * A record of a program kind's state (a tier change, a membership step, a punch card, spend
       * progress): the new value for `key`, and why. The fold keeps the latest value per key.
       */
      readonly kind: 'state';
      readonly key: string;
      readonly value: KindState | null;
      readonly reason: string;
    }
  | { readonly kind: 'usage'; readonly counters: readonly CounterChange[] }
  | {
      readonly kind: 'activity';
      /** A purchase (spend > 0, orders +1) or a refund (spend < 0). */
      readonly spend: Decimal;
      readonly orders: number;
      readonly purchaseAt?: Date;
      /** On a purchase: the order id and the amount that earned, the basis of refunds by amount. */
      readonly orderId?: string;
      readonly eligible?: Decimal;
      /** On a purchase: each line's quantity and net price, the basis of refunds by line. */
      readonly lines?: readonly { readonly lineId: string; readonly quantity: number; readonly net: Decimal }[];
    };

/** The entry kinds. */
export type EntryKind = Entry['kind'];

/** What caused a transaction. */
export type TransactionCause =
  | { readonly kind: 'event'; readonly eventId: string; readonly eventType: string }
  | { readonly kind: 'tick' }
  | { readonly kind: 'request'; readonly requestId: string; readonly operation: string; readonly actor?: string };

/**
 * One atomic group of entries, for one customer's account in one program.
 */
export interface Transaction {
  readonly id: string;
  readonly programId: string;
  readonly programVersion: number;
  readonly customerId: string;
  /** The instant the transaction takes effect (the event's `occurredAt`, or `now` of a tick). */
  readonly at: Date;
  readonly cause: TransactionCause;
  readonly entries: readonly Entry[];
}

/** A limit counter of a window still open. */
export interface Counter {
  readonly count: number;
  readonly points: Decimal;
  readonly keepUntil: Date | null;
}

/** Per-account figures that rules and policies read (lifetime spend, order count…). */
export interface AccountStats {
  readonly orderCount: number;
  readonly lifetimeSpend: Decimal;
  readonly lifetimeEarned: Decimal;
  readonly lastPurchaseAt: Date | null;
  readonly lastActivityAt: Date | null;
}

/**
 * A customer's account in one program: a cache of the fold of its transactions, holding only
 * what future operations need (open lots, debt, open window counters, figures).
 *
 * Beside a state it makes, the fold keeps derived indexes (lots by id, in spending and expiry
 * order, pending lots by release instant, running balances per unit, the soonest counter
 * expiry), invisible to JSON, spreads and equality: reads and writes cost what they touch, not
 * the number of open lots or the length of the history. On such a state `lots` and `marks` are
 * getters that build their value when first read. A state from elsewhere (a store, an older
 * version, a literal) works the same: its indexes are built on first use.
 */
export interface AccountState {
  readonly programId: string;
  readonly customerId: string;
  /** Number of transactions folded in; stores use it for optimistic concurrency. */
  readonly version: number;
  readonly lots: readonly Lot[];
  /** Per unit, what the customer owes (a debt lot): repaid first by later earnings. */
  readonly debt: Readonly<Partial<Record<Unit, Decimal>>>;
  readonly counters: Readonly<Record<string, Counter>>;
  readonly holds: readonly Hold[];
  /**
   * Once-only facts that future operations check: `reversed:<tx>`, `birthday` (last year paid),
   * `lapsed`, `expiring:<lot>` (notice sent). Set and cleared by `mark` entries.
   */
  readonly marks: Readonly<Record<string, string>>;
  /** Program-kind state by key, each key chosen by its kind (`KindState`, src/kinds/states.ts). */
  readonly kinds: Readonly<Record<string, KindState>>;
  readonly stats: AccountStats;
  readonly lastTransactionAt: Date | null;
}
