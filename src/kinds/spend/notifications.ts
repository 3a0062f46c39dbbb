// The notifications the spend kind sends (composed into `Notification` by src/kinds/states.ts).
import type { Decimal } from '../../money/decimal';

/** Store credit earned by an event (in the program's currency), with the part still pending. */
export type CreditNotification = { readonly type: 'credit.earned'; readonly amount: Decimal; readonly currency: string; readonly pending: Decimal; readonly eventId: string };
