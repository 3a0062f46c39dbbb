// The rule language: json-rules-engine conditions, checked when the program is defined and
// compiled into one fast evaluator. Shows a config error with its path, then the condition trace
// of an event. Run: npx tsx examples/rules.ts
import { defineProgram, ProgramConfigError } from '../src';
import { explain, openAccount, parseCustomer, parseEvent, whyNot, type ConditionTrace } from '../src/core';

// 1. A config with two mistakes: an operator that does not exist, and `in` given a string.
try {
  defineProgram({
    kind: 'points',
    id: 'broken',
    version: 1,
    currency: 'USD',
    timeZone: 'Europe/Paris',
    rules: [
      {
        id: 'big-basket',
        on: 'purchase',
        when: { all: [{ fact: 'order.subtotal', operator: 'greaterThanOrEqual', value: 100 }, { fact: 'event.channel', operator: 'in', value: 'app' }] },
        award: { kind: 'fixed', points: 50 },
      },
    ],
  });
} catch (error) {
  if (!(error instanceof ProgramConfigError)) throw error;
  console.log('The config is refused, every problem named by its path:');
  for (const issue of error.issues) console.log(`  ${issue.path.join('.')}: ${issue.message} [${issue.code}]`);
}

// 2. A small, valid program: a shared condition, a segment, a fact-to-fact comparison.
const program = defineProgram({
  kind: 'points',
  id: 'bistro',
  version: 1,
  currency: 'EUR',
  timeZone: 'Europe/Paris',
  conditions: { weekday: { all: [{ fact: 'time.dayOfWeek', operator: 'in', value: [1, 2, 3, 4, 5] }] } },
  segments: { regulars: { all: [{ fact: 'customer.orderCount', operator: 'greaterThanInclusive', value: 3 }] } },
  rules: [
    { id: 'euro-a-point', on: 'purchase', award: { kind: 'per_amount', points: 1, per: 1 } },
    {
      id: 'lunch-bonus',
      on: 'purchase',
      when: {
        all: [
          { condition: 'weekday' },
          { fact: 'time.hour', operator: 'greaterThanInclusive', value: 12 },
          { fact: 'time.hour', operator: 'lessThan', value: 14 },
          { fact: 'order.eligibleSubtotal', operator: 'greaterThanInclusive', value: 20 },
        ],
      },
      award: { kind: 'fixed', points: 30 },
    },
    {
      id: 'regular-double',
      on: 'purchase',
      segments: ['regulars'],
      when: { all: [{ fact: 'order.itemCount', operator: 'greaterThan', value: { fact: 'customer.orderCount' } }] },
      award: { kind: 'multiplier', factor: 2 },
    },
  ],
});
console.log(`\nProgram "${program.id}" compiled in ${program.compileMode} mode.`);

const customer = parseCustomer({ id: 'lea', enrolledAt: '2027-01-01T00:00:00Z', timeZone: 'Europe/Paris' });
const lunch = parseEvent({
  id: 'ticket-42',
  customerId: 'lea',
  type: 'purchase',
  orderId: 'T-42',
  currency: 'EUR',
  // Wednesday 10 March 2027, 12:30 in Paris.
  occurredAt: '2027-03-10T12:30:00+01:00',
  lines: [
    { lineId: '1', sku: 'plat-du-jour', quantity: 1, unitPrice: '16.50' },
    { lineId: '2', sku: 'cafe', quantity: 1, unitPrice: '2.40' },
  ],
});

function show(trace: ConditionTrace, indent: string): void {
  switch (trace.kind) {
    case 'all':
    case 'any':
      console.log(`${indent}${trace.kind} → ${String(trace.result)}`);
      for (const child of trace.children) show(child, `${indent}  `);
      return;
    case 'not':
    case 'condition':
      console.log(`${indent}${trace.kind === 'not' ? 'not' : `condition "${trace.name}"`} → ${String(trace.result)}`);
      show(trace.child, `${indent}  `);
      return;
    case 'always':
      console.log(`${indent}(no condition) → true`);
      return;
    case 'comparison':
      console.log(`${indent}${trace.fact} ${trace.operator} ${String(trace.expected)}: fact is ${String(trace.factValue)} → ${String(trace.result)}`);
      return;
  }
}

const x = explain(program, openAccount(program, 'lea'), lunch, { customer });
console.log(`\nA €18.90 lunch at 12:30 on a Wednesday earns ${x.points.toString()} points. Rule by rule:`);
for (const rule of x.rules) {
  console.log(`- ${rule.ruleId}: ${rule.fired ? `fired, ${rule.award?.points.toString() ?? '×'} ${rule.award?.kind === 'multiplier' ? '' : 'points'}` : 'did not fire'}`);
  if (rule.conditions) show(rule.conditions, '    ');
  if (!rule.fired) for (const reason of whyNot(rule)) console.log(`    why not: ${reason}`);
}
if (x.points.toString() !== '18') throw new Error(`expected 18 points, got ${x.points.toString()}`);
