import { z } from 'zod';
import { decimalSchema, nonNegativeDecimalSchema } from '../primitives';
import { programBaseShape } from './shared';

/**
 * The `paid` program: a fee-based membership with a free trial and member-only benefits (it may
 * also earn and burn points through its rules).
 *
 * @example
 * ```ts
 * paidProgramSchema.parse({
 *   kind: 'paid', id: 'plus', version: 1, currency: 'USD', timeZone: 'America/New_York',
 *   membership: { fee: '12.99', period: 'month', trialDays: 30, benefits: { discountPercent: 10, freeShipping: true } },
 * });
 * ```
 */
export const paidProgramSchema = z.object({
  kind: z.literal('paid'),
  ...programBaseShape,
  membership: z.object({
    fee: nonNegativeDecimalSchema,
    period: z.enum(['month', 'year']),
    /** Free trial in calendar days of the program's zone (0 = none). */
    trialDays: z.number().int().min(0).max(365).default(0),
    /** Days after a renewal due date that a failed payment may still be fixed. */
    graceDays: z.number().int().min(0).max(90).default(7),
    /** `membership.trial_ending` is emitted this many days before the trial ends. */
    trialNoticeDays: z.number().int().min(0).max(90).default(3),
    benefits: z
      .object({
        discountPercent: decimalSchema.refine((d) => !d.isNegative() && d.lte(100), { message: 'a percent from 0 to 100' }).default(() => decimalSchema.parse('0')),
        freeShipping: z.boolean().default(false),
        pointsMultiplier: decimalSchema.refine((d) => d.gt(0), { message: 'must be more than zero' }).default(() => decimalSchema.parse('1')),
      })
      .default(() => ({ discountPercent: decimalSchema.parse('0'), freeShipping: false, pointsMultiplier: decimalSchema.parse('1') })),
  }),
});
/** A parsed paid program config. */
export type PaidProgramConfig = z.output<typeof paidProgramSchema>;
