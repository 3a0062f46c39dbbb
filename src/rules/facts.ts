import type { Decimal} from '../money/decimal';
import { ZERO } from '../money/decimal';
import { isBirthday, isBirthdayMonth, zonedParts } from '../time';
import { balanceAt } from '../ledger/read';
import type { AccountState } from '../ledger/types';
import type { Customer } from '../schema/customer';
import type { LoyaltyEvent } from '../schema/events';
import type { CoreFactName } from './catalog';
import type { FactType } from './types';

const DAY_MS = 86_400_000;
const EMPTY: readonly string[] = Object.freeze([]);

/** What the engine knows about an order before the rules run (amounts exact). */
export interface OrderSummary {
  readonly id: string;
  readonly currency: string;
  readonly subtotal: Decimal;
  readonly eligibleSubtotal: Decimal;
  readonly shipping: Decimal;
  readonly tax: Decimal;
  readonly itemCount: number;
  readonly lineCount: number;
  readonly categories: readonly string[];
  readonly skus: readonly string[];
  readonly tags: readonly string[];
}

/**
 * The facts builder's input: the event, who sent it, their account, and the program's context.
 * Everything a fact reads comes from here; nothing reads a clock.
 */
export interface FactsInput {
  readonly event: LoyaltyEvent;
  readonly customer: Customer;
  readonly account: AccountState;
  /** The program's IANA zone (campaigns, `time.*`). */
  readonly timeZone: string;
  /** The customer's zone (birthdays); the program's when the profile has none. */
  readonly customerTimeZone: string;
  readonly order?: OrderSummary | undefined;
  readonly segments?: readonly string[] | undefined;
  /**
   * The values of the facts the program's kind declares (`customer.tier`, `membership.active`…),
   * by name, as the kind computed them; a kind fact missing here reads its fallback.
   */
  readonly kindFacts?: Readonly<Record<string, unknown>> | undefined;
}

/**
 * A host-registered fact: a synchronous function of the facts input, with a declared type. With
 * `params: true` it also takes the condition's `params` (json-rules-engine's parameterised facts):
 * it is then computed when a comparison reads it, once per read, with the condition's `params`
 * (`{}` when the condition has none).
 *
 * @example
 * ```ts
 * const rfm: RegisteredFact = { type: 'string', description: 'RFM cell', compute: (i) => String(i.customer.attributes.rfm ?? '') };
 * const spentOn: RegisteredFact = {
 *   type: 'decimal', description: 'order amount in a category', params: true,
 *   compute: (i, p) => (i.order?.categories.includes(String(p.category)) ? i.order.subtotal : new Decimal(0)),
 * };
 * ```
 */
export interface RegisteredFact {
  /** The type the rule checker holds conditions on this fact to. */
  readonly type: FactType;
  /** What the fact means, for the fact catalogue. */
  readonly description: string;
  /** `true` when the fact takes the condition's `params`. */
  readonly params?: boolean | undefined;
  /** Computes the fact from the facts input (and `params`, `{}` without); synchronous, reads no clock. */
  readonly compute: (input: FactsInput, params: Readonly<Record<string, unknown>>) => unknown;
}

const NO_PARAMS: Readonly<Record<string, unknown>> = Object.freeze({});

type Compute = (input: FactsInput, memo: Memo) => unknown;

/** Per-build cache for values several facts share (zoned parts of the instant). */
interface Memo {
  parts?: ReturnType<typeof zonedParts>;
}

function parts(input: FactsInput, memo: Memo): ReturnType<typeof zonedParts> {
  return (memo.parts ??= zonedParts(input.event.occurredAt, input.timeZone));
}

function str(event: LoyaltyEvent, key: string): string {
  const v = (event as unknown as Record<string, unknown>)[key];
  return typeof v === 'string' ? v : '';
}

/** subtotal + shipping + tax; a zero term (most orders ship free or list no tax) is not added: x + 0 is x. */
function orderTotal(order: OrderSummary): Decimal {
  let total = order.subtotal;
  if (!order.shipping.isZero()) total = total.plus(order.shipping);
  if (!order.tax.isZero()) total = total.plus(order.tax);
  return total;
}

const COMPUTE: Record<CoreFactName, Compute> = {
  'event.type': (i) => i.event.type,
  'event.id': (i) => i.event.id,
  'event.channel': (i) => i.event.channel,
  'event.name': (i) => (i.event.type === 'custom' ? i.event.name : ''),
  'event.network': (i) => (i.event.type === 'social_follow' ? i.event.network : ''),
  'event.platform': (i) => (i.event.type === 'review' ? i.event.platform : ''),
  'event.rating': (i) => (i.event.type === 'review' ? i.event.rating : 0),
  'event.hasPhoto': (i) => (i.event.type === 'review' ? i.event.hasPhoto : false),
  'event.referredCustomerId': (i) => (i.event.type === 'referral' ? i.event.referredCustomerId : ''),
  'event.stage': (i) => (i.event.type === 'referral' ? i.event.stage : ''),
  'event.storeId': (i) => str(i.event, 'storeId'),
  'event.attributes': (i) => (i.event.type === 'custom' ? i.event.attributes : {}),
  'order.id': (i) => str(i.event, 'orderId'),
  'order.currency': (i) => i.order?.currency ?? '',
  'order.subtotal': (i) => i.order?.subtotal ?? ZERO,
  'order.eligibleSubtotal': (i) => i.order?.eligibleSubtotal ?? ZERO,
  'order.total': (i) => (i.order ? orderTotal(i.order) : ZERO),
  'order.shipping': (i) => i.order?.shipping ?? ZERO,
  'order.tax': (i) => i.order?.tax ?? ZERO,
  'order.itemCount': (i) => i.order?.itemCount ?? 0,
  'order.lineCount': (i) => i.order?.lineCount ?? 0,
  'order.categories': (i) => i.order?.categories ?? EMPTY,
  'order.skus': (i) => i.order?.skus ?? EMPTY,
  'order.tags': (i) => i.order?.tags ?? EMPTY,
  'customer.id': (i) => i.customer.id,
  'customer.tags': (i) => i.customer.tags,
  'customer.attributes': (i) => i.customer.attributes,
  'customer.segments': (i) => i.segments ?? EMPTY,
  'customer.lifetimeSpend': (i) => i.account.stats.lifetimeSpend,
  'customer.orderCount': (i) => i.account.stats.orderCount,
  'customer.isFirstPurchase': (i) => i.event.type === 'purchase' && i.account.stats.orderCount === 0,
  'customer.daysSinceLastPurchase': (i) => {
    const last = i.account.stats.lastPurchaseAt;
    return last === null ? -1 : Math.floor((i.event.occurredAt.getTime() - last.getTime()) / DAY_MS);
  },
  'customer.daysSinceEnrolled': (i) => Math.floor((i.event.occurredAt.getTime() - i.customer.enrolledAt.getTime()) / DAY_MS),
  'customer.isBirthday': (i) => (i.customer.birthday ? isBirthday(i.event.occurredAt, i.customer.birthday, i.customerTimeZone) : false),
  'customer.isBirthdayMonth': (i) => (i.customer.birthday ? isBirthdayMonth(i.event.occurredAt, i.customer.birthday, i.customerTimeZone) : false),
  'account.available': (i) => balanceAt(i.account, i.event.occurredAt).available,
  'account.pending': (i) => balanceAt(i.account, i.event.occurredAt).pending,
  'account.lifetimeEarned': (i) => i.account.stats.lifetimeEarned,
  'time.year': (i, m) => parts(i, m).year,
  'time.month': (i, m) => parts(i, m).month,
  'time.day': (i, m) => parts(i, m).day,
  'time.dayOfWeek': (i, m) => parts(i, m).dayOfWeek,
  'time.hour': (i, m) => parts(i, m).hour,
};

/**
 * Names of the core facts, in catalogue order.
 *
 * @example
 * ```ts
 * CORE_FACT_NAMES[0]; // 'event.type'
 * CORE_FACT_NAMES.includes('order.subtotal'); // true
 * ```
 */
export const CORE_FACT_NAMES = Object.keys(COMPUTE) as CoreFactName[];

/**
 * Builds the flat fact object a rule evaluator reads: the core facts from the input, the facts of
 * program kinds (`input.kindFacts`, or each one's fallback from `kindFallbacks`), plus the host's
 * registered facts. With `only`, just those facts are computed (the compiled program passes the
 * facts its conditions read); without it, every fact is, with its default.
 *
 * @example
 * ```ts
 * const facts = buildFactsWith(input, { 'customer.tier': '' }, { only: ['event.type', 'customer.tier'] });
 * facts['event.type']; // 'purchase'
 * facts['customer.tier']; // '' without a tier in input.kindFacts
 * ```
 */
export function buildFactsWith(
  input: FactsInput,
  kindFallbacks: Readonly<Record<string, unknown>>,
  options?: { readonly registered?: Readonly<Record<string, RegisteredFact>> | undefined; readonly only?: readonly string[] | undefined },
): Record<string, unknown> {
  const registered = options?.registered;
  const names = options?.only ?? [...CORE_FACT_NAMES, ...Object.keys(kindFallbacks), ...Object.keys(registered ?? {})];
  return factBuilder(names, kindFallbacks, registered)(input);
}

/** How one fact of a {@link factBuilder} gets its value. */
type FactStep = (input: FactsInput, memo: Memo) => unknown;

/** The step of one fact name: a core fact's compute, a kind fact (its value or fallback), a registered fact, or none. */
function stepOf(name: string, kindFallbacks: Readonly<Record<string, unknown>>, registered: Readonly<Record<string, RegisteredFact>> | undefined): FactStep | undefined {
  const builtin = (COMPUTE as Record<string, Compute | undefined>)[name];
  if (builtin) return builtin;
  if (Object.hasOwn(kindFallbacks, name)) {
    const fallback = kindFallbacks[name];
    return (i) => (i.kindFacts && Object.hasOwn(i.kindFacts, name) ? i.kindFacts[name] : fallback);
  }
  const fact = registered?.[name];
  if (fact?.params === true) return (i) => (params: Readonly<Record<string, unknown>> | undefined) => fact.compute(i, params ?? NO_PARAMS);
  if (fact) return (i) => fact.compute(i, NO_PARAMS);
  return undefined;
}

/**
 * A facts builder for a fixed list of fact names, each name's computation looked up once here
 * rather than on every build (a compiled program makes one for the facts its rules read). Builds
 * what {@link buildFactsWith} builds with `only: names`, in the same order.
 *
 * @example
 * ```ts
 * const build = factBuilder(['event.type', 'order.subtotal'], {}, undefined);
 * build(input)['event.type']; // 'purchase'
 * ```
 */
export function factBuilder(
  names: readonly string[],
  kindFallbacks: Readonly<Record<string, unknown>>,
  registered: Readonly<Record<string, RegisteredFact>> | undefined,
): (input: FactsInput) => Record<string, unknown> {
  const kept: string[] = [];
  const steps: FactStep[] = [];
  for (const name of names) {
    const step = stepOf(name, kindFallbacks, registered);
    if (step) {
      kept.push(name);
      steps.push(step);
    }
  }
  const n = kept.length;
  return (input) => {
    const memo: Memo = {};
    const facts: Record<string, unknown> = {};
    for (let k = 0; k < n; k++) facts[kept[k] as string] = (steps[k] as FactStep)(input, memo);
    return facts;
  };
}
