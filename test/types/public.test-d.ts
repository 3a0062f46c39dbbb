// Type tests of the public API: what the compiler promises a host. Run by vitest's typecheck.
import { describe, expectTypeOf, test } from 'vitest';
import { defineProgram } from '../../src';
import { evaluate, openAccount, parseEvent } from '../../src/core';
import { UnreachableError } from '../../src/errors';
import type { Decimal, Entry, LoyaltyEvent, LoyaltyEventInput, Program, Transaction, DecimalInput, InstantInput } from '../../src';
import type { AccountState, Decision, EntryKind, Issues } from '../../src/core';
import type { EventOf, PointsProgramConfig, PurchaseEvent, PurchaseLine, RefundEvent } from '../../src/schemas';

const program = defineProgram({
  kind: 'points',
  id: 'rewards',
  version: 1,
  currency: 'USD',
  timeZone: 'America/New_York',
  rules: [{ id: 'base', on: 'purchase', award: { kind: 'per_amount', points: 1, per: 1 } }],
});

describe('defineProgram', () => {
  test('returns a Program of the points config, whose kind is the literal "points"', () => {
    expectTypeOf(program.config).toEqualTypeOf<PointsProgramConfig>();
    expectTypeOf(program).toExtend<Program<PointsProgramConfig>>();
    expectTypeOf(program.config.kind).toEqualTypeOf<'points'>();
    expectTypeOf(program.kind).toEqualTypeOf<'points'>();
    expectTypeOf(program).toExtend<Program>();
    expectTypeOf(program.compileMode).toEqualTypeOf<'codegen' | 'closure'>();
  });

  test('the parsed config carries Decimals and defaults, not the input shapes', () => {
    expectTypeOf(program.config.rounding).toEqualTypeOf<'floor' | 'ceil' | 'half-up' | 'half-even' | 'down'>();
    expectTypeOf(program.config.latenessDays).toEqualTypeOf<number>();
    expectTypeOf(program.config.redemption.pointsPerUnit).toEqualTypeOf<Decimal>();
  });

  test('refuses configs that are wrong at the type level', () => {
    // @ts-expect-error -- no such program kind
    defineProgram({ kind: 'cashback', id: 'p', version: 1, currency: 'USD', timeZone: 'UTC' });
    // @ts-expect-error -- `on` names an event type that does not exist
    defineProgram({ kind: 'points', id: 'p', version: 1, currency: 'USD', timeZone: 'UTC', rules: [{ id: 'r', on: 'purchas', award: { kind: 'fixed', points: 1 } }] });
    // @ts-expect-error -- version is a number
    defineProgram({ kind: 'points', id: 'p', version: '1', currency: 'USD', timeZone: 'UTC' });
    // @ts-expect-error -- an unknown award kind
    defineProgram({ kind: 'points', id: 'p', version: 1, currency: 'USD', timeZone: 'UTC', rules: [{ id: 'r', on: 'signup', award: { kind: 'bonus', points: 1 } }] });
  });
});

describe('LoyaltyEvent', () => {
  test('narrowing by type gives each event its own fields', () => {
    const event = parseEvent({});
    expectTypeOf(event).toEqualTypeOf<LoyaltyEvent>();
    if (event.type === 'purchase') {
      expectTypeOf(event.orderId).toEqualTypeOf<string>();
      expectTypeOf(event.lines).toEqualTypeOf<PurchaseLine[]>();
      expectTypeOf(event).toEqualTypeOf<PurchaseEvent>();
    }
    if (event.type === 'refund') {
      expectTypeOf(event).toEqualTypeOf<RefundEvent>();
      expectTypeOf(event.amount).toEqualTypeOf<Decimal | undefined>();
    }
    if (event.type === 'signup') {
      // @ts-expect-error -- a signup has no order
      void event.orderId;
    }
    // @ts-expect-error -- not every event has an orderId
    void event.orderId;
    expectTypeOf<LoyaltyEvent['type']>().toEqualTypeOf<'purchase' | 'refund' | 'signup' | 'referral' | 'review' | 'newsletter_subscribed' | 'social_follow' | 'custom' | 'membership_started' | 'membership_payment' | 'membership_cancelled'>();
    expectTypeOf<EventOf<'purchase'>>().toEqualTypeOf<PurchaseEvent>();
  });

  test('amounts of parsed events are Decimals, never numbers; instants are Dates', () => {
    expectTypeOf<PurchaseLine['unitPrice']>().toEqualTypeOf<Decimal>();
    expectTypeOf<PurchaseLine['unitPrice']>().not.toEqualTypeOf<number>();
    expectTypeOf<PurchaseLine['discount']>().toEqualTypeOf<Decimal>();
    expectTypeOf<PurchaseEvent['shipping']>().toEqualTypeOf<Decimal>();
    expectTypeOf<PurchaseEvent['tax']>().toEqualTypeOf<Decimal>();
    expectTypeOf<PurchaseEvent['pointsRedeemed']>().toEqualTypeOf<Decimal>();
    expectTypeOf<PurchaseLine['quantity']>().toEqualTypeOf<number>();
    expectTypeOf<LoyaltyEvent['occurredAt']>().toEqualTypeOf<Date>();
    const line = {} as PurchaseLine;
    // @ts-expect-error -- a Decimal is not a number: no float arithmetic on amounts
    const sum: number = line.unitPrice + 1;
    void sum;
  });

  test('the input type is looser than the parsed one: decimal strings, numbers or Decimals; Dates or ISO strings', () => {
    expectTypeOf<Extract<LoyaltyEventInput, { type: 'purchase' }>['occurredAt']>().toEqualTypeOf<InstantInput>();
    expectTypeOf<Extract<LoyaltyEventInput, { type: 'purchase' }>['lines'][number]['unitPrice']>().toEqualTypeOf<DecimalInput>();
    expectTypeOf<LoyaltyEventInput>().not.toEqualTypeOf<LoyaltyEvent>();
  });
});

describe('Decision', () => {
  test('is a union on ok: a transaction when ok, typed issues otherwise', () => {
    const decision = {} as Decision;
    expectTypeOf(decision.ok).toEqualTypeOf<boolean>();
    if (decision.ok) {
      expectTypeOf(decision.transaction).toEqualTypeOf<Transaction | null>();
      // @ts-expect-error -- an accepted decision has no issues
      void decision.issues;
    } else {
      expectTypeOf(decision.issues).toEqualTypeOf<Issues>();
      expectTypeOf(decision.issues[0].code).toEqualTypeOf<string>();
      // @ts-expect-error -- a refusal has no transaction
      void decision.transaction;
    }
    // @ts-expect-error -- issues only after narrowing on ok
    void decision.issues;
    expectTypeOf<Extract<Decision, { ok: true }>['ok']>().toEqualTypeOf<true>();
    expectTypeOf<Extract<Decision, { ok: false }>['ok']>().toEqualTypeOf<false>();
  });
});

describe('Entry', () => {
  // If a kind is added to Entry, this switch stops compiling until it is handled: that is the point.
  function describeEntry(entry: Entry): string {
    switch (entry.kind) {
      case 'earn':
        return `earn ${entry.lot.amount.toString()} by ${entry.ruleId}`;
      case 'release':
        return `release ${entry.amount.toString()}`;
      case 'expire':
        return `expire ${entry.draws.length}`;
      case 'redeem':
        return `redeem ${entry.draws.length}`;
      case 'clawback':
        return `clawback, debt ${entry.debt.toString()}`;
      case 'adjust':
        return `${entry.direction} by ${entry.actor}`;
      case 'restore':
        return `restore from ${entry.source}`;
      case 'hold':
        return 'hold';
      case 'capture':
        return `capture ${entry.holdId}`;
      case 'refund':
        return `refund ${entry.amount.toString()}`;
      case 'mark':
        return `mark ${entry.key}`;
      case 'state':
        return `state ${entry.key}: ${entry.reason}`;
      case 'usage':
        return `usage ${entry.counters.length}`;
      case 'activity':
        return `activity ${entry.spend.toString()}`;
      default:
        throw new UnreachableError(entry);
    }
  }

  test('a switch over every kind is exhaustive: the default branch sees never', () => {
    expectTypeOf(describeEntry).parameter(0).toEqualTypeOf<Entry>();
    expectTypeOf<EntryKind>().toEqualTypeOf<Entry['kind']>();
  });

  test('a switch that forgets a kind does not compile', () => {
    function forgetful(entry: Entry): string {
      switch (entry.kind) {
        case 'earn':
          return 'earn';
        default:
          // @ts-expect-error -- every kind but earn still reaches here
          throw new UnreachableError(entry);
      }
    }
    void forgetful;
  });
});

describe('evaluate', () => {
  test('takes a parsed event, not a raw object with string amounts', () => {
    const account: AccountState = openAccount(program, 'c1');
    const parsed = parseEvent({});
    expectTypeOf(evaluate(program, account, parsed)).toEqualTypeOf<Decision>();
    expectTypeOf(evaluate).parameter(2).toEqualTypeOf<LoyaltyEvent>();

    const raw = {
      id: 'e1',
      customerId: 'c1',
      type: 'purchase',
      orderId: 'o1',
      currency: 'USD',
      channel: 'web',
      occurredAt: '2027-03-10T15:00:00Z',
      lines: [{ lineId: 'l1', sku: 's1', categories: [], tags: [], quantity: 1, unitPrice: '10.00', discount: '0' }],
      shipping: '0',
      tax: '0',
      pointsRedeemed: '0',
    } as const;
    // @ts-expect-error -- string amounts and an ISO string are not a parsed event: call parseEvent first
    evaluate(program, account, raw);
    // @ts-expect-error -- the program comes from defineProgram, not a bare config
    evaluate(program.config, account, parsed);
  });
});
