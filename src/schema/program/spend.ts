import { z } from 'zod';
import { decimalSchema, positiveDecimalSchema, roundingModeSchema, slugSchema } from '../primitives';
import { expiryPolicySchema, programBaseShape } from './shared';

const percentSchema = decimalSchema.refine((d) => !d.isNegative() && d.lte(100), { message: 'a percent from 0 to 100', params: { code: 'invalid_percent' } });

/**
 * The `spend` program: cash-back or store credit kept in money (one unit per currency), and/or
 * Kohl's-style progress that converts into a fixed-value credit at each threshold.
 *
 * @example
 * ```ts
 * spendProgramSchema.parse({
 *   kind: 'spend', id: 'cash-back', version: 1, currency: 'USD', timeZone: 'America/New_York',
 *   credit: { percent: 5 },
 * });
 * ```
 */
export const spendProgramSchema = z
  .object({
    kind: z.literal('spend'),
    ...programBaseShape,
    /** Cash-back: a percent of eligible spend, per-category percents overriding it. */
    credit: z
      .object({
        percent: percentSchema,
        categoryPercents: z.record(z.string().min(1), percentSchema).default({}),
        /** How credit rounds to the currency's minor unit (default half-up). */
        rounding: roundingModeSchema.default('half-up'),
        /** Days the credit stays pending (return window). */
        pendingDays: z.number().int().min(0).max(3650).default(0),
        expiry: expiryPolicySchema.default({ kind: 'never' }),
      })
      .optional(),
    /** Kohl's-style: `per` progress per currency unit of eligible spend; every `threshold` converts into `reward` of credit. */
    progress: z
      .object({
        per: positiveDecimalSchema.default(() => positiveDecimalSchema.parse('1')),
        threshold: positiveDecimalSchema,
        reward: positiveDecimalSchema,
        rewardId: slugSchema.optional(),
        expiry: expiryPolicySchema.default({ kind: 'never' }),
      })
      .optional(),
  })
  .refine((c) => c.credit !== undefined || c.progress !== undefined, {
    message: 'a spend program gives `credit`, `progress`, or both',
    path: ['credit'],
    params: { code: 'spend_shape' },
  });
/** A parsed spend program config. */
export type SpendProgramConfig = z.output<typeof spendProgramSchema>;
