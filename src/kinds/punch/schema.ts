import * as z from 'zod/mini';
import { int } from '../../schema/internal/mini';
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
export const cardSchema = /* @__PURE__ */ (() => strictObject({
    id: slugSchema,
    name: z.optional(z.string().check(z.maxLength(200))),
    required: z.number().check(int(), z.gte(1), z.lte(1000)),
    qualifying: strictObject({ skus: z._default(z.array(z.string().check(z.minLength(1), z.maxLength(200))).check(z.maxLength(1000)), []), categories: z._default(z.array(z.string().check(z.minLength(1), z.maxLength(100))).check(z.maxLength(1000)), []) }),
    /** One punch per qualifying unit, or one per order with a qualifying line. */
    countBy: z._default(z.enum(['quantity', 'order']), 'quantity'),
    reward: z.discriminatedUnion('kind', [
      strictObject({ kind: z.literal('free_item'), sku: z.string().check(z.minLength(1), z.maxLength(200)) }),
      /** A credit worth the average, minimum or maximum price of the punched items (rounded half-up). */
      strictObject({ kind: z.literal('value'), of: z.enum(['average', 'min', 'max']) }),
    ]),
    limits: z._default(strictObject({ perOrder: z.optional(z.number().check(int(), z.positive())), perDay: z.optional(z.number().check(int(), z.positive())) }), {}),
    /** A card expires this many days after its first punch (its punches are lost). */
    expiryDays: z.optional(z.number().check(int(), z.positive(), z.lte(3650))),
  }).check(z.superRefine((card, ctx) => {
    if (card.qualifying.skus.length === 0 && card.qualifying.categories.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['qualifying'], message: 'a card names at least one qualifying SKU or category', params: { code: 'card_qualifying' } });
    }
  })))();
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
export const punchProgramSchema = /* @__PURE__ */ (() => strictObject({
    kind: z.literal('punch'),
    ...programBaseShape,
    cards: z.array(cardSchema).check(z.minLength(1), z.maxLength(50)),
  }).check(z.superRefine((program, ctx) => {
    const seen = new Set<string>();
    program.cards.forEach((card, i) => {
      if (seen.has(card.id)) ctx.addIssue({ code: 'custom', path: ['cards', i, 'id'], message: `card id "${card.id}" is used twice`, params: { code: 'duplicate_card' } });
      seen.add(card.id);
    });
  })))();
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
