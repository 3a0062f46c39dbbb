// The notifications the tiered kind sends (composed into `Notification` by src/kinds/states.ts).

/** A tier change: an upgrade when an event qualifies, a downgrade at a period-end evaluation. */
export type TierNotification = { readonly type: 'tier.upgraded' | 'tier.downgraded'; readonly from: string; readonly to: string; readonly reason: string };
