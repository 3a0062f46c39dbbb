import { Decimal, ZERO, ONE } from '../money/decimal';
import { allocate, minorUnits, round, canonicalDecimal } from '../money';
import { addDaysIn, endOfDayIn, endOfMonthIn, endOfWeekIn, endOfYearIn, startOfDayIn, startOfMonthIn, startOfWeekIn, startOfYearIn, zonedParts } from '../time';
import { nonEmpty, type Issue } from '../errors';
import type { AccountState, CounterChange, Entry, LineShare, Transaction } from '../ledger/types';
import type { Customer } from '../schema/customer';
import type { LoyaltyEvent } from '../schema/events';
import type { Campaign, EarningRule, Limit } from '../schema/program';
import { buildFacts } from '../rules/facts';
import { failedLeaves } from '../rules/trace';
import { compiledOf, type CompiledProgram, type Program } from './program';
import { expiresAt } from './expiry';
import { lineFacts, viewOrder, type OrderView } from './order';
import type { Decision } from './decision';
import type { LimitClip, RuleExplanation, RuleSkip, Explanation } from './explain-types';
import type { Notification } from './notifications';
import { refundDecision } from './refund';
import { hooksOf } from '../kinds';
import { foldDraft } from './lots';
import { earnLot, type NewLot } from './earn-lot';
import { lotId as lotIdOf, noticeId, noticePrefix, transactionId } from '../ledger/ids';


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

/** An award a rule makes on one event, before limits. */
interface Draft {
  readonly rule: EarningRule;
  readonly index: number;
  raw: Decimal;
  points: Decimal;
  /** Per-line weights of the award (order events only). */
  readonly weights: readonly Decimal[] | null;
  readonly clipped: LimitClip[];
  readonly counters: CounterChange[];
}

function bareCustomer(account: AccountState, at: Date): Customer {
  return { id: account.customerId, enrolledAt: at, tags: [], attributes: {} };
}

function inCampaign(campaign: Campaign, at: Date, zone: string): boolean {
  const t = at.getTime();
  if (campaign.start && t < campaign.start.getTime()) return false;
  if (campaign.end && t >= campaign.end.getTime()) return false;
  if (campaign.daysOfWeek || campaign.hours) {
    const p = zonedParts(at, zone);
    if (campaign.daysOfWeek && !campaign.daysOfWeek.includes(p.dayOfWeek)) return false;
    if (campaign.hours) {
      const { from, to } = campaign.hours;
      const inside = from <= to ? p.hour >= from && p.hour < to : p.hour >= from || p.hour < to;
      if (!inside) return false;
    }
  }
  return true;
}

function stack(factors: readonly Decimal[], mode: 'highest' | 'additive' | 'multiplicative'): Decimal {
  if (factors.length === 0) return ONE;
  if (mode === 'highest') return Decimal.max(...factors);
  if (mode === 'additive') return factors.reduce((s, f) => s.plus(f.minus(1)), ONE);
  return factors.reduce((s, f) => s.times(f), ONE);
}

/** The window a limit counts in, for an event at `at`: its key part and when the counter can go. */
function limitWindow(limit: Limit, at: Date, zone: string, lateness: number, orderId: string): { id: string; end: Date | null } {
  switch (limit.per) {
    case 'lifetime':
      return { id: 'all', end: null };
    case 'order':
      return { id: `order=${orderId}`, end: addDaysIn(at, lateness, zone) };
    case 'day':
      return { id: `day=${startOfDayIn(at, zone).toISOString()}`, end: endOfDayIn(at, zone) };
    case 'week':
      return { id: `week=${startOfWeekIn(at, zone).toISOString()}`, end: endOfWeekIn(at, zone) };
    case 'month':
      return { id: `month=${startOfMonthIn(at, zone).toISOString()}`, end: endOfMonthIn(at, zone) };
    case 'year':
      return { id: `year=${startOfYearIn(at, zone).toISOString()}`, end: endOfYearIn(at, zone) };
  }
}

// Facts whose values name a thing in a free spelling: `' Twitter'`, `'ｔｗｉｔｔｅｒ'` and `'twitter'` are one network.
const CASE_FREE_FACTS: ReadonlySet<string> = new Set(['event.network', 'event.platform']);
// Format characters (zero-width space and joiner, BOM, soft hyphen…): invisible, so never part of a key.
const FORMAT_CHARS = /\p{Cf}/gu;

/**
 * The value of a limit's key fact, as the counter compares it. Ids (`…Id` facts such as
 * `event.referredCustomerId`) are opaque and kept byte for byte; other text is NFKC-normalised,
 * stripped of format characters and trimmed, and networks and platforms are lower-cased, so a
 * once-per-network limit cannot be bypassed with a space, full-width letters or a zero-width space.
 */
function factKey(fact: string, value: unknown): string {
  if (Decimal.isDecimal(value)) return canonicalDecimal(value);
  if (value instanceof Date) return value.toISOString();
  if (typeof value !== 'string') return JSON.stringify(value) ?? '';
  if (/(Id|\.id)$/.test(fact)) return value;
  const text = value.normalize('NFKC').replace(FORMAT_CHARS, '').trim();
  return CASE_FREE_FACTS.has(fact) ? text.toLowerCase().normalize('NFKC') : text;
}

/** Applies a rule's limits to its award, recording clips and the counter changes it consumes. */
function applyLimits(draft: Draft, account: AccountState, facts: Record<string, unknown>, event: LoyaltyEvent, program: Program): void {
  const { config } = program;
  const orderId = event.type === 'purchase' || event.type === 'refund' ? event.orderId : event.id;
  const pending: CounterChange[] = [];
  draft.rule.limits.forEach((limit, j) => {
    const window = limitWindow(limit, event.occurredAt, config.timeZone, config.latenessDays, orderId);
    const keyPart = limit.key === undefined ? '' : `|${limit.key}=${factKey(limit.key, facts[limit.key])}`;
    const key = `${draft.rule.id}#${j}|${window.id}${keyPart}`;
    const used = account.counters[key];
    const before = draft.points;
    if (limit.count !== undefined) {
      if ((used?.count ?? 0) + 1 > limit.count) draft.points = ZERO;
    } else if (limit.points !== undefined) {
      const room = Decimal.max(ZERO, limit.points.minus(used?.points ?? ZERO));
      if (draft.points.gt(room)) draft.points = room;
    }
    if (!draft.points.eq(before)) {
      const what = limit.count !== undefined ? `${limit.count} award(s)` : `${limit.points?.toString() ?? '0'} points`;
      draft.clipped.push({
        limit: j,
        per: limit.per,
        counter: key,
        before,
        after: draft.points,
        message: `limit of ${what} per ${limit.per}${limit.key ? ` per ${limit.key}` : ''} reached (used ${used?.count ?? 0} award(s), ${(used?.points ?? ZERO).toString()} points)`,
      });
    }
    const keepUntil = window.end === null ? null : addDaysIn(window.end, config.latenessDays, config.timeZone);
    pending.push({ key, count: 1, points: ZERO, keepUntil });
  });
  if (draft.points.gt(0)) for (const c of pending) draft.counters.push({ ...c, points: draft.points });
}

/** The base (per-amount / per-item) award of a rule over the order's lines, with line multipliers. */
function lineAward(rule: EarningRule, order: OrderView, matches: readonly boolean[], multipliers: readonly Decimal[]): { raw: Decimal; weights: Decimal[] } {
  const award = rule.award;
  const weights: Decimal[] = order.lines.map((view, l) => {
    if (!matches[l] || view.excluded) return ZERO;
    const m = multipliers[l] ?? ONE;
    const base = award.kind === 'per_item' ? award.points.times(view.line.quantity) : view.eligible;
    return m.eq(ONE) ? base : base.times(m);
  });
  let raw = weights.reduce((s, w) => s.plus(w), ZERO);
  if (award.kind === 'per_amount') {
    if (award.whole) {
      const base = order.lines.reduce((s, view, l) => (matches[l] && !view.excluded ? s.plus(view.eligible) : s), ZERO);
      const full = base.div(award.per).floor().times(award.points);
      raw = base.isZero() ? ZERO : full.times(raw).div(base);
    } else {
      if (!award.points.eq(ONE)) raw = raw.times(award.points);
      if (!award.per.eq(ONE)) raw = raw.div(award.per);
    }
  }
  return { raw, weights };
}

/** Weights that spread an order-level award (a fixed bonus) over the lines. */
function orderWeights(order: OrderView): Decimal[] {
  const eligible = order.lines.map((v) => v.eligible);
  if (eligible.some((w) => w.gt(0))) return eligible;
  const nets = order.lines.map((v) => v.net);
  if (nets.some((w) => w.gt(0))) return nets;
  return order.lines.map(() => ONE);
}

function refusal(issues: Issue[], explanation?: Explanation): Decision {
  const list = nonEmpty(issues);
  if (!list) throw new Error('refusal without issues');
  return explanation ? { ok: false, issues: list, explanation } : { ok: false, issues: list };
}

function checkEvent(program: Program, event: LoyaltyEvent, account: AccountState, now: Date | undefined): Issue[] {
  const { config } = program;
  const issues: Issue[] = [];
  if (event.customerId !== account.customerId) {
    issues.push({ code: 'wrong_account', path: ['customerId'], message: `event is for ${event.customerId}, account is ${account.customerId}` });
  }
  if (event.programId !== undefined && event.programId !== program.id) {
    issues.push({ code: 'wrong_program', path: ['programId'], message: `event is for program ${event.programId}, not ${program.id}` });
  }
  if ((event.type === 'purchase' || event.type === 'refund') && event.currency !== undefined && event.currency !== config.currency) {
    issues.push({ code: 'currency_mismatch', path: ['currency'], message: `program ${program.id} runs in ${config.currency}, the event is in ${event.currency}` });
  }
  if (event.type === 'purchase') {
    // Whole points, or a spend program's credit in the currency's minor units.
    const places = hooksOf(program).unit(program) === 'points' ? 0 : minorUnits(config.currency);
    if (event.pointsRedeemed.decimalPlaces() > places) {
      issues.push({ code: 'invalid_points', path: ['pointsRedeemed'], message: `redeemed on an order: at most ${places} decimals, got ${event.pointsRedeemed.toString()}` });
    }
  }
  if (event.type === 'referral' && event.referredCustomerId === event.customerId) {
    issues.push({ code: 'self_referral', path: ['referredCustomerId'], message: 'a customer cannot refer themselves' });
  }
  if (now !== undefined) {
    const oldest = addDaysIn(now, -config.latenessDays, config.timeZone);
    if (event.occurredAt.getTime() < oldest.getTime()) {
      issues.push({ code: 'event_too_late', path: ['occurredAt'], message: `events older than ${config.latenessDays} days are refused (occurred ${event.occurredAt.toISOString()}, now ${now.toISOString()})` });
    }
    if (event.occurredAt.getTime() > now.getTime() + config.clockSkewMinutes * 60_000) {
      issues.push({ code: 'event_in_future', path: ['occurredAt'], message: `event is dated ${event.occurredAt.toISOString()}, after now (${now.toISOString()}) plus ${config.clockSkewMinutes} minutes of clock skew` });
    }
  }
  return issues;
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
  const compiled = compiledOf(program);
  const { config } = program;
  const wantExplain = options?.explain === true;
  const issues = checkEvent(program, event, account, options?.now);
  const customer = options?.customer ?? bareCustomer(account, event.occurredAt);
  const order = event.type === 'purchase' && issues.length === 0 ? viewOrder(event, config, compiled.excluded) : undefined;
  const hooks = hooksOf(program);
  const kindCtx = { program, account, customer, at: event.occurredAt };
  const kindFacts = hooks.facts?.(kindCtx);

  const facts = buildFacts(
    {
      event,
      customer,
      account,
      timeZone: config.timeZone,
      customerTimeZone: customer.timeZone ?? config.timeZone,
      order: order?.summary,
      tier: kindFacts?.tier,
      tierNext: kindFacts?.tierNext,
      tierProgress: kindFacts?.tierProgress,
      membershipActive: kindFacts?.membershipActive,
    },
    { registered: compiled.registeredFacts, only: wantExplain ? undefined : compiled.factsNeeded },
  );
  const segments = segmentsOf(compiled, facts);
  facts['customer.segments'] = segments;

  if (issues.length > 0) {
    return refusal(issues, wantExplain ? { programId: program.id, eventId: event.id, segments, rules: [], points: ZERO } : undefined);
  }
  const orderTransactions = options?.orderTransactions ?? [];
  if (event.type === 'refund') {
    const refunded = refundDecision(program, account, event, orderTransactions);
    if (!refunded.ok) return refunded;
    return withKind(program, account, customer, event, undefined, refunded.transaction?.entries ?? [], refunded.notifications, orderTransactions, undefined);
  }

  const explained: RuleExplanation[] = [];
  const fired: number[] = [];
  const candidates = compiled.rulesByType.get(event.type) ?? [];
  const candidateSet = wantExplain ? new Set(candidates) : undefined;
  const ruleIndexes = wantExplain ? config.rules.map((_, i) => i) : candidates;
  for (const i of ruleIndexes) {
    const rule = config.rules[i];
    if (!rule) continue;
    const skipped: RuleSkip[] = [];
    if (candidateSet && !candidateSet.has(i)) skipped.push('event_type');
    if (rule.channels && !rule.channels.includes(event.channel)) skipped.push('channel');
    if (rule.campaign !== undefined) {
      const campaign = config.campaigns[rule.campaign];
      if (!campaign || !inCampaign(campaign, event.occurredAt, config.timeZone)) skipped.push('campaign');
    }
    if (rule.segments && !rule.segments.every((s) => segments.includes(s))) skipped.push('segment');
    if (wantExplain) {
      const trace = rule.when ? compiled.rules.trace(i, facts) : undefined;
      const pass = trace ? trace.result : true;
      if (skipped.length === 0 && pass) fired.push(i);
      explained.push({ ruleId: rule.id, fired: skipped.length === 0 && pass, ...(skipped.length ? { skipped } : {}), ...(trace ? { conditions: trace } : {}) });
    } else if (skipped.length === 0 && (rule.when === undefined || compiled.rules.test(i, facts))) {
      fired.push(i);
    }
  }

  // Line filters and multipliers (order events only).
  let lineFactList: Record<string, unknown>[] | undefined;
  const matchesOf = (i: number): boolean[] => {
    if (!order) return [];
    const rule = config.rules[i];
    if (!rule?.lines) return order.lines.map(() => true);
    lineFactList ??= order.lines.map(lineFacts);
    return lineFactList.map((lf) => compiled.lines.test(i, lf));
  };
  const factorsPerLine: Decimal[][] = order ? order.lines.map(() => []) : [];
  const multiplierRules = fired.filter((i) => config.rules[i]?.award.kind === 'multiplier');
  for (const i of multiplierRules) {
    const rule = config.rules[i];
    if (!rule || rule.award.kind !== 'multiplier') continue;
    const factor = rule.award.factor;
    matchesOf(i).forEach((m, l) => {
      if (m) factorsPerLine[l]?.push(factor);
    });
  }
  const kindFactors = hooks.multipliers?.(kindCtx) ?? [];
  if (kindFactors.length > 0) for (const fs of factorsPerLine) fs.push(...kindFactors);
  const lineMultipliers = factorsPerLine.map((fs) => stack(fs, config.stacking));

  const drafts: Draft[] = [];
  for (const i of fired) {
    const rule = config.rules[i];
    if (!rule || rule.award.kind === 'multiplier') continue;
    let raw: Decimal;
    let weights: Decimal[] | null = null;
    if (rule.award.kind === 'fixed') {
      raw = rule.award.points;
      if (order) weights = orderWeights(order);
    } else if (order) {
      const a = lineAward(rule, order, matchesOf(i), lineMultipliers);
      raw = a.raw;
      weights = a.weights;
    } else raw = ZERO;
    const draft: Draft = { rule, index: i, raw, points: round(raw, 0, config.rounding), weights, clipped: [], counters: [] };
    if (draft.points.gt(0)) applyLimits(draft, account, facts, event, program);
    drafts.push(draft);
  }

  if (wantExplain) {
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
  }

  const entries = earnEntries(program, account, event, order, drafts);
  const total = drafts.reduce((s, d) => s.plus(d.points), ZERO);
  const notifications: Notification[] = [];
  if (total.gt(0)) {
    const pendingPoints = entries.reduce((s, e) => (e.kind === 'earn' && e.lot.account === 'pending' ? s.plus(e.lot.amount) : s), ZERO);
    notifications.push({ id: noticeId(noticePrefix('event', event.id), 'points.earned'), type: 'points.earned', programId: program.id, customerId: account.customerId, at: event.occurredAt, points: total, pending: pendingPoints, eventId: event.id });
  }
  const explanation = wantExplain ? { programId: program.id, eventId: event.id, segments, rules: explained, points: total } : undefined;
  return withKind(program, account, customer, event, order, entries, notifications, orderTransactions, explanation);
}

/** Lets the program's kind add its entries and notifications, and assembles the transaction. */
function withKind(
  program: Program,
  account: AccountState,
  customer: Customer,
  event: LoyaltyEvent,
  order: OrderView | undefined,
  entries: readonly Entry[],
  notifications: readonly Notification[],
  orderTransactions: readonly Transaction[],
  explanation: Explanation | undefined,
): Decision {
  const hooks = hooksOf(program);
  let all = entries;
  let notes = notifications;
  if (hooks.onEvent) {
    const after = foldDraft(account, event.occurredAt, entries);
    const extra = hooks.onEvent({ program, account, customer, event, order, entries, after, orderTransactions });
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

function segmentsOf(compiled: CompiledProgram, facts: Record<string, unknown>): string[] {
  if (compiled.segmentNames.length === 0) return [];
  const results = compiled.segments.evaluate(facts);
  return compiled.segmentNames.filter((_, i) => results[i] === true);
}

function earnEntries(program: Program, account: AccountState, event: LoyaltyEvent, order: OrderView | undefined, drafts: readonly Draft[]): Entry[] {
  const { config } = program;
  const entries: Entry[] = [];
  if (order) {
    entries.push({
      kind: 'activity',
      spend: order.summary.subtotal,
      orders: 1,
      purchaseAt: event.occurredAt,
      orderId: order.summary.id,
      eligible: order.summary.eligibleSubtotal,
      lines: order.lines.map((v) => ({ lineId: v.line.lineId, quantity: v.line.quantity, net: v.net })),
    });
  }
  let debt = account.debt.points ?? ZERO;
  const counters: CounterChange[] = [];
  for (const draft of drafts) {
    if (!draft.points.gt(0)) continue;
    const lotId = lotIdOf({ kind: 'rule', eventId: event.id, ruleId: draft.rule.id });
    for (const c of draft.counters) counters.push({ ...c, lot: lotId });
    const pendingDays = draft.rule.pendingDays ?? (event.type === 'purchase' ? config.pending.purchaseDays : 0);
    const availableAt = pendingDays > 0 ? addDaysIn(event.occurredAt, pendingDays, config.timeZone) : event.occurredAt;
    const lot: NewLot = {
      id: lotId,
      unit: 'points',
      amount: draft.points,
      earnedAt: event.occurredAt,
      availableAt,
      expiresAt: expiresAt(draft.rule.expiry ?? config.expiry, event.occurredAt, config.timeZone),
      account: availableAt.getTime() > event.occurredAt.getTime() ? 'pending' : 'available',
      cause: { eventId: event.id, ruleId: draft.rule.id, programVersion: config.version },
      ...(order ? { orderId: order.summary.id } : {}),
    };
    let lines: LineShare[] | undefined;
    if (order && draft.weights) {
      const shares = allocate(draft.points, draft.weights);
      lines = order.lines.map((v, l) => ({ lineId: v.line.lineId, quantity: v.line.quantity, amount: shares[l] ?? ZERO }));
    }
    const earned = earnLot(lot, debt, draft.rule.id, lines);
    debt = earned.debt;
    entries.push(earned.entry);
  }
  if (counters.length > 0) entries.push({ kind: 'usage', counters });
  return entries;
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
