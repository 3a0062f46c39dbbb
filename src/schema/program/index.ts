import * as z from 'zod/mini';
import { checkMinorUnits } from '../internal/minor-units';
import { withLibraryIssues } from '../issues';
import { paidProgramSchema } from '../../kinds/paid/schema';
import { pointsProgramSchema } from '../../kinds/points/schema';
import { punchProgramSchema } from '../../kinds/punch/schema';
import { spendProgramSchema } from '../../kinds/spend/schema';
import { tieredProgramSchema } from '../../kinds/tiered/schema';

/**
 * Every program kind, one discriminated union tagged by `kind`: `points`, `spend`, `tiered`,
 * `paid` and `punch`, each over the same shared shape (rules, policies, catalog). Money values
 * (reward values, a membership fee) have at most the currency's decimals (`too_many_decimals`).
 *
 * @example
 * ```ts
 * programConfigSchema.parse({ kind: 'points', id: 'p', version: 1, currency: 'USD', timeZone: 'UTC' });
 * ```
 */
// withLibraryIssues: a misspelt `kind` is named with the allowed kinds and the closest one.
export const programConfigSchema = /* @__PURE__ */ (() => withLibraryIssues(z
  .discriminatedUnion('kind', [pointsProgramSchema, spendProgramSchema, tieredProgramSchema, paidProgramSchema, punchProgramSchema])
  .check(z.superRefine((config, ctx) => {
    // Money in a config is in the program's currency: a $5.005 reward or a 12.999 fee is refused, not rounded.
    config.rewards.forEach((reward, i) => checkMinorUnits(ctx, config.currency, reward.value, ['rewards', i, 'value']));
    if (config.kind === 'paid') checkMinorUnits(ctx, config.currency, config.membership.fee, ['membership', 'fee']);
  }))))();
/** A parsed program config. */
export type ProgramConfig = z.output<typeof programConfigSchema>;
/** A program config as the host writes it. */
export type ProgramConfigInput = z.input<typeof programConfigSchema>;
/** The program kinds. */
export type ProgramKind = ProgramConfig['kind'];

export * from './shared';
export * from '../../kinds/points/schema';
export * from '../../kinds/spend/schema';
export * from '../../kinds/tiered/schema';
export * from '../../kinds/paid/schema';
export * from '../../kinds/punch/schema';
