import * as z from 'zod/mini';
import { int } from '../../schema/internal/mini';
import { strictObject } from '../../schema/issues';
import { decimalSchema, positiveDecimalSchema } from '../../schema/primitives';
import { programBaseShape } from '../../schema/program/shared';
import { checkMinorUnits } from '../../schema/internal/minor-units';
import type { RefinementCtx } from '../../schema/internal/mini';

/**
 * The `paid` program: a fee-based membership with a free trial and member-only benefits (it may
 * also earn and burn points through its rules, like a points program).
 *
 * - `fee` per `period` (`month` or `year`), in the program's currency. Renewals keep the anchor
 *   day: a 31 January anchor renews on 28 February, 31 March, 30 April (each due date is counted
 *   from the anchor, never from the previous due date); yearly renewals of 29 February fall on
 *   28 February.
 * - `trialDays`: a free trial of that many calendar days in the program's zone, the start day
 *   counting as day 1, so a 30-day trial started any time on 31 January 2027 ends at 00:00 on
 *   2 March 2027. A trial is given once per customer.
 * - `graceDays`: calendar days after an unpaid (or failed) due date during which benefits still
 *   hold; grace counts from the due date, whenever the failure is reported.
 * - `trialNoticeDays`: `membership.trial_ending` goes out this many calendar days before the
 *   trial ends (0: no notice).
 * - `benefits`: a percent discount shown by quotes (`memberDiscount`), free shipping (for hosts,
 *   through `benefitsHold`), and an earn multiplier on every line, stacked with rule multipliers.
 *
 * @example
 * ```ts
 * paidProgramSchema.parse({
 *   kind: 'paid', id: 'plus', version: 1, currency: 'USD', timeZone: 'America/New_York',
 *   membership: { fee: '12.99', period: 'month', trialDays: 30, benefits: { discountPercent: 10, freeShipping: true } },
 * });
 * ```
 */
export const paidProgramSchema = /* @__PURE__ */ (() => strictObject({
  kind: z.literal('paid'),
  ...programBaseShape,
  membership: strictObject({
    /**
     * The fee of one period, in the program's currency, more than zero (informational: payments
     * carry their own amount). There is no free plan: a succeeded payment is more than zero too.
     */
    fee: positiveDecimalSchema,
    period: z.enum(['month', 'year']),
    /** Free trial in calendar days of the program's zone, the start day counting as day 1 (0 = none). */
    trialDays: z._default(z.number().check(int(), z.gte(0), z.lte(365)), 0),
    /** Calendar days after an unpaid renewal due date during which benefits still hold. */
    graceDays: z._default(z.number().check(int(), z.gte(0), z.lte(90)), 7),
    /** `membership.trial_ending` is emitted this many calendar days before the trial ends (0 = never). */
    trialNoticeDays: z._default(z.number().check(int(), z.gte(0), z.lte(90)), 3),
    benefits: z._default(strictObject({
        /** Percent off the order's redeemable amount, shown by quotes while benefits hold. */
        discountPercent: z._default(decimalSchema.check(z.refine((d) => !d.isNegative() && d.lte(100), { message: 'a percent from 0 to 100' })), () => decimalSchema.parse('0')),
        /** Free shipping while benefits hold (the host applies it; see `benefitsHold`). */
        freeShipping: z._default(z.boolean(), false),
        /** Earn multiplier on every line while benefits hold, stacked with rule multipliers. */
        pointsMultiplier: z._default(decimalSchema.check(z.refine((d) => d.gt(0), { message: 'must be more than zero' })), () => decimalSchema.parse('1')),
      }), () => ({ discountPercent: decimalSchema.parse('0'), freeShipping: false, pointsMultiplier: decimalSchema.parse('1') })),
  }),
}))();
/**
 * A parsed paid program config.
 *
 * @example
 * ```ts
 * const config: PaidProgramConfig = paidProgramSchema.parse({ kind: 'paid', id: 'plus', version: 1, currency: 'USD', timeZone: 'UTC', membership: { fee: '99', period: 'year' } });
 * config.membership.graceDays; // 7
 * ```
 */
export type PaidProgramConfig = z.output<typeof paidProgramSchema>;

/**
 * The paid kind's own checks of a parsed config, run by the config union after the shared ones
 * (src/kinds/configs.ts): the fee is money in the program's currency, so a 12.999 USD fee is
 * `too_many_decimals`, not rounded.
 *
 * @example
 * ```ts
 * checkPaidConfig(config, ctx); // adds too_many_decimals at ['membership', 'fee'] for 12.999 USD
 * ```
 */
export function checkPaidConfig(config: PaidProgramConfig, ctx: RefinementCtx): void {
  checkMinorUnits(ctx, config.currency, config.membership.fee, ['membership', 'fee']);
}
