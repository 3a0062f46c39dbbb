import * as z from 'zod/mini';
import { strictObject } from '../issues';
import { int, preprocess } from '../internal/mini';
import { topLevelConditionSchema } from '../condition';
import {
  channelSchema,
  currencySchema,
  decimalSchema,
  idSchema,
  instantSchema,
  positiveDecimalSchema,
  roundingModeSchema,
  slugSchema,
  timeZoneSchema,
  wholePointsSchema,
} from '../primitives';
import { EVENT_TYPES } from '../events';

// Each top-level schema of a program config is built in a `/* @__PURE__ */` arrow called at once:
// these modules share a built chunk with the event schemas the service needs, and a bundler keeps
// any top-level expression with a method call (`.check(...)`) unless it is marked side-effect
// free, so createLoyalty alone would carry every program schema (~5 KB gzip; scripts/check-size.mjs).

/**
 * Limit windows. Calendar windows are in the program's zone; `order` is one order; `lifetime` never resets.
 *
 * @example
 * ```ts
 * limitWindowSchema.parse('month'); // 'month'
 * ```
 */
export const limitWindowSchema = /* @__PURE__ */ (() => z.enum(['order', 'day', 'week', 'month', 'year', 'lifetime']))();
/** A limit window. */
export type LimitWindow = z.infer<typeof limitWindowSchema>;

/**
 * A cap on a rule's awards, per customer: by count of awards or by points, per window, and
 * optionally keyed by a fact (`key: 'event.network'` = once per network). Exactly one of `count`
 * and `points`.
 *
 * @example
 * ```ts
 * limitSchema.parse({ per: 'lifetime', count: 1, key: 'event.network' });
 * limitSchema.parse({ per: 'day', points: 500 });
 * limitSchema.safeParse({ per: 'day' }).success; // false (limit_shape)
 * ```
 */
export const limitSchema = /* @__PURE__ */ (() => strictObject({
    per: limitWindowSchema,
    count: z.optional(z.number().check(int(), z.positive())),
    points: z.optional(wholePointsSchema),
    key: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
  }).check(z.refine((l) => (l.count === undefined) !== (l.points === undefined), {
    message: 'a limit caps either `count` or `points`, exactly one of them',
    params: { code: 'limit_shape' },
  })))();
/** A parsed limit. */
export type Limit = z.output<typeof limitSchema>;

/**
 * When a lot of points expires: `never`, `rolling` (days or months after earning), `fixed_date`
 * (a calendar date every year), `end_of_period` or `inactivity`. Instants are computed in the
 * program's zone (SPEC §2b).
 *
 * @example
 * ```ts
 * expiryPolicySchema.parse({ kind: 'rolling', months: 12 });
 * expiryPolicySchema.parse({ kind: 'fixed_date', month: 12, day: 31 });
 * ```
 */
export const expiryPolicySchema = /* @__PURE__ */ (() => z.discriminatedUnion('kind', [
  strictObject({ kind: z.literal('never') }),
  strictObject({ kind: z.literal('rolling'), days: z.optional(z.number().check(int(), z.positive(), z.lte(36_600))), months: z.optional(z.number().check(int(), z.positive(), z.lte(1200))) }).check(z.refine((p) => (p.days === undefined) !== (p.months === undefined), { message: 'rolling expiry takes either `days` or `months`', params: { code: 'expiry_shape' } })),
  /** Usable through this calendar date every year (e.g. 31 Dec: gone at 00:00 on 1 Jan). */
  strictObject({ kind: z.literal('fixed_date'), month: z.number().check(int(), z.gte(1), z.lte(12)), day: z.number().check(int(), z.gte(1), z.lte(31)) }),
  /** Gone at the start of the period that follows the period containing earnedAt + N months. */
  strictObject({ kind: z.literal('end_of_period'), period: z.enum(['month', 'quarter', 'year']), afterMonths: z.number().check(int(), z.gte(0), z.lte(1200)) }),
  /** Every lot expires after N months without activity. */
  strictObject({ kind: z.literal('inactivity'), months: z.number().check(int(), z.positive(), z.lte(1200)) }),
]))();
/** A parsed expiry policy. */
export type ExpiryPolicy = z.output<typeof expiryPolicySchema>;

/**
 * An award: what a rule gives when its conditions hold — `fixed` points, `per_amount` of spend,
 * `per_item`, or a `multiplier` of the event's other awards.
 *
 * @example
 * ```ts
 * awardSchema.parse({ kind: 'fixed', points: 100 });
 * awardSchema.parse({ kind: 'per_amount', points: 10, per: 50, whole: true }); // 10 points per full $50
 * ```
 */
export const awardSchema = /* @__PURE__ */ (() => z.discriminatedUnion('kind', [
  /** A fixed number of points. */
  strictObject({ kind: z.literal('fixed'), points: wholePointsSchema }),
  /**
   * `points` per `per` of eligible spend (net line prices). With `whole: true` only full multiples
   * of `per` count ("10 points per full $50").
   */
  strictObject({
    kind: z.literal('per_amount'),
    points: z._default(positiveDecimalSchema, () => positiveDecimalSchema.parse('1')),
    per: z._default(positiveDecimalSchema, () => positiveDecimalSchema.parse('1')),
    whole: z._default(z.boolean(), false),
  }),
  /** `points` per unit of the matching lines. */
  strictObject({ kind: z.literal('per_item'), points: positiveDecimalSchema }),
  /** Multiplies the per-amount and per-item points of the same event (on matching lines). */
  strictObject({ kind: z.literal('multiplier'), factor: positiveDecimalSchema }),
]))();
/** A parsed award. */
export type Award = z.output<typeof awardSchema>;

/**
 * An earning rule: which events, under which conditions, earn what, within which limits.
 *
 * @example
 * ```ts
 * earningRuleSchema.parse({
 *   id: 'follow-bonus',
 *   on: 'social_follow',
 *   when: { all: [{ fact: 'event.network', operator: 'in', value: ['instagram', 'tiktok'] }] },
 *   award: { kind: 'fixed', points: 50 },
 *   limits: [{ per: 'lifetime', count: 1, key: 'event.network' }],
 * });
 * ```
 */
export const earningRuleSchema = /* @__PURE__ */ (() => strictObject({
  id: slugSchema,
  name: z.optional(z.string().check(z.maxLength(200))),
  /** The event types the rule listens to. */
  on: z.union([z.enum(EVENT_TYPES), z.array(z.enum(EVENT_TYPES)).check(z.minLength(1))]),
  /** Conditions in json-rules-engine's JSON format, over the fact catalogue. */
  when: z.optional(topLevelConditionSchema),
  /** Names of segments the customer must be in (all of them). */
  segments: z.optional(z.array(slugSchema)),
  /** Id of a campaign window the event must fall in. */
  campaign: z.optional(slugSchema),
  channels: z.optional(z.array(channelSchema).check(z.minLength(1))),
  /** For per-amount, per-item and multiplier awards: which lines count, over line facts. */
  lines: z.optional(topLevelConditionSchema),
  award: awardSchema,
  limits: z._default(z.array(limitSchema).check(z.maxLength(10)), []),
  /** Overrides the program's expiry for lots this rule creates. */
  expiry: z.optional(expiryPolicySchema),
  /** Days the points stay pending (return window); overrides the program's pending policy. */
  pendingDays: z.optional(z.number().check(int(), z.gte(0), z.lte(3650))),
}))();
/** A parsed earning rule. */
export type EarningRule = z.output<typeof earningRuleSchema>;

/**
 * A campaign window in the program's zone: [start, end), optionally only some days and hours.
 *
 * @example
 * ```ts
 * // Black Friday weekend, evenings only (18:00 to 02:00)
 * campaignSchema.parse({ start: '2027-11-26T00:00:00-05:00', end: '2027-11-29T00:00:00-05:00', hours: { from: 18, to: 2 } });
 * ```
 */
export const campaignSchema = /* @__PURE__ */ (() => strictObject({
  start: z.optional(instantSchema),
  end: z.optional(instantSchema),
  /** 0 = Sunday … 6 = Saturday. */
  daysOfWeek: z.optional(z.array(z.number().check(int(), z.gte(0), z.lte(6))).check(z.minLength(1))),
  /** Hours of the day, [from, to) in the program's zone; `from > to` wraps midnight. */
  hours: z.optional(strictObject({ from: z.number().check(int(), z.gte(0), z.lte(23)), to: z.number().check(int(), z.gte(0), z.lte(24)) })),
}))();
/** A parsed campaign window. */
export type Campaign = z.output<typeof campaignSchema>;

/**
 * Lines that never earn (gift cards, tobacco…): by SKU, category or tag. Shipping and tax never earn.
 *
 * @example
 * ```ts
 * exclusionSchema.parse({ categories: ['gift_cards'] }).skus; // []
 * ```
 */
export const exclusionSchema = /* @__PURE__ */ (() => strictObject({
  skus: z._default(z.array(z.string()), []),
  categories: z._default(z.array(z.string()), []),
  tags: z._default(z.array(z.string()), []),
}))();

/**
 * Which spend earns: the lines excluded from earning, and whether points redeemed on an order
 * reduce the spend that earns.
 *
 * @example
 * ```ts
 * eligibilitySchema.parse({ exclude: { categories: ['gift_cards'] } }).netOfRedeemedPoints; // true
 * ```
 */
export const eligibilitySchema = /* @__PURE__ */ (() => strictObject({
  exclude: z._default(exclusionSchema, { skus: [], categories: [], tags: [] }),
  /** When true (default), points redeemed on an order reduce its eligible spend, pro rata over lines. */
  netOfRedeemedPoints: z._default(z.boolean(), true),
}))();

/**
 * Redemption at checkout: what points are worth, the minimum, step and caps of a redemption,
 * lines points may not pay for, and how long a hold lasts.
 *
 * @example
 * ```ts
 * redemptionPolicySchema.parse({ minPoints: 500, step: 100, maxShare: '0.5' }).pointsPerUnit.toString(); // '100'
 * ```
 */
export const redemptionPolicySchema = /* @__PURE__ */ (() => strictObject({
  /** Points worth one unit of the currency: 100 means 100 points = $1.00. */
  pointsPerUnit: z._default(positiveDecimalSchema, () => positiveDecimalSchema.parse('100')),
  minPoints: z.optional(wholePointsSchema),
  step: z.optional(wholePointsSchema),
  maxPoints: z.optional(wholePointsSchema),
  /** Largest share of the order's eligible amount points may pay, e.g. "0.5". */
  maxShare: z.optional(decimalSchema.check(z.refine((d) => d.gt(0) && d.lte(1), { message: 'must be in (0, 1]' }))),
  exclude: z._default(exclusionSchema, { skus: [], categories: [], tags: [] }),
  /** Minutes an uncaptured hold reserves points before it lapses. */
  holdMinutes: z._default(z.number().check(int(), z.positive(), z.lte(60 * 24 * 30)), 15),
}))();

/**
 * A reward in the catalog: what it costs, what it gives, how many there are, when it is valid.
 * Each kind needs its own field: `value` (discount_fixed, gift_card), `percent`
 * (discount_percent), `sku` (free_product) or `event` (event_access).
 *
 * @example
 * ```ts
 * rewardSchema.parse({ id: 'five-off', name: '$5 off', cost: 500, kind: 'discount_fixed', value: '5.00' });
 * rewardSchema.safeParse({ id: 'pct', name: '15% off', cost: 800, kind: 'discount_percent' }).success; // false (reward_shape)
 * ```
 */
export const rewardSchema = /* @__PURE__ */ (() => strictObject({
    id: slugSchema,
    name: z.string().check(z.minLength(1), z.maxLength(200)),
    cost: wholePointsSchema.check(z.refine((d) => d.gt(0), { message: 'a reward costs at least 1 point' })),
    kind: z.enum(['discount_fixed', 'discount_percent', 'free_product', 'free_shipping', 'gift_card', 'voucher', 'event_access']),
    /** Money value (discount_fixed, gift_card, voucher) in the program's currency. */
    value: z.optional(positiveDecimalSchema),
    /** discount_percent: e.g. "15" for 15 %. */
    percent: z.optional(decimalSchema.check(z.refine((d) => d.gt(0) && d.lte(100), { message: 'must be in (0, 100]' }))),
    /** free_product: the SKU to ship. */
    sku: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
    /** event_access: the event's name. */
    event: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
    /** How many can ever be issued. */
    stock: z.optional(z.number().check(int(), z.gte(0))),
    validFrom: z.optional(instantSchema),
    validUntil: z.optional(instantSchema),
    /** Days an issued code stays valid. */
    codeValidDays: z.optional(z.number().check(int(), z.positive(), z.lte(3650))),
    codePrefix: z.optional(z.string().check(z.regex(/^[A-Z0-9]{1,12}$/, 'upper-case letters and digits, at most 12'))),
  }).check(z.superRefine((r, ctx) => {
    const need: Partial<Record<typeof r.kind, 'value' | 'percent' | 'sku' | 'event'>> = {
      discount_fixed: 'value',
      gift_card: 'value',
      discount_percent: 'percent',
      free_product: 'sku',
      event_access: 'event',
    };
    const field = need[r.kind];
    if (field !== undefined && r[field] === undefined) {
      ctx.addIssue({ code: 'custom', path: [field], message: `a ${r.kind} reward needs \`${field}\``, params: { code: 'reward_shape' } });
    }
  })))();
/** A parsed catalog reward. */
export type Reward = z.output<typeof rewardSchema>;

/**
 * What a refund does when the points it claws back were already spent.
 *
 * @example
 * ```ts
 * returnPolicySchema.parse({}).whenSpent; // 'allow_negative'
 * returnPolicySchema.parse({ whenSpent: 'allow_negative', negativeLimit: 1000 });
 * ```
 */
export const returnPolicySchema = /* @__PURE__ */ (() => strictObject({
  whenSpent: z._default(z.enum(['allow_negative', 'available_only', 'pending_first']), 'allow_negative'),
  /** With `allow_negative`: the most negative the balance may go (a debt lot). */
  negativeLimit: z.optional(wholePointsSchema),
}))();

/**
 * A record keyed by slugs. zod silently drops an own `__proto__` key (as `JSON.parse` makes it)
 * before checking it against the key schema, so it is refused here, on the input, instead.
 */
function slugRecord<V extends z.ZodMiniType>(value: V): z.ZodMiniType<Record<string, z.output<V>>, Record<string, z.input<V>>> {
  return preprocess((input, ctx) => {
    if (typeof input === 'object' && input !== null && Object.prototype.hasOwnProperty.call(input, '__proto__')) {
      ctx.addIssue({ code: 'custom', path: ['__proto__'], message: 'names may not be __proto__', params: { code: 'forbidden_key' } });
    }
    return input;
  }, z.record(slugSchema, value)) as unknown as z.ZodMiniType<Record<string, z.output<V>>, Record<string, z.input<V>>>;
}

/**
 * Everything every program kind shares: identity, currency, zone, rules and policies. A zod
 * object shape (not a schema): each kind's schema spreads it next to its `kind` literal.
 *
 * @example
 * ```ts
 * import * as z from 'zod/mini';
 * const schema = z.object({ kind: z.literal('points'), ...programBaseShape });
 * schema.parse({ kind: 'points', id: 'p', version: 1, currency: 'USD', timeZone: 'UTC' }).rounding; // 'floor'
 * ```
 */
export const programBaseShape = /* @__PURE__ */ (() => ({
  id: slugSchema,
  /** Recorded on every entry; bump it when you edit the program. */
  version: z.number().check(int(), z.positive()),
  name: z.optional(z.string().check(z.maxLength(200))),
  currency: currencySchema,
  timeZone: timeZoneSchema,
  /** How per-amount awards round (default floor, once per order and rule). */
  rounding: z._default(roundingModeSchema, 'floor'),
  stacking: z._default(z.enum(['highest', 'additive', 'multiplicative']), 'highest'),
  /** Shared conditions that rules reference with `{ condition: name }`. */
  conditions: z._default(slugRecord(topLevelConditionSchema), {}),
  /** Named customer segments: conditions over customer facts. */
  segments: z._default(slugRecord(topLevelConditionSchema), {}),
  campaigns: z._default(slugRecord(campaignSchema), {}),
  eligibility: z._default(eligibilitySchema, { exclude: { skus: [], categories: [], tags: [] }, netOfRedeemedPoints: true }),
  rules: z._default(z.array(earningRuleSchema).check(z.maxLength(500)), []),
  expiry: z._default(expiryPolicySchema, { kind: 'never' }),
  /** Days purchase points stay pending before they can be spent (0 = at once). */
  pending: z._default(strictObject({ purchaseDays: z._default(z.number().check(int(), z.gte(0), z.lte(3650)), 0) }), { purchaseDays: 0 }),
  redemption: z._default(redemptionPolicySchema, () => redemptionPolicySchema.parse({})),
  returns: z._default(returnPolicySchema, { whenSpent: 'allow_negative' }),
  /** How late an event may arrive (offline POS) and still be judged at its own time. */
  latenessDays: z._default(z.number().check(int(), z.gte(0), z.lte(3650)), 30),
  /** How far ahead of the service's clock an event may be dated (clock skew) before it is refused. */
  clockSkewMinutes: z._default(z.number().check(int(), z.gte(0), z.lte(10_080)), 5),
  /** Days without a purchase after which a customer is lapsed (60 × 24 h by default). */
  lapseDays: z._default(z.number().check(int(), z.positive(), z.lte(3650)), 60),
  /** `points.expiring` is emitted this many days before a lot expires. */
  expiringNoticeDays: z._default(z.number().check(int(), z.gte(0), z.lte(3650)), 30),
  /** The birthday bonus `tick` awards once a year, in the customer's zone. */
  birthday: z.optional(strictObject({
      points: wholePointsSchema,
      /** On the birthday itself, or on the first day of its month. */
      on: z._default(z.enum(['day', 'month']), 'day'),
      expiry: z.optional(expiryPolicySchema),
    })),
  rewards: z._default(z.array(rewardSchema).check(z.maxLength(1000)), []),
}))();

export { idSchema };
