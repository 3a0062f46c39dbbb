// The registry side of the program config union (src/schema/program/index.ts): each kind's config
// schema, in the union's order, and each kind's own checks of a parsed config. One entry per kind.
// Imports only the kinds' schema files, so the schema layer can import it without a cycle.
import type * as z from 'zod/mini';
import type { RefinementCtx } from '../schema/internal/mini';
import { checkPaidConfig, paidProgramSchema } from './paid/schema';
import { pointsProgramSchema } from './points/schema';
import { punchProgramSchema } from './punch/schema';
import { spendProgramSchema } from './spend/schema';
import { tieredProgramSchema } from './tiered/schema';

/** The members of the config union, tagged by `kind`. */
export const KIND_CONFIG_SCHEMAS = [pointsProgramSchema, spendProgramSchema, tieredProgramSchema, paidProgramSchema, punchProgramSchema] as const;

type KindConfig = z.output<(typeof KIND_CONFIG_SCHEMAS)[number]>;

/** Runs the kind's own checks of a config that parsed (after the checks every kind shares). */
export function checkKindConfig(config: KindConfig, ctx: RefinementCtx): void {
  if (config.kind === 'paid') checkPaidConfig(config, ctx);
}
