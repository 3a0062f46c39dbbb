import * as z from 'zod';
import { strictObject } from '../../schema/issues';
import { slugSchema } from '../../schema/primitives';
import { programBaseShape } from '../../schema/program/shared';

/**
 * A stamp card: how many punches it holds, which purchase lines punch it, how they count, what
 * completing it gives, its anti-fraud limits and when an unfinished card expires.
 *
 * - `qualifying`: a line punches the card when its SKU is listed or one of its categories is
 *   (lines the program excludes from earning, and free lines, never punch). At least one SKU or
 *   category is required.
 * - `countBy`: `quantity` gives one punch per qualifying unit; `order` one per order with a
 *   qualifying line (the punch belongs to the order's first qualifying line).
 * - `reward`: a free item (`sku`), or a credit in the program's currency worth the `average`,
 *   `min` or `max` net unit price of the card's punches, rounded half-up to the minor unit.
 * - `limits`: at most `perOrder` punches from one order and `perDay` per calendar day in the
 *   program's zone; punches over a limit are refused with their reason, the rest are awarded.
 * - `expiryDays`: the card's punches are lost this many calendar days after its first punch.
 *
 * @example
 * ```ts
 * cardSchema.parse({ id: 'night', required: 10, qualifying: { categories: ['night'] }, reward: { kind: 'value', of: 'average' }, limits: { perDay: 2 } });
 * ```
 */
export const cardSchema = strictObject({
    id: slugSchema,
    name: z.string().max(200).optional(),
    required: z.number().int().min(1).max(1000),
    qualifying: strictObject({ skus: z.array(z.string().min(1).max(200)).max(1000).default([]), categories: z.array(z.string().min(1).max(100)).max(1000).default([]) }),
    /** One punch per qualifying unit, or one per order with a qualifying line. */
    countBy: z.enum(['quantity', 'order']).default('quantity'),
    reward: z.discriminatedUnion('kind', [
      strictObject({ kind: z.literal('free_item'), sku: z.string().min(1).max(200) }),
      /** A credit worth the average, minimum or maximum price of the punched items (rounded half-up). */
      strictObject({ kind: z.literal('value'), of: z.enum(['average', 'min', 'max']) }),
    ]),
    limits: strictObject({ perOrder: z.number().int().positive().optional(), perDay: z.number().int().positive().optional() }).default({}),
    /** A card expires this many days after its first punch (its punches are lost). */
    expiryDays: z.number().int().positive().max(3650).optional(),
  })
  .superRefine((card, ctx) => {
    if (card.qualifying.skus.length === 0 && card.qualifying.categories.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['qualifying'], message: 'a card names at least one qualifying SKU or category', params: { code: 'card_qualifying' } });
    }
  });
/**
 * A parsed punch card.
 *
 * @example
 * ```ts
 * const card: PunchCard = cardSchema.parse({ id: 'coffee', required: 9, qualifying: { skus: ['latte'] }, reward: { kind: 'free_item', sku: 'latte' } });
 * card.countBy; // 'quantity'
 * ```
 */
export type PunchCard = z.output<typeof cardSchema>;

/**
 * The `punch` program: stamp cards — N qualifying purchases earn a free item or a value. Card ids
 * are unique within the program. It may also have earning rules like any program.
 *
 * @example
 * ```ts
 * punchProgramSchema.parse({
 *   kind: 'punch', id: 'nights', version: 1, currency: 'USD', timeZone: 'UTC',
 *   cards: [{ id: 'night', required: 10, qualifying: { categories: ['night'] }, reward: { kind: 'value', of: 'average' } }],
 * });
 * ```
 */
export const punchProgramSchema = strictObject({
    kind: z.literal('punch'),
    ...programBaseShape,
    cards: z.array(cardSchema).min(1).max(50),
  })
  .superRefine((program, ctx) => {
    const seen = new Set<string>();
    program.cards.forEach((card, i) => {
      if (seen.has(card.id)) ctx.addIssue({ code: 'custom', path: ['cards', i, 'id'], message: `card id "${card.id}" is used twice`, params: { code: 'duplicate_card' } });
      seen.add(card.id);
    });
  });
/**
 * A parsed punch program config.
 *
 * @example
 * ```ts
 * const config: PunchProgramConfig = punchProgramSchema.parse({ kind: 'punch', id: 'cafe', version: 1, currency: 'USD', timeZone: 'UTC',
 *   cards: [{ id: 'coffee', required: 9, qualifying: { categories: ['coffee'] }, reward: { kind: 'free_item', sku: 'latte' } }] });
 * config.cards[0]?.required; // 9
 * ```
 */
export type PunchProgramConfig = z.output<typeof punchProgramSchema>;
