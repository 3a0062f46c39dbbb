// A Sephora-like tiered program, end to end over the in-memory store: Insider (0, 1×), VIB ($350 a
// calendar year, 1.5×) and Rouge ($1,000, 2×); status earned in a year holds through the next one.
// Mia crosses into VIB mid-year and earns 1.5× from her next order; Rose reaches Rouge and, spending
// nothing after, steps down one tier a year; Rex does the same in a program that drops straight to
// the tier qualified for. Every figure is checked: a wrong one throws.
// Run: npx tsx examples/tiered.ts
import { createLoyalty, defineProgram, fixedClock, memoryStore, type ProgramConfigInput } from '../src';
import { pointsEarned, tierBenefits, tierOf, tierStatus } from '../src/core';
import type { DecimalInput, InstantInput } from '../src';

const config = {
  kind: 'tiered',
  version: 1,
  currency: 'USD',
  timeZone: 'America/New_York',
  tiers: [
    { id: 'insider', name: 'Insider', threshold: 0 },
    { id: 'vib', name: 'VIB', threshold: 350, multiplier: '1.5', benefits: { freeShipping: true, birthdayGift: 250 } },
    { id: 'rouge', name: 'Rouge', threshold: 1000, multiplier: 2, benefits: { freeShipping: true, earlyAccess: true, birthdayGift: 500, rewards: ['rouge-gift-set'] } },
  ],
  qualification: { basis: 'spend', window: 'calendar_year' },
  rewards: [{ id: 'rouge-gift-set', name: 'Rouge gift set', cost: 500, kind: 'free_product', sku: 'ROUGE-SET' }],
  rules: [{ id: 'dollar-a-point', name: '$1 = 1 point', on: 'purchase', award: { kind: 'per_amount', points: 1, per: 1 } }],
} satisfies Omit<Extract<ProgramConfigInput, { kind: 'tiered' }>, 'id'>;

// The same ladder twice: one drops straight to the tier qualified for, one steps down a tier a year.
const beauty = defineProgram({ ...config, id: 'beauty', retention: { downgrade: 'to_qualified' } });
const steps = defineProgram({ ...config, id: 'beauty-steps', retention: { downgrade: 'one_step' } });

const clock = fixedClock('2026-01-01T12:00:00Z');
const loyalty = createLoyalty({ programs: [beauty, steps], store: memoryStore(), clock });
await loyalty.upsertCustomer({ customer: { id: 'mia', enrolledAt: '2026-01-01T00:00:00Z', birthday: '1994-09-03' }, programs: ['beauty'] });
await loyalty.upsertCustomer({ customer: { id: 'rex', enrolledAt: '2026-01-01T00:00:00Z' }, programs: ['beauty'] });
await loyalty.upsertCustomer({ customer: { id: 'rose', enrolledAt: '2026-01-01T00:00:00Z' }, programs: ['beauty-steps'] });

function expectEqual(what: string, actual: string, expected: string): void {
  if (actual !== expected) throw new Error(`${what}: expected ${expected}, got ${actual}`);
}

let n = 0;
async function buy(customerId: string, price: DecimalInput, at: InstantInput): Promise<string> {
  n += 1;
  clock.set(at);
  const result = await loyalty.process({ id: `ev-${n}`, customerId, type: 'purchase', orderId: `A-${n}`, currency: 'USD', occurredAt: at, lines: [{ lineId: '1', sku: 'lipstick', quantity: 1, unitPrice: price }] });
  const outcome = result.outcomes[0];
  if (!outcome?.ok) throw new Error(`purchase refused: ${JSON.stringify(outcome)}`);
  for (const note of outcome.notifications) if (note.type === 'tier.upgraded') console.log(`  → ${customerId} is now ${note.to.toUpperCase()} (${note.reason})`);
  return pointsEarned(outcome).toString();
}
const stateOf = async (customerId: string, programId: string) => (await loyalty.account({ customerId, programId })).state;

// --- Mia: progress, the upgrade, and 1.5× from the next order -------------------------------
console.log('Mia, 2026:');
expectEqual('$230 earns', await buy('mia', '230.00', '2026-02-14T16:00:00Z'), '230');
const progress = tierStatus(beauty, await stateOf('mia', 'beauty'), new Date('2026-02-15T12:00:00Z'));
console.log(`  $230 spent: "${progress.needed.toFixed(2)} more to reach ${progress.next ?? '-'}"`);
expectEqual('progress', `${progress.needed.toFixed(2)} more to reach ${progress.next ?? '-'}`, '120.00 more to reach vib');
expectEqual('$110 earns', await buy('mia', '110.00', '2026-04-02T16:00:00Z'), '110');
const upgrade = await buy('mia', '20.00', '2026-06-10T16:00:00Z');
console.log(`  $20 on 10 June takes her to $360 and earns ${upgrade} points (the upgrading order earns at the old tier).`);
expectEqual('$20 earns', upgrade, '20');
expectEqual('tier after $360', tierOf(beauty, await stateOf('mia', 'beauty')), 'vib');
const hundred = await buy('mia', '100.00', '2026-06-11T16:00:00Z');
const small = await buy('mia', '19.99', '2026-06-12T16:00:00Z');
console.log(`  As VIB, $100 earns ${hundred} points and $19.99 earns ${small} (1.5×, rounded down once per order).`);
expectEqual('$100 earns at 1.5×', hundred, '150');
expectEqual('$19.99 earns at 1.5×', small, '29');
const perks = tierBenefits(beauty, await stateOf('mia', 'beauty'));
console.log(`  VIB perks: free shipping ${perks.freeShipping ? 'yes' : 'no'}, early access ${perks.earlyAccess ? 'yes' : 'no'}, ${perks.birthdayGift?.toString() ?? 0} points on her birthday.`);
clock.set('2026-06-13T12:00:00Z');
const giftSet = await loyalty.redeemReward({ customerId: 'mia', programId: 'beauty', requestId: 'gift-1', rewardId: 'rouge-gift-set', at: '2026-06-13T12:00:00Z' });
const refusal = giftSet.outcome.ok ? 'issued' : giftSet.outcome.issues.map((i) => `${i.code}: ${i.message}`).join('; ');
console.log(`  She tries the Rouge gift set: ${refusal}.`);
expectEqual('Rouge-only reward for a VIB', giftSet.outcome.ok ? 'issued' : (giftSet.outcome.issues[0]?.code ?? ''), 'not_in_tier');

// --- Rose and Rex reach Rouge -------------------------------------------------------------
console.log('\nRose and Rex, 2026:');
expectEqual('Rose $1,000', await buy('rose', '1000.00', '2026-05-20T16:00:00Z'), '1000');
expectEqual('Rex $1,000', await buy('rex', '1000.00', '2026-05-21T16:00:00Z'), '1000');

// --- Reads are as of an instant: the status on any future date, before any tick has run -------
const tierAt = async (customerId: string, programId: 'beauty' | 'beauty-steps', at: string): Promise<string> =>
  tierOf(programId === 'beauty' ? beauty : steps, await stateOf(customerId, programId), { at: new Date(at) });
console.log('\nIf nobody spends again (New York midnights):');
const projections: [string, 'beauty' | 'beauty-steps', string, string, string][] = [
  // Mia: VIB through 2027 (earned in 2026), Insider from 1 January 2028.
  ['mia', 'beauty', '2028-01-01T04:59:59Z', '31 Dec 2027 23:59:59', 'vib'],
  ['mia', 'beauty', '2028-01-01T05:00:00Z', '1 Jan 2028', 'insider'],
  // Rose (one step a year): Rouge through 2027, VIB on 1 January 2028, Insider on 1 January 2029.
  ['rose', 'beauty-steps', '2027-07-01T00:00:00Z', '1 Jul 2027', 'rouge'],
  ['rose', 'beauty-steps', '2028-01-01T05:00:00Z', '1 Jan 2028', 'vib'],
  ['rose', 'beauty-steps', '2029-01-01T05:00:00Z', '1 Jan 2029', 'insider'],
  // Rex (to the qualified tier): straight to Insider on 1 January 2028.
  ['rex', 'beauty', '2028-01-01T05:00:00Z', '1 Jan 2028', 'insider'],
];
for (const [customerId, programId, at, when, expected] of projections) {
  const tier = await tierAt(customerId, programId, at);
  console.log(`  ${customerId} on ${when}: ${tier}`);
  expectEqual(`${customerId} on ${when}`, tier, expected);
}

// --- Three years pass: a scheduler calls tickDue whenever an account falls due -------------
console.log('\nThree years pass; the scheduler runs tickDue at each due instant and records it all:');
const end = new Date('2029-06-01T00:00:00Z');
for (;;) {
  const dues = await Promise.all([
    loyalty.account({ customerId: 'mia', programId: 'beauty' }),
    loyalty.account({ customerId: 'rex', programId: 'beauty' }),
    loyalty.account({ customerId: 'rose', programId: 'beauty-steps' }),
  ]).then((views) => views.map((v) => v.nextDueAt).filter((d): d is Date => d !== null && d <= end));
  if (dues.length === 0) break;
  const due = new Date(Math.min(...dues.map((d) => d.getTime())));
  clock.set(due);
  await loyalty.tickDue({ now: due });
}
const downgrades: string[] = [];
for (const row of await loyalty.outbox({ limit: 1000 })) {
  const note = row.notification;
  if (note.type === 'tier.downgraded') {
    console.log(`  ${note.at.toISOString().slice(0, 10)} ${note.customerId}: ${note.from} → ${note.to} (${note.reason})`);
    downgrades.push(`${note.at.toISOString()} ${note.customerId} ${note.from}→${note.to}`);
  }
  if (note.type === 'birthday') console.log(`  ${note.at.toISOString().slice(0, 10)} ${note.customerId}: a ${note.points.toString()}-point birthday gift`);
}
expectEqual(
  'downgrades',
  downgrades.join(', '),
  '2028-01-01T05:00:00.000Z mia vib→insider, 2028-01-01T05:00:00.000Z rex rouge→insider, 2028-01-01T05:00:00.000Z rose rouge→vib, 2029-01-01T05:00:00.000Z rose vib→insider',
);
for (const [customerId, programId] of [['mia', 'beauty'], ['rex', 'beauty'], ['rose', 'beauty-steps']] as const) {
  expectEqual(`${customerId} in June 2029`, tierOf(programId === 'beauty' ? beauty : steps, await stateOf(customerId, programId)), 'insider');
}

// Mia's 250-point gift came on her birthdays as VIB (3 September 2026 and 2027), none as Insider in 2028.
const gifts = (await loyalty.outbox({ limit: 1000 })).filter((r) => r.notification.type === 'birthday' && r.notification.customerId === 'mia').length;
expectEqual('Mia birthday gifts', String(gifts), '2');

const history = await loyalty.history({ customerId: 'rose', programId: 'beauty-steps', limit: 100 });
console.log('\nRose’s tier records in the ledger:');
for (const tx of [...history.transactions].reverse()) {
  for (const e of tx.entries) if (e.kind === 'state' && e.key === 'tier') console.log(`  ${tx.at.toISOString().slice(0, 10)}  ${e.reason}`);
}
for (const [customerId, programId] of [['mia', 'beauty'], ['rex', 'beauty'], ['rose', 'beauty-steps']] as const) {
  const issues = await loyalty.verify({ customerId, programId });
  if (issues.length > 0) throw new Error(`${customerId}: the ledger does not fold to its state: ${JSON.stringify(issues)}`);
}
console.log('\nEvery ledger folds to its stored state.');
