// The service's arguments (one object per method), checked at its boundary with zod
// like every other input, so a wrong call is a `LoyaltyError` naming the field, never a raw
// TypeError from deep inside and never a silent misreading.
import * as z from 'zod/mini';
import { LoyaltyError } from '../errors';
import { isProgram, type Program } from '../engine/program';
import { issuesFromZod, strictObject } from '../schema/issues';
import { englishMessage, int } from '../schema/internal/mini';
import { customerSchema } from '../schema/customer';
import { idSchema, instantSchema } from '../schema/primitives';
import type { Clock } from '../time';
import type { Store } from '../store/types';

const hasMethod = (value: unknown, name: string): boolean =>
  typeof value === 'object' && value !== null && typeof (value as Record<string, unknown>)[name] === 'function';

const programSchema = z.custom<Program>((value) => isProgram(value), { message: 'expected a program made by defineProgram()', params: { code: 'invalid_program' } });
const storeSchema = z.custom<Store>((value) => hasMethod(value, 'unit'), { message: 'expected a store (an object with a unit() method), e.g. memoryStore()', params: { code: 'invalid_store' } });
const clockSchema = z.custom<Clock>((value) => hasMethod(value, 'now'), { message: 'expected a clock (an object with a now() method)', params: { code: 'invalid_clock' } });

/** `createLoyalty`'s options. */
export const loyaltyOptionsSchema = z.strictObject({
  programs: z.array(programSchema).check(z.minLength(1, { message: 'give at least one program' })),
  store: z.optional(storeSchema),
  clock: z.optional(clockSchema),
  rewardCodes: z.optional(z.custom<(input: never) => string>((value) => typeof value === 'function', { message: 'expected a function', params: { code: 'invalid_type' } })),
});

/** Who and where a request is for; the request's own fields are checked by its schema. */
export const targetSchema = z.looseObject({ customerId: idSchema, programId: idSchema });

/** `verify`'s argument: one account. */
export const accountKeySchema = strictObject({ customerId: idSchema, programId: idSchema });

/** `upsertCustomer`'s argument: the profile, and the programs to enrol in (default: all). */
export const upsertArgumentSchema = strictObject({ customer: customerSchema, programs: z.optional(z.array(idSchema)) });

/** `account`'s argument: an account as of an instant (default: now). */
export const accountArgumentSchema = strictObject({ customerId: idSchema, programId: idSchema, at: z.optional(instantSchema) });

/** `history`'s argument: an account and a page. */
export const historyArgumentSchema = strictObject({
  customerId: idSchema,
  programId: idSchema,
  limit: z.optional(z.number().check(int(), z.gte(1), z.lte(1000))),
  before: z.optional(z.number().check(int(), z.gte(0))),
});

/** `forgetCustomer`'s argument. */
export const forgetArgumentSchema = strictObject({ customerId: idSchema });

/** `tickDue`'s argument: the instant to tick at (default: now), and how many accounts at most. */
export const tickArgumentSchema = strictObject({ now: z.optional(instantSchema), limit: z.optional(z.number().check(int(), z.gte(1), z.lte(100_000))) });

/** `outbox`'s argument: how many rows to read. */
export const outboxArgumentSchema = strictObject({ limit: z.optional(z.number().check(int(), z.gte(1), z.lte(100_000))) });

/** `acknowledge`'s argument: outbox sequence numbers. */
export const acknowledgeArgumentSchema = strictObject({ seqs: z.array(z.number().check(int(), z.gte(1))).check(z.maxLength(10_000)) });

/** A customer id or a program id given on its own. */
export { idSchema };

/**
 * Parses a service argument; on failure throws `LoyaltyError` whose issue paths start with
 * `field`, so `history({ customerId: 'c1', programId: 'p', before: -5 })` names `before`.
 */
export function parseArgument<S extends z.ZodMiniType>(schema: S, input: unknown, field: readonly (string | number)[]): z.output<S> {
  // English messages for zod's own issues of schemas that do not rewrite them (createLoyalty's options).
  const parsed = schema.safeParse(input, { error: englishMessage });
  if (parsed.success) return parsed.data;
  throw new LoyaltyError(issuesFromZod(parsed.error, field));
}
