// Type tests of the inputs a host writes (issue 10): amounts and instants are typed, so a typo in a
// value or a key fails to compile instead of waiting for the runtime refusal. Run by vitest's typecheck.
import { describe, expectTypeOf, test } from 'vitest';
import type * as z from 'zod';
import { defineProgram } from '../../src';
import type { CustomerInput, Decimal, DecimalInput, InstantInput, LoyaltyEventInput } from '../../src';
import { Decimal as DecimalClass } from '../../src/money/decimal';
import type { decimalSchema, instantSchema, nonNegativeDecimalSchema, positiveDecimalSchema, wholePointsSchema } from '../../src/schema/primitives';
import type { EventInputOf, PurchaseEventInput, PurchaseLineInput, RefundEventInput } from '../../src/schema/events';
import type {
  AdjustRequestInput,
  CancelRequestInput,
  CaptureRequestInput,
  CheckoutOrderInput,
  HoldRequestInput,
  QuoteRequestInput,
  RedeemRequestInput,
  ReleaseRequestInput,
  ReverseRequestInput,
  RewardRequestInput,
} from '../../src/schema/requests';

// Functions typed like the service's entry points: fresh literals passed to them get excess-property checks.
const send = (event: LoyaltyEventInput): void => void event;
const upsert = (customer: CustomerInput): void => void customer;
const redeem = (request: RedeemRequestInput): void => void request;
const quote = (request: QuoteRequestInput): void => void request;
const line = (l: PurchaseLineInput): void => void l;

const purchase = (unitPrice: DecimalInput, occurredAt: InstantInput): PurchaseEventInput => ({
  type: 'purchase', id: 'e1', customerId: 'c1', occurredAt, orderId: 'A-1', currency: 'USD',
  lines: [{ lineId: 'l1', sku: 's', quantity: 1, unitPrice }],
});

describe('DecimalInput and InstantInput', () => {
  test('are the documented unions', () => {
    expectTypeOf<DecimalInput>().toEqualTypeOf<`${number}` | number | Decimal>();
    expectTypeOf<Date>().toExtend<InstantInput>();
    expectTypeOf<InstantInput>().not.toEqualTypeOf<unknown>();
    expectTypeOf<string>().not.toExtend<InstantInput>();
    expectTypeOf<string>().not.toExtend<DecimalInput>();
  });

  test('the decimal and instant schemas take them as input and still give Decimals and Dates', () => {
    expectTypeOf<z.input<typeof decimalSchema>>().toEqualTypeOf<DecimalInput>();
    expectTypeOf<z.input<typeof nonNegativeDecimalSchema>>().toEqualTypeOf<DecimalInput>();
    expectTypeOf<z.input<typeof positiveDecimalSchema>>().toEqualTypeOf<DecimalInput>();
    expectTypeOf<z.input<typeof wholePointsSchema>>().toEqualTypeOf<DecimalInput>();
    expectTypeOf<z.input<typeof instantSchema>>().toEqualTypeOf<InstantInput>();
    expectTypeOf<z.output<typeof decimalSchema>>().toEqualTypeOf<Decimal>();
    expectTypeOf<z.output<typeof instantSchema>>().toEqualTypeOf<Date>();
  });

  test('accept decimal strings, numbers, Decimals, Dates and ISO dates or date-times', () => {
    const amounts: DecimalInput[] = ['19.99', 19.99, new DecimalClass('1'), '-5', '0', 500];
    const instants: InstantInput[] = [new Date(), '2027-01-31T10:00:00Z', '2027-01-31T09:00:00+01:00', '2027-01-31T10:00:00.123Z', '2027-01-31'];
    void amounts;
    void instants;
    send(purchase('19.99', '2027-01-31T10:00:00Z'));
    send(purchase(19.99, new Date()));
    send(purchase(new DecimalClass('1'), '2027-01-31'));
  });

  test('refuse words and other strings', () => {
    // @ts-expect-error -- not a decimal
    const five: DecimalInput = 'five';
    // @ts-expect-error -- not a decimal
    const abc: DecimalInput = 'abc';
    // @ts-expect-error -- an empty string is no amount
    const empty: DecimalInput = '';
    // @ts-expect-error -- not an instant
    const yesterday: InstantInput = 'yesterday';
    // @ts-expect-error -- a month is not an instant
    const month: InstantInput = '2027-01';
    // @ts-expect-error -- epoch milliseconds are not accepted: a Date says which unit it is
    const epoch: InstantInput = 1_800_000_000_000;
    void [five, abc, empty, yesterday, month, epoch];
  });
});

describe('LoyaltyEventInput', () => {
  test('a purchase literal with typed values compiles; defaults may be left out', () => {
    send({
      type: 'purchase', id: 'e1', customerId: 'c1', occurredAt: '2027-01-31T10:00:00Z', orderId: 'A-1', currency: 'USD',
      lines: [{ lineId: 'l1', sku: 's', quantity: 2, unitPrice: '19.99', discount: 5 }],
      shipping: new DecimalClass('4.95'),
      channel: 'store',
    });
    send({ type: 'signup', id: 'e2', customerId: 'c1', occurredAt: new Date() });
    send({ type: 'refund', id: 'e3', customerId: 'c1', occurredAt: '2027-02-01', orderId: 'A-1', amount: 10, currency: 'USD' });
    send({ type: 'membership_payment', id: 'e4', customerId: 'c1', occurredAt: '2027-02-01T00:00:00Z', status: 'succeeded', amount: '9.99', currency: 'USD', periodStart: '2027-02-01', periodEnd: new Date() });
  });

  test('a word as an amount fails to compile', () => {
    send({
      type: 'purchase', id: 'e1', customerId: 'c1', occurredAt: '2027-01-31T10:00:00Z', orderId: 'A-1', currency: 'USD',
      // @ts-expect-error -- unitPrice is a DecimalInput
      lines: [{ lineId: 'l1', sku: 's', quantity: 1, unitPrice: 'abc' }],
    });
    // @ts-expect-error -- unitPrice is a DecimalInput
    line({ lineId: 'l1', sku: 's', quantity: 1, unitPrice: 'abc' });
    send({
      type: 'refund', id: 'e3', customerId: 'c1', occurredAt: '2027-02-01', orderId: 'A-1', currency: 'USD',
      // @ts-expect-error -- amount is a DecimalInput
      amount: 'ten',
    });
  });

  test('a word as an instant fails to compile', () => {
    send({
      type: 'signup', id: 'e2', customerId: 'c1',
      // @ts-expect-error -- occurredAt is an InstantInput
      occurredAt: 'yesterday',
    });
  });

  test('a misspelt key on an event literal fails to compile', () => {
    send({
      type: 'signup', id: 'e2', customerId: 'c1', occurredAt: '2027-01-31T10:00:00Z',
      // @ts-expect-error -- `chanel` is not a key: `channel`
      chanel: 'web',
    });
    send({
      type: 'purchase', id: 'e1', customerId: 'c1', occurredAt: '2027-01-31T10:00:00Z', orderId: 'A-1', currency: 'USD',
      // @ts-expect-error -- `unit_price` is not a key of a line: `unitPrice`
      lines: [{ lineId: 'l1', sku: 's', quantity: 1, unit_price: '19.99' }],
    });
  });

  test('the input of one event type, by name', () => {
    expectTypeOf<EventInputOf<'purchase'>>().toEqualTypeOf<PurchaseEventInput>();
    expectTypeOf<EventInputOf<'refund'>>().toEqualTypeOf<RefundEventInput>();
    expectTypeOf<EventInputOf<'review'>['rating']>().toEqualTypeOf<number>();
    expectTypeOf<PurchaseEventInput['occurredAt']>().toEqualTypeOf<InstantInput>();
    expectTypeOf<PurchaseLineInput['unitPrice']>().toEqualTypeOf<DecimalInput>();
  });
});

describe('CustomerInput', () => {
  test('a customer literal with an ISO date or a Date compiles', () => {
    upsert({ id: 'c1', enrolledAt: '2027-01-01', birthday: '--07-14', timeZone: 'Europe/Paris' });
    upsert({ id: 'c1', enrolledAt: new Date(), tags: ['vip'], attributes: { visits: 3 } });
  });

  test('a misspelt key or a word as an instant fails to compile', () => {
    upsert({
      id: 'c1', enrolledAt: '2027-01-01',
      // @ts-expect-error -- `birthdate` is not a key: `birthday`
      birthdate: '1990-07-14',
    });
    upsert({
      id: 'c1',
      // @ts-expect-error -- enrolledAt is an InstantInput
      enrolledAt: 'today',
    });
  });
});

describe('request inputs', () => {
  test('typed points and instants compile', () => {
    redeem({ requestId: 'r1', at: '2027-01-31T10:00:00Z', points: '500' });
    redeem({ requestId: 'r1', at: new Date(), points: new DecimalClass(500) });
    quote({ order: { currency: 'USD', lines: [{ lineId: 'l1', sku: 's', quantity: 1, unitPrice: 40 }] }, points: 'max', at: '2027-01-31' });
    quote({ order: { currency: 'USD', lines: [{ lineId: 'l1', sku: 's', quantity: 1, unitPrice: '40.00' }] }, points: 12.5, at: new Date() });
  });

  test("points: 'five' and at: 'yesterday' fail to compile", () => {
    redeem({
      requestId: 'r1', at: '2027-01-31T10:00:00Z',
      // @ts-expect-error -- points is a DecimalInput
      points: 'five',
    });
    redeem({
      requestId: 'r1', points: 500,
      // @ts-expect-error -- at is an InstantInput
      at: 'yesterday',
    });
    quote({
      order: { currency: 'USD', lines: [{ lineId: 'l1', sku: 's', quantity: 1, unitPrice: 40 }] }, at: '2027-01-31',
      // @ts-expect-error -- points is 'max' or a DecimalInput
      points: 'all',
    });
  });

  test('every request input types its amounts and instants', () => {
    expectTypeOf<QuoteRequestInput['points']>().toEqualTypeOf<'max' | DecimalInput>();
    expectTypeOf<CheckoutOrderInput['shipping']>().toEqualTypeOf<DecimalInput | undefined>();
    expectTypeOf<RedeemRequestInput['points']>().toEqualTypeOf<DecimalInput>();
    expectTypeOf<HoldRequestInput['points']>().toEqualTypeOf<DecimalInput>();
    expectTypeOf<CaptureRequestInput['points']>().toEqualTypeOf<DecimalInput | undefined>();
    expectTypeOf<AdjustRequestInput['points']>().toEqualTypeOf<DecimalInput>();
    for (const at of [
      {} as RedeemRequestInput['at'],
      {} as HoldRequestInput['at'],
      {} as CaptureRequestInput['at'],
      {} as ReleaseRequestInput['at'],
      {} as CancelRequestInput['at'],
      {} as AdjustRequestInput['at'],
      {} as ReverseRequestInput['at'],
      {} as RewardRequestInput['at'],
      {} as QuoteRequestInput['at'],
    ]) {
      expectTypeOf(at).toEqualTypeOf<InstantInput>();
    }
  });
});

describe('program configs', () => {
  test('config amounts are typed too', () => {
    defineProgram({ kind: 'points', id: 'p', version: 1, currency: 'USD', timeZone: 'UTC', redemption: { pointsPerUnit: '100' } });
    defineProgram({
      kind: 'points', id: 'p', version: 1, currency: 'USD', timeZone: 'UTC',
      // @ts-expect-error -- pointsPerUnit is a DecimalInput
      redemption: { pointsPerUnit: 'a hundred' },
    });
  });
});
