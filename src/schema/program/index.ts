import { z } from 'zod';
import { pointsProgramSchema } from './points';

/**
 * Every program kind, one discriminated union tagged by `kind`. The other kinds (spend, tiered,
 * paid, punch) join this union as their own schemas over the same shared shape.
 *
 * @example
 * ```ts
 * programConfigSchema.parse({ kind: 'points', id: 'p', version: 1, currency: 'USD', timeZone: 'UTC' });
 * ```
 */
export const programConfigSchema = z.discriminatedUnion('kind', [pointsProgramSchema]);
/** A parsed program config. */
export type ProgramConfig = z.output<typeof programConfigSchema>;
/** A program config as the host writes it. */
export type ProgramConfigInput = z.input<typeof programConfigSchema>;
/** The program kinds. */
export type ProgramKind = ProgramConfig['kind'];

export * from './shared';
export * from './points';
