import { z } from 'zod';
import { decimalSchema, positiveDecimalSchema, slugSchema, wholePointsSchema } from '../primitives';
import { programBaseShape } from './shared';

/** A status level: its threshold on the qualification basis, its earn multiplier and benefits. */
export const tierSchema = z.object({
  id: slugSchema,
  name: z.string().max(200).optional(),
  /** Qualifying amount needed (spend in the currency, points, or orders); the first tier's is 0. */
  threshold: decimalSchema.refine((d) => !d.isNegative(), { message: 'must be zero or more' }),
  multiplier: positiveDecimalSchema.default(() => positiveDecimalSchema.parse('1')),
  benefits: z
    .object({
      freeShipping: z.boolean().default(false),
      birthdayGift: wholePointsSchema.optional(),
      earlyAccess: z.boolean().default(false),
      /** Ids of catalog rewards only this tier (and higher) may redeem. */
      rewards: z.array(slugSchema).default([]),
    })
    .default({ freeShipping: false, earlyAccess: false, rewards: [] }),
});

/**
 * The `tiered` program: points plus status levels that raise earn rates and unlock benefits.
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
export const tieredProgramSchema = z.object({
  kind: z.literal('tiered'),
  ...programBaseShape,
  tiers: z.array(tierSchema).min(1).max(20),
  qualification: z.object({
    basis: z.enum(['spend', 'points', 'orders']),
    window: z.enum(['calendar_year', 'rolling_12_months', 'lifetime']),
  }),
  retention: z
    .object({
      /** Status earned in a period holds through the next one. */
      holdThroughNextPeriod: z.boolean().default(true),
      /** At a period end: drop one step at most, or straight to the tier qualified for. */
      downgrade: z.enum(['one_step', 'to_qualified']).default('to_qualified'),
      /** Days after the period end before a downgrade applies. */
      graceDays: z.number().int().min(0).max(365).default(0),
    })
    .default({ holdThroughNextPeriod: true, downgrade: 'to_qualified', graceDays: 0 }),
});
/** A parsed tiered program config. */
export type TieredProgramConfig = z.output<typeof tieredProgramSchema>;
