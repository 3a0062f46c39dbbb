// What every event schema is built from, below src/schema/events.ts so that a kind's own events
// (src/kinds/<kind>/events.ts, listed by src/kinds/events.ts) can be built from it too without an
// import cycle: the fields every event has, and the shape of a fast-parser entry.
import * as z from 'zod/mini';
import { attributesSchema, channelSchema, idSchema, instantSchema } from './primitives';

/**
 * The fields every customer event has, before its `type` and its own fields.
 *
 * @example
 * ```ts
 * const signup = strictObject({ ...eventBaseShape, type: z.literal('signup') });
 * ```
 */
export const eventBaseShape = {
  /** The event's id: the idempotency key. */
  id: idSchema,
  customerId: idSchema,
  occurredAt: instantSchema,
  channel: z._default(channelSchema, 'web'),
  /** Send the event to this program only; by default it reaches every program the customer is enrolled in. */
  programId: z.optional(idSchema),
  /**
   * The host's own data about the event (campaign, source, device…): carried as sent, part of
   * the idempotency fingerprint. Unknown top-level fields are refused; they belong here.
   */
  attributes: z.optional(attributesSchema),
};

/**
 * How the fast event parser (src/schema/fast/event.ts) reads an event type without money
 * amounts: the keys it has beyond the base fields, and a reader that sets them on the record the
 * parser built from the base fields (in the schema's key order), or throws `Unsure` (`unsure()`)
 * when zod must judge the input.
 *
 * @example
 * ```ts
 * const started: FastEventReader = { keys: ['trial'], read: (input, out) => void (out.trial = readFlag(input.trial, false)) };
 * ```
 */
export interface FastEventReader {
  readonly keys: readonly string[];
  readonly read: (input: Record<string, unknown>, out: Record<string, unknown>) => void;
}
