import { ZERO, type Decimal } from '../money/decimal';
import { nonEmpty, type Issue } from '../errors';
import type { AccountState, Entry, Transaction } from '../ledger/types';
import type { Customer } from '../schema/customer';
import type { LoyaltyEvent } from '../schema/events';
import { failedLeaves } from '../rules/trace';
import { noticeId, noticePrefix, transactionId } from '../ledger/ids';
import { hooksOf, kindFactValues, KindCache, type KindFactContext } from '../kinds';
import { compiledOf, type CompiledProgram, type Program } from './program';
import { buildFacts } from './facts';
import { checkEvent } from './event-checks';
import { lineMatcher, segmentsOf, selectRules, type LineMatcher, type RuleSelection } from './rule-selection';
import { draftAwardsOnUnits } from './award-units';
import { MAX_SAFE, decimalOfUnits, isPositive, sumOf } from '../money/minor';
import { draftAwards, earnEntries, lineMultipliers } from './awards';
import { applyLimits, awardsPoints, type Draft } from './limits';
import { viewOrder, type OrderView } from './order';
import type { Decision } from './decision';
import type { RuleExplanation, Explanation } from './explain-types';
import type { Notification } from './notifications';
import { refundDecision } from './refund';
import { foldDraft } from './lots';

/** Options of `evaluate` and `explain`. */
export interface EvaluateOptions {
  /** The customer's profile (tags, birthday, zone…); a bare profile is assumed when absent. */
  readonly customer?: Customer | undefined;
  /** The instant of processing: events older than the program's lateness are refused. */
  readonly now?: Date | undefined;
  /** Collect the explanation (rule traces); slower. */
  readonly explain?: boolean | undefined;
  /**
   * For a refund: the account's earlier transactions on the refunded order, oldest first (a store
   * finds them by order id). The state does not keep every order.
   */
  readonly orderTransactions?: readonly Transaction[] | undefined;
}

/** What every step of one evaluation reads: the inputs, the compiled program, and the kind's context with this evaluation's cache. */
class Run {
  readonly compiled: CompiledProgram;
  readonly customer: Customer;
  readonly explain: boolean;
  #kind: KindFactContext | undefined;

  constructor(
    readonly program: Program,
    readonly account: AccountState,
    readonly event: LoyaltyEvent,
    options: EvaluateOptions | undefined,
  ) {
    this.compiled = compiledOf(program);
    this.customer = options?.customer ?? { id: account.customerId, enrolledAt: event.occurredAt, tags: [], attributes: {} };
    this.explain = options?.explain === true;
  }

  /** The kind hooks' context at the event's instant; made when a hook first needs it (the points kind never does), its cache lives as long as this evaluation. */
  get kind(): KindFactContext {
    return (this.#kind ??= { program: this.program, account: this.account, customer: this.customer, at: this.event.occurredAt, cache: new KindCache() });
  }
}

/** The facts the rules read (only those they need, or all when explaining), with the customer's segments. */
function factsOf(run: Run, order: OrderView | undefined): { facts: Record<string, unknown>; segments: string[] } {
  const { compiled, event, customer, account } = run;
  const { timeZone } = run.program.config;
  const only = run.explain ? undefined : compiled.factsNeeded;
  const kindFacts = hooksOf(run.program).facts ? kindFactValues(run.kind, only) : undefined;
  const input = { event, customer, account, timeZone, customerTimeZone: customer.timeZone ?? timeZone, order: order?.summary, kindFacts };
  const facts = only ? compiled.buildFacts(input) : buildFacts(input, { registered: compiled.registeredFacts });
  const segments = segmentsOf(compiled, facts);
  facts['customer.segments'] = segments;
  return { facts, segments };
}

function refusal(issues: Issue[], explanation?: Explanation): Decision {
  const list = nonEmpty(issues);
  if (!list) throw new Error('refusal without issues');
  return explanation ? { ok: false, issues: list, explanation } : { ok: false, issues: list };
}

/** The points of the pending lots among `entries`: `sumOf` of their amounts, without gathering them (most awards are available at once). */
function pendingPoints(entries: readonly Entry[]): Decimal {
  let pending: Decimal[] | undefined;
  for (let k = 0; k < entries.length; k++) {
    const e = entries[k] as Entry;
    if (e.kind === 'earn' && e.lot.account === 'pending') (pending ??= []).push(e.lot.amount);
  }
  return sumOf(pending ?? [], 0);
}

/** The `points.earned` notice of the awards, when they earned anything. */
function earnedNotice(run: Run, entries: readonly Entry[], total: Decimal): Notification[] {
  if (!isPositive(total)) return [];
  const { event, program, account } = run;
  return [{ id: noticeId(noticePrefix('event', event.id), 'points.earned'), type: 'points.earned', programId: program.id, customerId: account.customerId, at: event.occurredAt, points: total, pending: pendingPoints(entries), eventId: event.id }];
}

/** The explanation: each rule's selection, with the award of those that made one (multipliers show their factor). */
function explainAwards(run: Run, selection: RuleSelection, drafts: readonly Draft[], multiplierRules: readonly number[], segments: readonly string[], total: Decimal): Explanation {
  const { config } = run.program;
  const explained: RuleExplanation[] = [...selection.explained];
  for (const draft of drafts) {
    const at = explained.findIndex((r) => r.ruleId === draft.rule.id);
    const prev = explained[at];
    if (prev) explained[at] = { ...prev, award: { kind: draft.rule.award.kind, raw: draft.raw, points: draft.points, clipped: draft.clipped } };
  }
  for (const i of multiplierRules) {
    const rule = config.rules[i];
    const at = explained.findIndex((r) => r.ruleId === rule?.id);
    const prev = explained[at];
    if (prev && rule?.award.kind === 'multiplier') explained[at] = { ...prev, award: { kind: 'multiplier', raw: rule.award.factor, points: ZERO, clipped: [] } };
  }
  return { programId: run.program.id, eventId: run.event.id, segments, rules: explained, points: total };
}

/**
 * Evaluates one customer event under a program against the customer's account: the pure heart of
 * the engine. Returns the transaction to append (lots, limit counters, figures) and the
 * notifications, or typed issues for an expected refusal (self-referral, currency mismatch, an
 * event later than the lateness or dated in the future…). Nothing is mutated; the same inputs give the same output.
 *
 * @example
 * ```ts
 * const d = evaluate(program, account, parseEvent({ id: 'e1', customerId: 'c1', type: 'signup', occurredAt: '2027-01-31T10:00:00Z' }));
 * if (d.ok && d.transaction) account = applyEntries(account, d.transaction);
 * ```
 */
export function evaluate(program: Program, account: AccountState, event: LoyaltyEvent, options?: EvaluateOptions): Decision {
  const run = new Run(program, account, event, options);
  const { config } = program;
  // 1. Check the event; 2. the facts (the kind's facts among them) and segments.
  const issues = checkEvent(program, event, account, options?.now);
  const order = event.type === 'purchase' && issues.length === 0 ? viewOrder(event, config, run.compiled.excluded) : undefined;
  const { facts, segments } = factsOf(run, order);
  if (issues.length > 0) return refusal(issues, run.explain ? { programId: program.id, eventId: event.id, segments, rules: [], points: ZERO } : undefined);
  const orderTransactions = options?.orderTransactions ?? [];
  if (event.type === 'refund') {
    const refunded = refundDecision(program, account, event, orderTransactions);
    if (!refunded.ok) return refunded;
    return withKind(run, undefined, refunded.transaction?.entries ?? [], refunded.notifications, orderTransactions, undefined);
  }
  // 3. Select the rules; 4. line multipliers (rules' and the kind's); 5. draft awards; 6. limits.
  const selection = selectRules(run.compiled, config, event, facts, segments, run.explain);
  const lines = lineMatcher(run.compiled, config, order);
  const multiplierRules = multipliersOf(config, selection.fired);
  const drafts = awardDrafts(run, order, lines, selection.fired, multiplierRules);
  const limits = { account, facts, event, program, windows: run.compiled.windows, keyPrefixes: run.compiled.earn.limitKeyPrefixes, explain: run.explain };
  for (const draft of drafts) if (draft.rule.limits.length > 0 && awardsPoints(draft)) applyLimits(draft, limits);
  // 7. Entries and the earned notice; 8. the explanation; then the kind's own entries.
  const entries = earnEntries(program, account, event, order, drafts);
  const total = totalPoints(drafts);
  const explanation = run.explain ? explainAwards(run, selection, drafts, multiplierRules, segments, total) : undefined;
  return withKind(run, order, entries, earnedNotice(run, entries, total), orderTransactions, explanation);
}

/** The drafts' points summed: on integers while they are safe whole counts (sumOf's result without its array), else by sumOf. */
function totalPoints(drafts: readonly Draft[]): Decimal {
  let total = 0;
  for (const d of drafts) total += d.pointUnits;
  if (total <= MAX_SAFE && total >= -MAX_SAFE) return decimalOfUnits(total, 0);
  return sumOf(drafts.map((d) => d.points), 0);
}

/** The fired rules whose award is a multiplier. */
function multipliersOf(config: Program['config'], fired: readonly number[]): number[] {
  const out: number[] = [];
  for (const i of fired) if (config.rules[i]?.award.kind === 'multiplier') out.push(i);
  return out;
}

/**
 * The draft awards of the fired rules: on integers (award-units.ts), or on Decimals (awards.ts)
 * when explaining (the explanation shows each award before rounding) or when the amounts are too
 * large for the integer paths to give the Decimal path's result.
 */
function awardDrafts(run: Run, order: OrderView | undefined, lines: LineMatcher, fired: readonly number[], multiplierRules: readonly number[]): Draft[] {
  const { config } = run.program;
  const multipliers = hooksOf(run.program).multipliers;
  const kindFactors = multipliers ? multipliers(run.kind) : [];
  const onUnits = run.explain ? undefined : draftAwardsOnUnits({ plan: run.compiled.earn, config, order, lines, fired, multiplierRules, kindFactors });
  return onUnits ?? draftAwards(config, order, lines, fired, lineMultipliers(config, order, lines, multiplierRules, kindFactors));
}

/** Lets the program's kind add its entries and notifications, and assembles the transaction. */
function withKind(
  run: Run,
  order: OrderView | undefined,
  entries: readonly Entry[],
  notifications: readonly Notification[],
  orderTransactions: readonly Transaction[],
  explanation: Explanation | undefined,
): Decision {
  const { program, account, customer, event } = run;
  const hooks = hooksOf(program);
  let all = entries;
  let notes = notifications;
  if (hooks.onEvent) {
    const after = foldDraft(account, event.occurredAt, entries);
    const extra = hooks.onEvent({ program, account, customer, event, order, entries, after, orderTransactions, cache: run.kind.cache });
    const problems = nonEmpty(extra.issues ?? []);
    if (problems) return explanation ? { ok: false, issues: problems, explanation } : { ok: false, issues: problems };
    all = [...entries, ...extra.entries];
    notes = [...notifications, ...extra.notifications];
  }
  const transaction: Transaction | null =
    all.length === 0
      ? null
      : {
          id: transactionId('event', event.id),
          programId: program.id,
          programVersion: program.version,
          customerId: account.customerId,
          at: event.occurredAt,
          cause: { kind: 'event', eventId: event.id, eventType: event.type },
          entries: all,
        };
  const base = { ok: true as const, transaction, notifications: transaction ? notes : [] };
  return explanation ? { ...base, explanation } : base;
}

/**
 * Explains one event without writing anything: which rules fired, which were skipped and why
 * (event type, channel, campaign window, segment), every condition with its fact value, expected
 * value and result, and which limits clipped which award.
 *
 * @example
 * ```ts
 * const x = explain(program, account, event, { customer });
 * x.rules.find((r) => r.ruleId === 'follow')?.award?.clipped[0]?.message; // 'limit of 1 award(s) per lifetime per event.network reached …'
 * ```
 */
export function explain(program: Program, account: AccountState, event: LoyaltyEvent, options?: Omit<EvaluateOptions, 'explain'>): Explanation & { readonly ok: boolean; readonly issues: readonly Issue[] } {
  const d = evaluate(program, account, event, { ...options, explain: true });
  const explanation = d.explanation ?? { programId: program.id, eventId: event.id, segments: [], rules: [], points: ZERO };
  return { ...explanation, ok: d.ok, issues: d.ok ? [] : d.issues };
}

/** The failed leaves of a rule explanation, for a one-line "why not". */
export function whyNot(rule: RuleExplanation): string[] {
  const out: string[] = [...(rule.skipped ?? []).map((s) => `skipped: ${s}`)];
  if (rule.conditions) {
    for (const leaf of failedLeaves(rule.conditions)) {
      out.push(`${leaf.fact}${leaf.path ? ` ${leaf.path}` : ''} ${leaf.operator} ${JSON.stringify(String(leaf.expected))}: was ${String(leaf.factValue)}`);
    }
  }
  return out;
}
