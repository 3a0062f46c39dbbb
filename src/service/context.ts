// What every helper of the service shares: the store, the clock, the programs by id, and the
// small rules (refusal classes, idempotency keys) that must read the same in every operation.
import type * as z from 'zod/mini';
import { LoyaltyError } from '../errors';
import type { Clock } from '../time';
import { issuesFromZod } from '../schema/issues';
import type { Program } from '../engine/program';
import type { Store, SyncUnit } from '../store/types';
import type { LoyaltyOptions } from './types';
import { INPUT_REFUSALS } from '../engine/refusals';

/** The service's wiring, made once by `createLoyalty` and handed to each helper. */
export interface ServiceContext {
  readonly store: Store;
  /** The store's synchronous unit, when it has one (the memory store): the service runs events in it when it answers. */
  readonly syncUnit: SyncUnit | undefined;
  readonly clock: Clock;
  readonly programs: ReadonlyMap<string, Program>;
  readonly rewardCodes: LoyaltyOptions['rewardCodes'];
  /** The program of an id, or a thrown `unknown_program`. */
  readonly programOf: (id: string) => Program;
}


/** A refusal is an input one when any of its issues is (see `INPUT_REFUSALS` in engine/refusals.ts). */
export const isInputRefusal = (issues: readonly { readonly code: string }[]): boolean => issues.some((i) => INPUT_REFUSALS.has(i.code));

/** The idempotency key of an event id (requests use their own, so the two never collide). */
export const eventKey = (id: string): string => JSON.stringify(['event', id]);
/** The idempotency key of a request id, per program. */
export const requestKey = (programId: string, id: string): string => JSON.stringify(['request', programId, id]);
/** The program-wide count of a catalog reward issued. */
export const stockKeyOf = (programId: string, rewardId: string): string => JSON.stringify(['stock', programId, rewardId]);
/** The program-wide claim of an order by its first purchase event. */
export const orderKeyOf = (programId: string, orderId: string): string => JSON.stringify(['order', programId, orderId]);

/** Throws a `LoyaltyError` with one issue. */
export function fail(code: string, path: (string | number)[], message: string): never {
  throw new LoyaltyError([{ code, path, message }]);
}

/** Parses with a schema; on failure throws `LoyaltyError` naming each bad field by its path. */
export function parseWith<S extends z.ZodMiniType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new LoyaltyError(issuesFromZod(parsed.error));
  return parsed.data;
}
