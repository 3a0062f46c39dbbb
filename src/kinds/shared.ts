// Helpers every kind uses the same way: its typed config and state, the points unit and rate, and
// state steps turned into entries and notifications.
import type { AccountState, Entry } from '../ledger/types';
import type { Notification, NotificationBody } from '../engine/notifications';
import type { Program } from '../engine/program-type';
import type { ProgramConfig, ProgramKind } from '../schema/program';
import type { KindState } from './states';
import type { KindHooks } from './types';

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

/**
 * The unit and rate of kinds that earn and burn points like the points kind (tiered, paid): the
 * `points` unit at the program's redemption rate. Here, not in the points folder, so that no kind
 * reaches into another's folder.
 *
 * @example
 * ```ts
 * export const tieredHooks = { ...pointsLike, onEvent, onTick } satisfies KindHooks;
 * ```
 */
export const pointsLike = {
  unit: () => 'points',
  rate: (program) => program.config.redemption.pointsPerUnit,
} as const satisfies Pick<KindHooks, 'unit' | 'rate'>;

/** One change of a kind's recorded state: its new value, why, and what to tell the host (with when). */
export interface StateStep {
  readonly state: KindState;
  readonly reason: string;
  readonly notices: readonly { readonly body: NotificationBody; readonly at: Date }[];
}

/** Where steps are recorded: the program, the customer, and the account-state key the kind keeps. */
export interface StepsTarget {
  readonly program: Program;
  readonly customerId: string;
  readonly key: string;
}

/**
 * The id of a step's notice: from its body, its instant, and `n`, how many notices of its type
 * the steps have raised so far (1 for the first). Kinds keep their own id shapes: ids are stored.
 */
export type NoticeIdOf = (body: NotificationBody, at: Date, n: number) => string;

/**
 * Turns state steps into the transaction's `state` entries (one per step, in order) and their
 * notifications (in step order, envelope first), with the ids `idOf` gives: what a kind's
 * machine (tier evaluations, membership steps) hands back from a hook.
 *
 * @example
 * ```ts
 * const { entries, notifications } = stepsToResult({ program, customerId: 'c1', key: 'tier' }, steps, (body, at) => `${prefix}:${body.type}:${at.toISOString()}`);
 * ```
 */
export function stepsToResult(target: StepsTarget, steps: readonly StateStep[], idOf: NoticeIdOf): { entries: Entry[]; notifications: Notification[] } {
  const entries: Entry[] = [];
  const notifications: Notification[] = [];
  // Most calls (an event in a tiered program) have no steps: no map for them.
  let seen: Map<string, number> | undefined;
  for (const step of steps) {
    entries.push({ kind: 'state', key: target.key, value: step.state, reason: step.reason });
    for (const { body, at } of step.notices) {
      seen ??= new Map();
      const n = (seen.get(body.type) ?? 0) + 1;
      seen.set(body.type, n);
      // The envelope first, then the body: keys added after a spread are slow on Node 20.
      notifications.push({ id: idOf(body, at, n), programId: target.program.id, customerId: target.customerId, at, ...body } as Notification);
    }
  }
  return { entries, notifications };
}
