import type { Decimal } from '../money/decimal';

/**
 * A typed notification for the host to deliver (the library sends no email). In the service they
 * are written to the outbox in the same store transaction as the entries.
 */
export type Notification = {
  /** Deterministic: derived from the transaction id. */
  readonly id: string;
  readonly programId: string;
  readonly customerId: string;
  readonly at: Date;
} & (
  | { readonly type: 'points.earned'; readonly points: Decimal; readonly pending: Decimal; readonly eventId: string }
);

/** The notification types. */
export type NotificationType = Notification['type'];
