import * as z from 'zod/mini';
import { checkMinorUnits } from '../internal/minor-units';
import { withLibraryIssues } from '../issues';
import { checkKindConfig, KIND_CONFIG_SCHEMAS } from '../../kinds/configs';

/**
 * Every program kind, one discriminated union tagged by `kind` (the kinds' schemas are in their
 * folders, listed by src/kinds/configs.ts), each over the same shared shape (rules, policies,
 * catalog). Money values (reward values, and any a kind's config holds) have at most the
 * currency's decimals (`too_many_decimals`).
 *
 * @example
 * ```ts
 * programConfigSchema.parse({ kind: 'points', id: 'p', version: 1, currency: 'USD', timeZone: 'UTC' });
 * ```
 */
// withLibraryIssues: a misspelt `kind` is named with the allowed kinds and the closest one.
export const programConfigSchema = /* @__PURE__ */ (() => withLibraryIssues(z
  .discriminatedUnion('kind', KIND_CONFIG_SCHEMAS)
  .check(z.superRefine((config, ctx) => {
    // Money in a config is in the program's currency: a $5.005 reward or a 12.999 fee is refused, not rounded.
    config.rewards.forEach((reward, i) => checkMinorUnits(ctx, config.currency, reward.value, ['rewards', i, 'value']));
    checkKindConfig(config, ctx);
  }))))();
/** A parsed program config. */
export type ProgramConfig = z.output<typeof programConfigSchema>;
/** A program config as the host writes it. */
export type ProgramConfigInput = z.input<typeof programConfigSchema>;
/** The program kinds. */
export type ProgramKind = ProgramConfig['kind'];

export * from './shared';
export * from '../../kinds/schemas';
