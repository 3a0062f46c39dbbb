import * as z from 'zod';
import { paidProgramSchema } from './paid';
import { pointsProgramSchema } from './points';
import { punchProgramSchema } from './punch';
import { spendProgramSchema } from './spend';
import { tieredProgramSchema } from './tiered';

/**
 * Every program kind, one discriminated union tagged by `kind`: `points`, `spend`, `tiered`,
 * `paid` and `punch`, each over the same shared shape (rules, policies, catalog).
 *
 * @example
 * ```ts
 * programConfigSchema.parse({ kind: 'points', id: 'p', version: 1, currency: 'USD', timeZone: 'UTC' });
 * ```
 */
export const programConfigSchema = z.discriminatedUnion('kind', [pointsProgramSchema, spendProgramSchema, tieredProgramSchema, paidProgramSchema, punchProgramSchema]);
/** A parsed program config. */
export type ProgramConfig = z.output<typeof programConfigSchema>;
/** A program config as the host writes it. */
export type ProgramConfigInput = z.input<typeof programConfigSchema>;
/** The program kinds. */
export type ProgramKind = ProgramConfig['kind'];

export * from './shared';
export * from './points';
export * from './spend';
export * from './tiered';
export * from './paid';
export * from './punch';
