import { z } from 'zod';
import { slugSchema } from '../primitives';
import { programBaseShape } from './shared';

/** A stamp card: how many punches, which lines qualify, what completion gives. */
export const cardSchema = z.object({
  id: slugSchema,
  name: z.string().max(200).optional(),
  required: z.number().int().min(1).max(1000),
  qualifying: z.object({ skus: z.array(z.string()).default([]), categories: z.array(z.string()).default([]) }),
  /** One punch per qualifying unit, or one per order with a qualifying line. */
  countBy: z.enum(['quantity', 'order']).default('quantity'),
  reward: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('free_item'), sku: z.string().min(1) }),
    /** A credit worth the average, minimum or maximum price of the punched items (rounded half-up). */
    z.object({ kind: z.literal('value'), of: z.enum(['average', 'min', 'max']) }),
  ]),
  limits: z.object({ perOrder: z.number().int().positive().optional(), perDay: z.number().int().positive().optional() }).default({}),
  /** A card expires this many days after its first punch (its punches are lost). */
  expiryDays: z.number().int().positive().max(3650).optional(),
});

/**
 * The `punch` program: stamp cards — N qualifying purchases earn a free item or a value.
 *
 * @example
 * ```ts
 * punchProgramSchema.parse({
 *   kind: 'punch', id: 'nights', version: 1, currency: 'USD', timeZone: 'UTC',
 *   cards: [{ id: 'night', required: 10, qualifying: { categories: ['night'] }, reward: { kind: 'value', of: 'average' } }],
 * });
 * ```
 */
export const punchProgramSchema = z.object({
  kind: z.literal('punch'),
  ...programBaseShape,
  cards: z.array(cardSchema).min(1).max(50),
});
/** A parsed punch program config. */
export type PunchProgramConfig = z.output<typeof punchProgramSchema>;
