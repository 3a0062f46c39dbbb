import * as z from 'zod/mini';
import { int } from '../../schema/internal/mini';
import { strictObject } from '../../schema/issues';
import { minorUnits } from '../../money';
import { decimalSchema, positiveDecimalSchema, roundingModeSchema, slugSchema } from '../../schema/primitives';
import { expiryPolicySchema, programBaseShape, redemptionPolicySchema } from '../../schema/program/shared';

const percentSchema = /* @__PURE__ */ (() => decimalSchema.check(z.refine((d) => !d.isNegative() && d.lte(100), { message: 'a percent from 0 to 100', params: { code: 'invalid_percent' } })))();

/**
 * Redemption in a spend program: store credit is money, so one unit of credit pays one unit of the
 * currency. `pointsPerUnit` is 1 (the default here, and the only value accepted): it is also the
 * rate at which the credit redeemed on an order (`pointsRedeemed`) nets its eligible spend.
 */
const spendRedemptionSchema = /* @__PURE__ */ (() => z.safeExtend(redemptionPolicySchema, {
  pointsPerUnit: z._default(positiveDecimalSchema, () => positiveDecimalSchema.parse('1')).check(z.refine((d) => d.eq(1), { message: 'store credit is money: one unit of credit is one unit of the currency (pointsPerUnit 1)', params: { code: 'spend_rate' } })),
}))();

/** Lot ids the spend kind makes from an event id: `<event>:credit` and `<event>:reward:<n>`. Rules may not make the same ones. */
const RESERVED_RULE_ID = /^(credit|reward)(:|$)/;

/**
 * The `spend` program: cash-back or store credit kept in money (one ledger unit per currency,
 * `credit:<CUR>`), and/or Kohl's-style progress that converts into a fixed-value credit at each
 * threshold.
 *
 * - `credit`: a percent of eligible spend (net line prices after discounts and exclusions, and net
 *   of the credit redeemed on the order), a line earning the highest `categoryPercents` of its
 *   categories, else `percent`; the order's credit is rounded once, with `rounding`, to the
 *   currency's minor unit. It can stay pending for `pendingDays` calendar days (a return window)
 *   and expires under `expiry`.
 * - `progress`: each order adds `per` × its eligible spend (exact, not rounded) to a carried
 *   counter; each full `threshold` converts into a `reward` of credit, the rest is carried.
 *
 * Rule ids `credit`, `reward` and `reward:…` are reserved (they would name the kind's own lots),
 * and `redemption.pointsPerUnit` is 1.
 *
 * @example
 * ```ts
 * spendProgramSchema.parse({
 *   kind: 'spend', id: 'cash-back', version: 1, currency: 'USD', timeZone: 'America/New_York',
 *   credit: { percent: 5, categoryPercents: { grocery: 2 }, pendingDays: 30, expiry: { kind: 'rolling', months: 12 } },
 *   progress: { per: 1, threshold: 100, reward: 5 },
 * });
 * ```
 */
export const spendProgramSchema = /* @__PURE__ */ (() => strictObject({
    kind: z.literal('spend'),
    ...programBaseShape,
    redemption: z._default(spendRedemptionSchema, () => spendRedemptionSchema.parse({})),
    /** Cash-back: a percent of eligible spend, per-category percents overriding it. */
    credit: z.optional(strictObject({
        percent: percentSchema,
        /** A line earns the highest percent of its categories found here (0 excludes it), else `percent`. */
        categoryPercents: z._default(z.record(z.string().check(z.minLength(1)), percentSchema), {}),
        /** How the order's credit rounds to the currency's minor unit (default half-up). */
        rounding: z._default(roundingModeSchema, 'half-up'),
        /** Calendar days (in the program's zone) the credit stays pending: a return window. */
        pendingDays: z._default(z.number().check(int(), z.gte(0), z.lte(3650)), 0),
        expiry: z._default(expiryPolicySchema, { kind: 'never' }),
      })),
    /** Kohl's-style: `per` progress per currency unit of eligible spend; every `threshold` converts into `reward` of credit. */
    progress: z.optional(strictObject({
        per: z._default(positiveDecimalSchema, () => positiveDecimalSchema.parse('1')),
        threshold: positiveDecimalSchema,
        reward: positiveDecimalSchema,
        /** The rule id recorded on reward lots (default `reward`). */
        rewardId: z.optional(slugSchema),
        /** Calendar days (in the program's zone) a converted reward stays pending before it can be spent. */
        pendingDays: z._default(z.number().check(int(), z.gte(0), z.lte(3650)), 0),
        expiry: z._default(expiryPolicySchema, { kind: 'never' }),
      })),
  }).check(z.refine((c) => c.credit !== undefined || c.progress !== undefined, {
    message: 'a spend program gives `credit`, `progress`, or both',
    path: ['credit'],
    params: { code: 'spend_shape' },
  }), z.superRefine((c, ctx) => {
    const places = minorUnits(c.currency);
    if (c.progress && c.progress.reward.decimalPlaces() > places) {
      ctx.addIssue({ code: 'custom', path: ['progress', 'reward'], message: `a reward in ${c.currency} has at most ${places} decimals`, params: { code: 'too_many_decimals' } });
    }
    c.rules.forEach((rule, i) => {
      if (RESERVED_RULE_ID.test(rule.id)) {
        ctx.addIssue({ code: 'custom', path: ['rules', i, 'id'], message: `rule id "${rule.id}" is reserved in a spend program (credit and reward lots use it)`, params: { code: 'reserved_rule_id' } });
      }
    });
  })))();
/**
 * A parsed spend program config (amounts as Decimals, defaults filled in).
 *
 * @example
 * ```ts
 * const config: SpendProgramConfig = spendProgramSchema.parse({ kind: 'spend', id: 'k', version: 1, currency: 'USD', timeZone: 'UTC', progress: { threshold: 100, reward: 5 } });
 * config.progress?.per.toString(); // '1'
 * ```
 */
export type SpendProgramConfig = z.output<typeof spendProgramSchema>;
