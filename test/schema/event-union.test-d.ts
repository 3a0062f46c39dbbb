// Type tests of the event union after the kinds' events moved into their folders (issue 13): the
// inferred types are the same as when schema/events.ts declared every member. Run by vitest's typecheck.
import { describe, expectTypeOf, test } from 'vitest';
import type { Decimal, LoyaltyEvent } from '../../src';
import type { EventInputOf, EventOf, EventType } from '../../src/schema/events';
import type { EarningRule } from '../../src/schemas';

describe('the event union', () => {
  test('its types, the kinds\' included, and a rule\'s `on`', () => {
    type Expected = 'purchase' | 'refund' | 'signup' | 'referral' | 'review' | 'newsletter_subscribed' | 'social_follow' | 'custom' | 'membership_started' | 'membership_payment' | 'membership_cancelled';
    expectTypeOf<EventType>().toEqualTypeOf<Expected>();
    expectTypeOf<LoyaltyEvent['type']>().toEqualTypeOf<Expected>();
    expectTypeOf<EarningRule['on']>().toEqualTypeOf<Expected | Expected[]>();
  });

  test("the paid kind's members, parsed and as sent", () => {
    expectTypeOf<EventOf<'membership_started'>['trial']>().toEqualTypeOf<boolean>();
    expectTypeOf<EventOf<'membership_started'>['occurredAt']>().toEqualTypeOf<Date>();
    expectTypeOf<EventOf<'membership_payment'>['status']>().toEqualTypeOf<'succeeded' | 'failed'>();
    expectTypeOf<EventOf<'membership_payment'>['amount']>().toEqualTypeOf<Decimal>();
    expectTypeOf<EventOf<'membership_payment'>['periodEnd']>().toEqualTypeOf<Date | undefined>();
    expectTypeOf<keyof EventOf<'membership_cancelled'>>().toEqualTypeOf<'id' | 'customerId' | 'occurredAt' | 'channel' | 'programId' | 'attributes' | 'type'>();
    expectTypeOf<EventInputOf<'membership_started'>['trial']>().toEqualTypeOf<boolean | undefined>();
  });
});
