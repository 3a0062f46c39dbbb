// Requests (redeem, hold, adjust…) through the service. Each is a row of one table: its name
// (part of the idempotency fingerprint), its argument schema, and how it decides with the engine
// on the stored account. One runner does the rest for all of them: the target, the clock window,
// the idempotency record, the write with its schedule, and the append.
import type * as z from 'zod/mini';
import { LoyaltyError } from '../errors';
import { instantSchema } from '../schema/primitives';
import {
  adjustRequestSchema,
  cancelRequestSchema,
  captureRequestSchema,
  holdRequestSchema,
  quoteRequestSchema,
  redeemRequestSchema,
  releaseRequestSchema,
  reverseRequestSchema,
  rewardRequestSchema,
} from '../schema/requests';
import { encodeLedgerJson } from '../ledger/codec';
import type { AccountState } from '../ledger/types';
import type { Customer } from '../schema/customer';
import type { Decision } from '../engine/decision';
import type { Program } from '../engine/program';
import { cancelRedemption, capture, checkUnitAmount, hold, quote as quoteOrder, redeem, release, rewardOf, type Quote } from '../engine/redeem';
import { adjust, reverse } from '../engine/adjust';
import { redeemReward } from '../engine/catalog';
import type { ProcessedRecord, ProgramOutcome, StoreSession } from '../store/types';
import { enrolledCustomer, loadAccount, writeFor } from './accounts';
import { parseArgument, targetSchema } from './arguments';
import { fail, isInputRefusal, parseWith, requestKey, stockKeyOf, type ServiceContext } from './context';
import { closedHold, issuedCode, orderHistory, transactionOf } from './request-lookups';
import type { QuoteInput, RequestResult, RequestTarget } from './types';

/** What a request's decision is made from. */
interface DecideContext {
  readonly ctx: ServiceContext;
  readonly session: StoreSession;
  readonly target: RequestTarget;
  readonly program: Program;
  readonly customer: Customer;
  readonly account: AccountState;
}

/** A decision, and what to do in the same unit of work once its write is ready (before the append). */
interface Decided {
  readonly decision: Decision;
  readonly afterWrite?: (session: StoreSession) => Promise<void>;
}

/** One row of the table: an operation's name, its argument schema, and how it decides. */
interface RequestOperation<R extends { readonly requestId: string; readonly at: Date }> {
  readonly name: string;
  readonly schema: z.ZodMiniType<R>;
  readonly decide: (on: DecideContext, request: R) => Promise<Decided>;
}

// A row made by `operation` is marked pure where it is called, so a bundle without the service
// (defineProgram + evaluate) drops the whole table and the engine functions it names.
const operation = <R extends { readonly requestId: string; readonly at: Date }>(row: RequestOperation<R>): RequestOperation<R> => row;

/** The requests, by `Loyalty` method: operation → argument schema → engine function → outcome handling. */
export const REQUEST_OPERATIONS = {
  redeem: /* @__PURE__ */ operation({ name: 'redeem', schema: redeemRequestSchema, decide: async ({ program, account }, request) => ({ decision: redeem(program, account, request) }) }),
  cancelRedemption: /* @__PURE__ */ operation({
    name: 'cancel',
    schema: cancelRequestSchema,
    decide: async ({ session, target, program, account }, request) => {
      const tx = await transactionOf(session, program, account.customerId, request.transactionId);
      const rewardId = rewardOf(tx);
      const code = rewardId === undefined ? undefined : await issuedCode(session, program, tx);
      const decision = cancelRedemption(program, account, request, tx, { code });
      // A cancelled reward's code is void (`reward.voided`), and its unit of stock comes back.
      const returnStock = async (s: StoreSession): Promise<void> => {
        if (decision.ok && decision.transaction && rewardId !== undefined) await s.addToCounter(stockKeyOf(target.programId, rewardId), -1);
      };
      return { decision, afterWrite: returnStock };
    },
  }),
  hold: /* @__PURE__ */ operation({ name: 'hold', schema: holdRequestSchema, decide: async ({ program, account }, request) => ({ decision: hold(program, account, request) }) }),
  capture: /* @__PURE__ */ operation({
    name: 'capture',
    schema: captureRequestSchema,
    decide: async ({ session, program, account }, request) => ({ decision: await closedHold(session, program, account.customerId, request.holdId, request.at, capture(program, account, request)) }),
  }),
  release: /* @__PURE__ */ operation({
    name: 'release',
    schema: releaseRequestSchema,
    decide: async ({ session, program, account }, request) => ({ decision: await closedHold(session, program, account.customerId, request.holdId, request.at, release(program, account, request)) }),
  }),
  adjust: /* @__PURE__ */ operation({ name: 'adjust', schema: adjustRequestSchema, decide: async ({ program, account }, request) => ({ decision: adjust(program, account, request) }) }),
  reverse: /* @__PURE__ */ operation({
    name: 'reverse',
    schema: reverseRequestSchema,
    decide: async ({ session, program, account }, request) => {
      const tx = await transactionOf(session, program, account.customerId, request.transactionId);
      return { decision: reverse(program, account, request, tx, await orderHistory(session, program, account.customerId, tx)) };
    },
  }),
  redeemReward: /* @__PURE__ */ operation({
    name: 'reward',
    schema: rewardRequestSchema,
    decide: async ({ ctx, session, target, program, account, customer }, request) => {
      const stockKey = stockKeyOf(target.programId, request.rewardId);
      const decision = redeemReward(program, account, request, { issued: await session.counter(stockKey), code: ctx.rewardCodes, customer });
      const takeStock = async (s: StoreSession): Promise<void> => {
        if (decision.ok && decision.transaction) await s.addToCounter(stockKey, 1);
      };
      return { decision, afterWrite: takeStock };
    },
  }),
} as const;

/**
 * A request's target and its own fields. A request happens at the service clock: `at` may be
 * left out, and when given it must lie within the program's clock skew of the clock. It is
 * judged at the clock's instant either way, so no choice of `at` can reach points that are
 * still pending, or already expired, at the clock.
 */
function split(ctx: ServiceContext, input: unknown): { target: RequestTarget; rest: Record<string, unknown>; now: Date } {
  const { customerId, programId, ...rest } = parseArgument(targetSchema, input, []);
  ctx.programOf(programId);
  const now = ctx.clock.now();
  if (rest.at !== undefined) parseArgument(instantSchema, rest.at, ['at']);
  return { target: { customerId, programId }, rest, now };
}

/** Refuses a request dated outside the program's clock skew of `now` (checked once it is known not to be a replay). */
function checkRequestInstant(program: Program, given: unknown, now: Date): void {
  if (given === undefined) return;
  const at = parseArgument(instantSchema, given, ['at']);
  const minutes = program.config.clockSkewMinutes;
  const skew = minutes * 60_000;
  if (at.getTime() > now.getTime() + skew) {
    fail('request_in_future', ['at'], `the request is dated ${at.toISOString()}, after now (${now.toISOString()}) plus ${minutes} minutes of clock skew`);
  }
  if (at.getTime() < now.getTime() - skew) {
    fail('request_too_late', ['at'], `the request is dated ${at.toISOString()}, before now (${now.toISOString()}) minus ${minutes} minutes of clock skew: requests happen at the clock`);
  }
}

/** A request's result, with the ids the host acts on it with (the transaction, and a hold's id). */
function resultOf(requestId: string, replayed: boolean, outcome: ProgramOutcome): RequestResult {
  const tx = outcome.ok ? outcome.transaction : null;
  let holdId: string | undefined;
  for (const e of tx?.entries ?? []) if (e.kind === 'hold') holdId = e.hold.id;
  return { requestId, replayed, outcome, transactionId: tx?.id ?? null, ...(holdId !== undefined ? { holdId } : {}) };
}

/** A decision as the outcome recorded for its request. */
const outcomeOf = (programId: string, decision: Decision): ProgramOutcome =>
  decision.ok ? { programId, ok: true, transaction: decision.transaction, notifications: decision.notifications } : { programId, ok: false, issues: decision.issues };

/**
 * Runs one request idempotently by its id: a repeat with the same payload returns the first
 * outcome (a business refusal included: it is sticky); a different payload is a conflict.
 */
export async function runRequest<R extends { readonly requestId: string; readonly at: Date }>(ctx: ServiceContext, row: RequestOperation<R>, input: unknown): Promise<RequestResult> {
  const { target, rest, now: clockNow } = split(ctx, input);
  const request = parseWith(row.schema, { ...rest, at: clockNow });
  const { requestId } = request;
  const program = ctx.programOf(target.programId);
  // Requests and events keep their idempotency records apart; request ids are per program.
  const key = requestKey(program.id, requestId);
  // `at` is left out: a request is judged at the clock, so a retry later is the same request.
  const { at: now, ...fields } = request;
  const fingerprint = JSON.stringify(encodeLedgerJson({ operation: row.name, programId: program.id, payload: fields }));
  return ctx.store.unit(async (session) => {
    const seen = await session.getProcessed(key);
    const recorded = seen?.outcomes[0];
    if (seen && recorded) {
      if (seen.fingerprint !== fingerprint || seen.customerId !== target.customerId) {
        fail('idempotency_conflict', ['requestId'], `request "${requestId}" was made before with a different payload`);
      }
      return resultOf(requestId, true, recorded);
    }
    checkRequestInstant(program, rest.at, now);
    const customer = await enrolledCustomer(session, target.customerId, program.id);
    const account = await loadAccount(session, program.id, customer.id);
    const { decision, afterWrite } = await row.decide({ ctx, session, target, program, customer, account }, request);
    if (!decision.ok && isInputRefusal(decision.issues)) throw new LoyaltyError(decision.issues);
    const outcome = outcomeOf(program.id, decision);
    const writes = decision.ok && decision.transaction ? [await writeFor(session, program, customer, account, decision.transaction)] : [];
    if (afterWrite) await afterWrite(session);
    const record: ProcessedRecord = { eventId: key, customerId: customer.id, fingerprint, outcomes: [outcome], recordedAt: ctx.clock.now() };
    await session.append(writes, record, decision.ok ? decision.notifications : []);
    return resultOf(requestId, false, outcome);
  });
}

/** `quote`: the checkout slider, a pure quote over the stored account (nothing recorded). */
export async function quoteRequest(ctx: ServiceContext, input: QuoteInput): Promise<Quote> {
  const { target, rest: fields, now } = split(ctx, input);
  const program = ctx.programOf(target.programId);
  checkRequestInstant(program, fields.at, now);
  const request = parseWith(quoteRequestSchema, { ...fields, at: now });
  const fractional = request.points === 'max' ? null : checkUnitAmount(program, request.points);
  if (fractional && !fractional.ok) throw new LoyaltyError(fractional.issues);
  return ctx.store.unit(async (session) => {
    await enrolledCustomer(session, target.customerId, program.id);
    return quoteOrder(program, await loadAccount(session, program.id, target.customerId), request);
  });
}
