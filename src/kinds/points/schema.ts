import * as z from 'zod/mini';
import { strictObject } from '../../schema/issues';
import { programBaseShape } from '../../schema/program/shared';

/**
 * The `points` program: earn points for purchases and actions, burn them for rewards or at checkout.
 *
 * @example
 * ```ts
 * pointsProgramSchema.parse({
 *   kind: 'points', id: 'rewards', version: 1, currency: 'USD', timeZone: 'America/New_York',
 *   rules: [{ id: 'base', on: 'purchase', award: { kind: 'per_amount', points: 1, per: 1 } }],
 * });
 * ```
 */
export const pointsProgramSchema = /* @__PURE__ */ (() => strictObject({
  kind: z.literal('points'),
  ...programBaseShape,
}))();
/** A parsed points program config. */
export type PointsProgramConfig = z.output<typeof pointsProgramSchema>;
