import type { Decimal } from '../money/decimal';
import type { KindNotificationBody } from '../kinds/states';

/** What the host needs to deliver or ship an issued reward. */
export interface IssuedReward {
  readonly rewardId: string;
  readonly name: string;
  readonly kind: 'discount_fixed' | 'discount_percent' | 'free_product' | 'free_shipping' | 'gift_card' | 'voucher' | 'event_access';
  readonly code: string;
  readonly cost: Decimal;
  readonly value?: Decimal;
  readonly currency?: string;
  readonly percent?: Decimal;
  readonly sku?: string;
  readonly event?: string;
  readonly validUntil?: Date;
}

/**
 * A typed notification for the host to deliver (the library sends no email). In the service they
 * are written to the outbox in the same store transaction as the entries. The core's types are
 * listed here; each program kind declares its own in its folder (`KindNotificationBody`).
 */
export type Notification = {
  /** Deterministic: derived from the transaction id. */
  readonly id: string;
  readonly programId: string;
  readonly customerId: string;
  readonly at: Date;
} & (
  | { readonly type: 'points.earned'; readonly points: Decimal; readonly pending: Decimal; readonly eventId: string }
  | { readonly type: 'reward.issued'; readonly reward: IssuedReward; readonly requestId: string }
  | {
      readonly type: 'reward.voided';
      readonly rewardId: string;
      /** The reward's redemption transaction, and the request that issued it. */
      readonly transactionId: string;
      readonly requestId?: string;
      /** The code to deactivate, when the service knows it. */
      readonly code?: string;
    }
  | { readonly type: 'points.expiring'; readonly points: Decimal; readonly expiresAt: Date; readonly lots: readonly string[] }
  | { readonly type: 'points.expired'; readonly points: Decimal }
  | { readonly type: 'customer.lapsed'; readonly lastPurchaseAt: Date; readonly days: number }
  | { readonly type: 'birthday'; readonly year: number; readonly points: Decimal }
  | KindNotificationBody
);

/** The notification types. */
export type NotificationType = Notification['type'];

/** A notification without its envelope (id, program, customer, instant). */
export type NotificationBody = Notification extends infer N ? (N extends Notification ? Omit<N, 'id' | 'programId' | 'customerId' | 'at'> : never) : never;
