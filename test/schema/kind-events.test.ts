// Issue 13: the event union (src/schema/events.ts) and the fast parser take the kinds' own events
// from the registry (src/kinds/events.ts) and never name a kind. These pin what that assembly
// must keep byte for byte: the union's members and their order, EVENT_TYPES, each member's keys
// in order, and the names 'loyalty-engine/schemas' exports.
import { describe, expect, test } from 'vitest';
import * as schemasModule from '../../src/schemas';
import { EVENT_TYPES, eventSchema } from '../../src/schema/events';
import { KIND_EVENT_SCHEMAS, KIND_EVENT_TYPES, KIND_FAST_EVENTS } from '../../src/kinds/events';

interface Member {
  readonly def: { readonly shape: Readonly<Record<string, { readonly def: { readonly values?: readonly unknown[] } }>> };
}
const membersOf = (schema: unknown): readonly Member[] => (schema as { def: { options: readonly Member[] } }).def.options;
const typeOf = (member: Member): unknown => member.def.shape.type?.def.values?.[0];

const BASE = ['id', 'customerId', 'occurredAt', 'channel', 'programId', 'attributes', 'type'];

describe('the event union assembled from the built-in events and the kinds\' registry', () => {
  test('its members, in order, are EVENT_TYPES, the same as before the kinds\' events moved', () => {
    expect(membersOf(eventSchema).map(typeOf)).toEqual([...EVENT_TYPES]);
    expect(EVENT_TYPES).toEqual([
      'purchase', 'refund', 'signup', 'referral', 'review', 'newsletter_subscribed', 'social_follow', 'custom',
      'membership_started', 'membership_payment', 'membership_cancelled',
    ]);
  });

  test("the registry's tables agree: types in the schemas' order, a fast entry only for a listed type, its keys beyond the base", () => {
    expect(KIND_EVENT_SCHEMAS.map((s) => typeOf(s as unknown as Member))).toEqual([...KIND_EVENT_TYPES]);
    expect(membersOf(eventSchema).slice(-KIND_EVENT_SCHEMAS.length)).toEqual([...KIND_EVENT_SCHEMAS]);
    for (const [type, reader] of Object.entries(KIND_FAST_EVENTS)) {
      const member = KIND_EVENT_SCHEMAS.find((s) => typeOf(s as unknown as Member) === type) as unknown as Member | undefined;
      expect(member, type).toBeDefined();
      expect([...BASE, ...reader.keys], type).toEqual(Object.keys(member?.def.shape ?? {}));
    }
  });

  test('each member keeps its keys in order (the parsed event keeps the key order the fast parser matches)', () => {
    const keys = Object.fromEntries(membersOf(eventSchema).map((m) => [typeOf(m), Object.keys(m.def.shape).slice(BASE.length)]));
    expect(Object.values(keys).every((_, i) => Object.keys(membersOf(eventSchema)[i]?.def.shape ?? {}).slice(0, BASE.length).join() === BASE.join())).toBe(true);
    expect(keys).toEqual({
      purchase: ['orderId', 'currency', 'lines', 'shipping', 'tax', 'pointsRedeemed', 'storeId'],
      refund: ['orderId', 'currency', 'lines', 'amount'],
      signup: [],
      referral: ['referredCustomerId', 'stage'],
      review: ['platform', 'rating', 'hasPhoto'],
      newsletter_subscribed: [],
      social_follow: ['network'],
      custom: ['name'],
      membership_started: ['trial'],
      membership_payment: ['status', 'amount', 'currency', 'periodStart', 'periodEnd'],
      membership_cancelled: [],
    });
  });

  test("'loyalty-engine/schemas' exports the same names as before", () => {
    expect(Object.keys(schemasModule).sort()).toEqual([
      'ISSUE_CODES', 'adjustRequestSchema', 'attributeValueSchema', 'attributesSchema', 'awardSchema', 'birthdaySchema', 'campaignSchema',
      'cancelRequestSchema', 'captureRequestSchema', 'cardSchema', 'channelSchema', 'checkoutOrderSchema', 'conditionSchema', 'currencySchema',
      'customEventSchema', 'customerSchema', 'decimalSchema', 'earningRuleSchema', 'eligibilitySchema', 'eventSchema', 'exclusionSchema',
      'expiryPolicySchema', 'holdRequestSchema', 'idSchema', 'instantSchema', 'isIssueCode', 'issuesFromZod', 'limitSchema', 'limitWindowSchema',
      'membershipCancelledEventSchema', 'membershipPaymentEventSchema', 'membershipStartedEventSchema', 'newsletterSubscribedEventSchema',
      'nonNegativeDecimalSchema', 'paidProgramSchema', 'pointsProgramSchema', 'positiveDecimalSchema', 'programConfigSchema', 'punchProgramSchema',
      'purchaseEventSchema', 'purchaseLineSchema', 'quoteRequestSchema', 'redeemRequestSchema', 'redemptionPolicySchema', 'referralEventSchema',
      'refundEventSchema', 'releaseRequestSchema', 'returnPolicySchema', 'reverseRequestSchema', 'reviewEventSchema', 'rewardRequestSchema',
      'rewardSchema', 'roundingModeSchema', 'signupEventSchema', 'slugSchema', 'socialFollowEventSchema', 'spendProgramSchema', 'tierSchema',
      'tieredProgramSchema', 'timeZoneSchema', 'topLevelConditionSchema', 'wholePointsSchema',
    ]);
  });
});
