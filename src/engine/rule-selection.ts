// Which rules fire on one event: event type, channel, campaign window, segments and conditions;
// the segments the customer is in; which order lines a rule's line filter matches.
import { zonedParts } from '../time';
import type { Campaign, ProgramConfig } from '../schema/program';
import type { CompiledProgram } from './program';
import type { RuleExplanation, RuleSkip } from './explain-types';
import type { OrderView } from './order';
import type { LoyaltyEvent } from '../schema/events';

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

export function segmentsOf(compiled: CompiledProgram, facts: Record<string, unknown>): string[] {
  if (compiled.segmentNames.length === 0) return [];
  const results = compiled.segments.evaluate(facts);
  return compiled.segmentNames.filter((_, i) => results[i] === true);
}

/** The rules that fired (config indexes, in order), and with `explain` every rule's explanation. */
export interface RuleSelection {
  readonly fired: number[];
  readonly explained: RuleExplanation[];
}

/** Why a rule is skipped before its conditions are looked at (empty: it may fire). */
function skipsOf(config: ProgramConfig, i: number, event: LoyaltyEvent, segments: readonly string[], candidates: ReadonlySet<number> | undefined): RuleSkip[] {
  const rule = config.rules[i];
  const skipped: RuleSkip[] = [];
  if (!rule) return skipped;
  if (candidates && !candidates.has(i)) skipped.push('event_type');
  if (rule.channels && !rule.channels.includes(event.channel)) skipped.push('channel');
  if (rule.campaign !== undefined) {
    const campaign = config.campaigns[rule.campaign];
    if (!campaign || !inCampaign(campaign, event.occurredAt, config.timeZone)) skipped.push('campaign');
  }
  if (rule.segments && !rule.segments.every((s) => segments.includes(s))) skipped.push('segment');
  return skipped;
}

/** Whether nothing skips the rule before its conditions (the fast check of {@link skipsOf}, no arrays). */
function mayFire(config: ProgramConfig, i: number, event: LoyaltyEvent, segments: readonly string[]): boolean {
  const rule = config.rules[i];
  if (!rule) return false;
  if (rule.channels && !rule.channels.includes(event.channel)) return false;
  if (rule.campaign !== undefined) {
    const campaign = config.campaigns[rule.campaign];
    if (!campaign || !inCampaign(campaign, event.occurredAt, config.timeZone)) return false;
  }
  if (rule.segments) for (const s of rule.segments) if (!segments.includes(s)) return false;
  return true;
}

/**
 * The rules that fire on `event` with these facts. Without `explain` only the rules of the
 * event's type are looked at; with it, every rule, each with why it was skipped and its trace.
 */
export function selectRules(compiled: CompiledProgram, config: ProgramConfig, event: LoyaltyEvent, facts: Record<string, unknown>, segments: readonly string[], explain: boolean): RuleSelection {
  const explained: RuleExplanation[] = [];
  const fired: number[] = [];
  const candidates = compiled.rulesByType.get(event.type) ?? [];
  if (!explain) {
    for (const i of candidates) {
      if (!mayFire(config, i, event, segments)) continue;
      if (config.rules[i]?.when === undefined || compiled.rules.test(i, facts)) fired.push(i);
    }
    return { fired, explained };
  }
  // Explaining: every rule, each with why it was skipped and its trace.
  const candidateSet = new Set(candidates);
  config.rules.forEach((rule, i) => {
    const skipped = skipsOf(config, i, event, segments, candidateSet);
    const trace = rule.when ? compiled.rules.trace(i, facts) : undefined;
    const pass = trace ? trace.result : true;
    if (skipped.length === 0 && pass) fired.push(i);
    explained.push({ ruleId: rule.id, fired: skipped.length === 0 && pass, ...(skipped.length ? { skipped } : {}), ...(trace ? { conditions: trace } : {}) });
  });
  return { fired, explained };
}

/** Which lines of the order each rule's line filter matches (all lines without a filter; none without an order). */
export interface LineMatcher {
  matches(rule: number): readonly boolean[];
}

const NO_LINES: readonly boolean[] = Object.freeze([]);

/**
 * A line matcher that builds the line facts the program's filters read once, the first time a
 * rule with a line filter asks; rules without a filter share one all-true list.
 */
export function lineMatcher(compiled: CompiledProgram, config: ProgramConfig, order: OrderView | undefined): LineMatcher {
  let lineFactList: Record<string, unknown>[] | undefined;
  let everyLine: readonly boolean[] | undefined;
  return {
    matches(i) {
      if (!order) return NO_LINES;
      const rule = config.rules[i];
      if (!rule?.lines) return (everyLine ??= order.lines.map(() => true));
      lineFactList ??= order.lines.map(compiled.lineFacts);
      return lineFactList.map((lf) => compiled.lines.test(i, lf));
    },
  };
}
