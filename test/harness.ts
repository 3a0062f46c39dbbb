// The ledger harness of the pure-core tests: an account and every transaction kept, each decision
// folded, and the fold checked against the kept transactions (verifyFold).
import { expect } from 'vitest';
import { applyEntries, balanceAt, evaluate, openAccount, redeem, tick, verifyFold } from '../src/core';
import { redeemRequestSchema } from '../src/schemas';
import type { Customer, LoyaltyEvent, Notification, Program, Transaction } from '../src';
import type { AccountState, Decision, Unit } from '../src/core';
import { customer } from './fixtures';

type Issues = Extract<Decision, { ok: false }>['issues'];

export interface LedgerOptions {
  /** The customer `evaluate` and `tick` are given; `null`: none. Default: `customer()` of the fixtures. */
  readonly who?: Customer | null;
  /** Throw on a refused decision, with this message, instead of returning it. Default: refusals are returned. */
  readonly refusal?: (issues: Issues) => string;
  /** Check the fold after every step. Default: only when `check()` is called. */
  readonly checkEachStep?: boolean;
  /** Which kept transactions are a refund's order transactions. Default: those whose JSON names the order id. */
  readonly ofOrder?: (tx: Transaction, orderId: string) => boolean;
  /** Which notifications are kept: of every accepted decision, or only of those with a transaction. Default: `accepted`. */
  readonly notices?: 'accepted' | 'recorded';
}

/** An order's transactions as the JSON of each names it. */
export const namesOrder = (tx: Transaction, orderId: string): boolean => JSON.stringify(tx).includes(`"orderId":"${orderId}"`);

/** The core of a ledger harness: no `event` of its own, so that kinds can name theirs. */
export class LedgerCore {
  account: AccountState;
  readonly txs: Transaction[] = [];
  readonly notices: Notification[] = [];
  readonly who: Customer | undefined;
  constructor(
    readonly program: Program,
    private readonly options: LedgerOptions = {},
  ) {
    this.who = options.who === null ? undefined : (options.who ?? customer());
    this.account = openAccount(program, this.who?.id ?? 'c1');
  }
  apply(d: Decision): Decision {
    if (!d.ok && this.options.refusal) throw new Error(this.options.refusal(d.issues));
    if (d.ok) {
      if (d.transaction) {
        this.account = applyEntries(this.account, d.transaction);
        this.txs.push(d.transaction);
      }
      if (d.transaction || this.options.notices !== 'recorded') this.notices.push(...d.notifications);
    }
    if (this.options.checkEachStep) this.check();
    return d;
  }
  /** Evaluates an event (a refund with its order's kept transactions) and applies the decision. */
  decide(e: LoyaltyEvent): Decision {
    const orderId = e.type === 'refund' ? e.orderId : undefined;
    const ofOrder = this.options.ofOrder ?? namesOrder;
    const orderTransactions = orderId ? this.txs.filter((tx) => ofOrder(tx, orderId)) : undefined;
    return this.apply(evaluate(this.program, this.account, e, this.who ? { customer: this.who, orderTransactions } : { orderTransactions }));
  }
  tick(at: string): Decision {
    return this.apply(tick(this.program, this.account, new Date(at), this.who ? { customer: this.who } : undefined));
  }
  redeem(input: Record<string, unknown>): Decision {
    return this.apply(redeem(this.program, this.account, redeemRequestSchema.parse(input)));
  }
  /** Available balance at `at` (points unless `unit` says otherwise). */
  available(at: string, unit?: Unit): string {
    return balanceAt(this.account, new Date(at), unit).available.toString();
  }
  check(): void {
    expect(verifyFold(this.account, this.txs)).toEqual([]);
  }
}

/** A ledger harness whose `event` takes a parsed event. */
export class Ledger extends LedgerCore {
  event(e: LoyaltyEvent): Decision {
    return this.decide(e);
  }
}
