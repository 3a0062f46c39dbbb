// The service: `createLoyalty` wires the store, the clock and the programs into a context and
// hands each method to its helper (accounts.ts, process.ts, requests.ts, maintenance.ts).
import { Decimal } from '../money/decimal';
import { systemClock } from '../time';
import { customerSchema, type Customer } from '../schema/customer';
import { eventSchema, type LoyaltyEvent } from '../schema/events';
import { fastEvent } from '../schema/fast/event';
import type { Program } from '../engine/program';
import { memoryStore, syncUnitOf } from '../store/memory';
import type { ProgramOutcome } from '../store/types';
import { loyaltyOptionsSchema, parseArgument } from './arguments';
import { fail, parseWith, type ServiceContext } from './context';
import { accountView, upsertCustomer } from './accounts';
import { explainParsed, processEvent } from './process';
import { processMany } from './process-many';
import { REQUEST_OPERATIONS, quoteRequest, runRequest } from './requests';
import { acknowledgeRows, forgetCustomer, historyPage, readOutbox, tickDue, verifyAccount } from './maintenance';
import type { Loyalty, LoyaltyOptions } from './types';

export type {
  AccountQuery,
  AccountView,
  HistoryQuery,
  Loyalty,
  LoyaltyOptions,
  ProcessManyItem,
  ProcessManyOptions,
  ProcessResult,
  QuoteInput,
  RequestResult,
  RequestTarget,
  TickDueOptions,
  TickDueResult,
  TickFailure,
  UpsertCustomerInput,
} from './types';

/**
 * Parses an event at the boundary: validated as `eventSchema` validates it (a hand-written fast
 * path for well-formed common events, zod for the rest), amounts exact, times as Dates. Throws
 * `LoyaltyError` naming each bad field by its path.
 *
 * @example
 * ```ts
 * const event = parseEvent({ id: 'e1', customerId: 'c1', type: 'signup', occurredAt: '2027-01-31T10:00:00Z' });
 * ```
 */
export function parseEvent(input: unknown): LoyaltyEvent {
  // The hand-written fast path answers for the common well-formed shapes; zod reads the rest and gives every refusal.
  return fastEvent(input) ?? parseWith(eventSchema, input);
}

/**
 * Parses a customer profile at the boundary.
 *
 * @example
 * ```ts
 * const customer = parseCustomer({ id: 'c1', enrolledAt: '2027-01-01T00:00:00Z', birthday: '--03-15' });
 * ```
 */
export function parseCustomer(input: unknown): Customer {
  return parseWith(customerSchema, input);
}

/** The programs by id; a program given twice is refused. */
function programsById(programs: readonly Program[]): Map<string, Program> {
  const byId = new Map<string, Program>();
  for (const p of programs) {
    if (byId.has(p.id)) fail('duplicate_program', ['programs'], `program "${p.id}" is given twice`);
    byId.set(p.id, p);
  }
  return byId;
}

/**
 * Creates the loyalty service over a store: idempotent event processing and requests,
 * enrolment, reads, scheduled ticks and the transactional outbox.
 *
 * @example
 * ```ts
 * const loyalty = createLoyalty({ programs: [program], store: memoryStore(), clock: fixedClock('2027-02-01T00:00:00Z') });
 * await loyalty.upsertCustomer({ customer: { id: 'c1', enrolledAt: '2027-01-01T00:00:00Z' } });
 * const result = await loyalty.process({ id: 'e1', customerId: 'c1', type: 'signup', occurredAt: '2027-01-31T10:00:00Z' });
 * ```
 */
export function createLoyalty(options: LoyaltyOptions): Loyalty {
  parseArgument(loyaltyOptionsSchema, options, []);
  const programs = programsById(options.programs);
  const store = options.store ?? memoryStore();
  const ctx: ServiceContext = {
    store,
    syncUnit: syncUnitOf(store),
    clock: options.clock ?? systemClock,
    programs,
    rewardCodes: options.rewardCodes,
    programOf: (id) => programs.get(id) ?? fail('unknown_program', ['programId'], `no program "${id}"`),
  };
  const ops = REQUEST_OPERATIONS;
  return {
    upsertCustomer: async (input) => upsertCustomer(ctx, input),
    process: async (input) => processEvent(ctx, parseEvent(input)),
    processMany: async (inputs, options) => processMany(ctx, inputs, parseEvent, options),
    explain: async (input) => explainParsed(ctx, parseEvent(input)),
    quote: async (input) => quoteRequest(ctx, input),
    redeem: async (input) => runRequest(ctx, ops.redeem, input),
    cancelRedemption: async (input) => runRequest(ctx, ops.cancelRedemption, input),
    hold: async (input) => runRequest(ctx, ops.hold, input),
    capture: async (input) => runRequest(ctx, ops.capture, input),
    release: async (input) => runRequest(ctx, ops.release, input),
    adjust: async (input) => runRequest(ctx, ops.adjust, input),
    reverse: async (input) => runRequest(ctx, ops.reverse, input),
    redeemReward: async (input) => runRequest(ctx, ops.redeemReward, input),
    tickDue: async (input = {}) => tickDue(ctx, input),
    account: async (input) => accountView(ctx, input),
    history: async (input) => historyPage(ctx, input),
    forgetCustomer: async (input) => forgetCustomer(ctx, input),
    verify: async (input) => verifyAccount(ctx, input),
    outbox: async (input = {}) => readOutbox(ctx, input),
    acknowledge: async (input) => acknowledgeRows(ctx, input),
  };
}

/** Sum of the points an outcome earned, for convenience in hosts and examples. */
export function pointsEarned(outcome: ProgramOutcome): Decimal {
  if (!outcome.ok || !outcome.transaction) return new Decimal(0);
  return outcome.transaction.entries.reduce((s, e) => (e.kind === 'earn' ? s.plus(e.lot.amount) : s), new Decimal(0));
}
