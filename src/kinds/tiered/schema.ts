import * as z from 'zod/mini';
import { int } from '../../schema/internal/mini';
import { strictObject } from '../../schema/issues';
import { decimalSchema, positiveDecimalSchema, slugSchema, wholePointsSchema } from '../../schema/primitives';
import { programBaseShape } from '../../schema/program/shared';

/**
 * A status level: its threshold on the qualification basis, its earn multiplier and benefits.
 *
 * @example
 * ```ts
 * tierSchema.parse({ id: 'vib', threshold: 350, multiplier: '1.5', benefits: { freeShipping: true, birthdayGift: 250 } });
 * ```
 */
export const tierSchema = /* @__PURE__ */ (() => strictObject({
  id: slugSchema,
  name: z.optional(z.string().check(z.maxLength(200))),
  /** Qualifying amount needed (spend in the currency, points, or orders); the first tier's is 0. */
  threshold: decimalSchema.check(z.refine((d) => !d.isNegative(), { message: 'must be zero or more' })),
  /** Earn multiplier on per-amount and per-item awards, stacked with rule multipliers by the program's `stacking`. */
  multiplier: z._default(positiveDecimalSchema, () => positiveDecimalSchema.parse('1')),
  benefits: z._default(strictObject({
      freeShipping: z._default(z.boolean(), false),
      /** Points given once a year on the customer's birthday (in the customer's zone) to holders of this tier. */
      birthdayGift: z.optional(wholePointsSchema),
      earlyAccess: z._default(z.boolean(), false),
      /** Ids of catalog rewards only this tier (and higher) may redeem. */
      rewards: z._default(z.readonly(z.array(slugSchema)), []),
    }), { freeShipping: false, earlyAccess: false, rewards: [] }),
}))();
/**
 * A parsed tier: amounts are Decimals, benefits filled with their defaults.
 *
 * @example
 * ```ts
 * const vib: Tier = tierSchema.parse({ id: 'vib', threshold: 350, multiplier: '1.5' });
 * vib.benefits.freeShipping; // false
 * ```
 */
export type Tier = z.output<typeof tierSchema>;

/**
 * The `tiered` program: points plus status levels that raise earn rates and unlock benefits.
 * Tiers are listed from the lowest (threshold 0) up, thresholds strictly increasing, ids unique;
 * with the `orders` or `points` basis thresholds are whole numbers; a tier's `benefits.rewards`
 * must name rewards of the catalog. `tiers` may be a readonly array (`as const`).
 *
 * @example
 * ```ts
 * tieredProgramSchema.parse({
 *   kind: 'tiered', id: 'beauty', version: 1, currency: 'USD', timeZone: 'America/New_York',
 *   tiers: [{ id: 'insider', threshold: 0 }, { id: 'vib', threshold: 350, multiplier: '1.5' }, { id: 'rouge', threshold: 1000, multiplier: 2 }],
 *   qualification: { basis: 'spend', window: 'calendar_year' },
 * });
 * ```
 */
export const tieredProgramSchema = /* @__PURE__ */ (() => strictObject({
    kind: z.literal('tiered'),
    ...programBaseShape,
    tiers: z.readonly(z.array(tierSchema).check(z.minLength(1), z.maxLength(20))),
    qualification: strictObject({
      /** What counts: the order's net subtotal, points earned by events, or the number of purchases. */
      basis: z.enum(['spend', 'points', 'orders']),
      /**
       * `calendar_year`: years in the program's zone, evaluated each 1 January. `rolling_12_months`:
       * the current calendar month and the 11 before it, evaluated on the anniversaries of reaching
       * the tier. `lifetime`: all time, never downgraded.
       */
      window: z.enum(['calendar_year', 'rolling_12_months', 'lifetime']),
    }),
    retention: z._default(strictObject({
        /** A tier earned (or re-earned) during a period is kept at that period's end whatever its final amount, so it holds through the next one. */
        holdThroughNextPeriod: z._default(z.boolean(), true),
        /** At a period end: drop one step at most, or straight to the tier qualified for. */
        downgrade: z._default(z.enum(['one_step', 'to_qualified']), 'to_qualified'),
        /** Calendar days (program zone) after the period end before a downgrade applies. */
        graceDays: z._default(z.number().check(int(), z.gte(0), z.lte(365)), 0),
      }), { holdThroughNextPeriod: true, downgrade: 'to_qualified', graceDays: 0 }),
  }).check(z.superRefine((config, ctx) => {
    const seen = new Map<string, number>();
    config.tiers.forEach((tier, i) => {
      const first = seen.get(tier.id);
      if (first !== undefined) ctx.addIssue({ code: 'custom', path: ['tiers', i, 'id'], message: `tier id "${tier.id}" is already used by tiers[${first}]`, params: { code: 'duplicate_tier_id' } });
      else seen.set(tier.id, i);
      const before = config.tiers[i - 1];
      if (i === 0 && !tier.threshold.isZero()) {
        ctx.addIssue({ code: 'custom', path: ['tiers', 0, 'threshold'], message: 'the first tier is where every customer starts: its threshold must be 0', params: { code: 'first_tier_threshold' } });
      }
      if (before && !tier.threshold.gt(before.threshold)) {
        ctx.addIssue({ code: 'custom', path: ['tiers', i, 'threshold'], message: `thresholds must increase: ${tier.threshold.toString()} is not above tiers[${i - 1}]'s ${before.threshold.toString()}`, params: { code: 'tier_order' } });
      }
      if (config.qualification.basis !== 'spend' && !tier.threshold.isInteger()) {
        ctx.addIssue({ code: 'custom', path: ['tiers', i, 'threshold'], message: `with the ${config.qualification.basis} basis a threshold is a whole number`, params: { code: 'invalid_threshold' } });
      }
      tier.benefits.rewards.forEach((rewardId, j) => {
        if (!config.rewards.some((r) => r.id === rewardId)) {
          ctx.addIssue({ code: 'custom', path: ['tiers', i, 'benefits', 'rewards', j], message: `no reward "${rewardId}" in the catalog`, params: { code: 'unknown_reward' } });
        }
      });
    });
  })))();
/**
 * A parsed tiered program config.
 *
 * @example
 * ```ts
 * const config: TieredProgramConfig = defineProgram({ kind: 'tiered', ... }).config;
 * config.retention.downgrade; // 'to_qualified' unless set
 * ```
 */
export type TieredProgramConfig = z.output<typeof tieredProgramSchema>;
