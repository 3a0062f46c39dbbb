// Helpers every kind uses the same way: its typed config, its typed state in the account.
import type { AccountState } from '../ledger/types';
import type { Program } from '../engine/program-type';
import type { ProgramConfig, ProgramKind } from '../schema/program';
import type { KindState } from './states';

/** The config type of one program kind, e.g. `ConfigOf<'tiered'>` is `TieredProgramConfig`. */
export type ConfigOf<K extends ProgramKind> = Extract<ProgramConfig, { readonly kind: K }>;

/** The state type a kind keeps, by its tag, e.g. `StateOf<'tier'>` is `TierState`. */
export type StateOf<T extends KindState['kind']> = Extract<KindState, { readonly kind: T }>;

/**
 * The program's config when it is of `kind`, or null: how a hook or a reader of one kind gets its
 * own fields without a cast.
 *
 * @example
 * ```ts
 * configOf(program, 'tiered')?.tiers[0]?.id; // 'insider' for a tiered program
 * configOf(program, 'paid'); // null for that same program
 * ```
 */
export function configOf<K extends ProgramKind>(program: Program, kind: K): ConfigOf<K> | null {
  const config: ProgramConfig = program.config;
  return config.kind === kind ? (config as ConfigOf<K>) : null;
}

/**
 * The kind state the account keeps under `key`, when it has the tag `kind`, or null (a new
 * account, or a key holding another kind's state).
 *
 * @example
 * ```ts
 * stateOf(account, 'tier', 'tier')?.tier; // 'vib'
 * stateOf(openAccount(program, 'c1'), 'membership', 'membership'); // null
 * ```
 */
export function stateOf<T extends KindState['kind']>(account: AccountState, key: string, kind: T): StateOf<T> | null {
  const state = account.kinds[key];
  return state?.kind === kind ? (state as StateOf<T>) : null;
}
