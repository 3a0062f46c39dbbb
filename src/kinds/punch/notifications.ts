// The notifications the punch kind sends (composed into `Notification` by src/kinds/states.ts).
import type { Decimal } from '../../money/decimal';

/** A card completed (with the reward it gives), or a line's punch refused (a limit, a closed card). */
export type PunchNotification =
  | { readonly type: 'card.completed'; readonly cardId: string; readonly reward: { readonly kind: 'free_item' | 'value'; readonly sku?: string; readonly value?: Decimal; readonly currency?: string } }
  | { readonly type: 'punch.refused'; readonly cardId: string; readonly reason: string; readonly lineId: string };

/** The ledger unit of one card's punches: `punch:<cardId>`. */
export type PunchUnit = `punch:${string}`;
