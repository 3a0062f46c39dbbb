// `loyalty-engine simulate` and `compare` through the built bin, on the example data.
import { beforeAll, describe, expect, test } from 'vitest';
import { cli, data, fixture, requireBuild } from './run-cli';

beforeAll(requireBuild);

interface MonthJson {
  label: string;
  all: { points: { issued: string; expired: string } };
}
interface BacktestJson {
  program: { id: string; version: number };
  totals: { issued: string; expired: string; liability: string; outstanding: string };
  tierMix: Record<string, number> | null;
  run: { events: number };
  metrics: { totals: { orders: { count: number } }; periods: MonthJson[] };
}

const beauty = ['--program', data('beauty.json')];
const history = ['--events', data('events.ndjson'), '--customers', data('customers.ndjson')];

/** The columns of each line of a printed table start at the same offsets: the header's. */
function expectAligned(table: string): void {
  const [header = '', rule = '', ...rows] = table.split('\n');
  expect(rule).toMatch(/^-+( {2}-+)+$/);
  const widths = rule.split('  ').map((dashes) => dashes.length);
  expect(header.length).toBeLessThanOrEqual(rule.length);
  for (const row of rows) expect(row.length, row).toBeLessThanOrEqual(rule.length);
  // Right-aligned numeric columns end where the rule's dashes end.
  const lastEnd = widths.reduce((a, b) => a + b + 2, -2);
  for (const row of rows) if (/\d$/.test(row)) expect(row.length, row).toBe(lastEnd);
}

describe('simulate', () => {
  test('NDJSON history: a metrics table and a month table with aligned columns, exit 0', () => {
    const run = cli(['simulate', ...beauty, ...history]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const [title, summary = '', months = ''] = run.stdout.trimEnd().split('\n\n');
    expect(title).toContain('beauty v1 — examples/data/events.ndjson: 288 events, 30 customers');
    expect(summary).toMatch(/^metric\s+value$/m);
    expect(summary).toMatch(/^liability\s+[\d,]+\.\d\d USD$/m);
    expect(summary).toMatch(/^tier rouge\s+\d+$/m);
    expectAligned(months);
    expect(months.split('\n')[2]).toMatch(/^2026-01 /);
  });

  test('--json: one JSON document on stdout, decimals as strings, months adding up to the totals', () => {
    const run = cli(['simulate', ...beauty, ...history, '--json']);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as BacktestJson;
    expect(out.program).toMatchObject({ id: 'beauty', version: 1 });
    expect(out.run.events).toBe(288);
    expect(typeof out.totals.issued).toBe('string');
    expect(out.totals.liability).toMatch(/^\d+(\.\d+)?$/);
    const issued = out.metrics.periods.reduce((sum, p) => sum + BigInt(p.all.points.issued), 0n);
    expect(issued.toString()).toBe(out.totals.issued);
    expect(Object.values(out.tierMix ?? {}).reduce((a, b) => a + b, 0)).toBe(30);
  });

  test('--workers 3 gives the same JSON as one thread', () => {
    const one = cli(['simulate', ...beauty, ...history, '--json']);
    const three = cli(['simulate', ...beauty, ...history, '--json', '--workers', '3']);
    expect(three.code).toBe(0);
    expect(three.stdout).toBe(one.stdout);
  });

  test('CSV order export: rows grouped into orders, refunded lines into refunds', () => {
    const run = cli(['simulate', ...beauty, '--events', data('orders.csv'), '--json']);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as BacktestJson & { totals: { clawedBack: string } };
    // 12 rows: 10 orders, 2 refunds (orders 1003 and 1008).
    expect(out.run.events).toBe(12);
    expect(out.metrics.totals.orders.count).toBe(10);
    expect(out.totals.clawedBack).not.toBe('0');
  });

  test('CSV with other column names: --mapping and --map read it the same as the default names', () => {
    const expected = cli(['simulate', ...beauty, '--events', data('orders.csv'), '--json']).stdout;
    const viaFile = cli(['simulate', ...beauty, '--events', fixture('orders-renamed.csv'), '--mapping', fixture('orders-mapping.json'), '--json']);
    expect(viaFile.code).toBe(0);
    const maps = ['Name=orderId', 'Customer Email=customerId', 'Created at=occurredAt', 'Currency=currency', 'Lineitem sku=sku', 'Lineitem category=categories', 'Lineitem quantity=quantity', 'Lineitem price=unitPrice', 'Lineitem discount=discount', 'Refunded at=refundedAt', 'Refunded quantity=refundedQuantity'];
    const viaFlags = cli(['simulate', ...beauty, '--events', fixture('orders-renamed.csv'), ...maps.flatMap((m) => ['--map', m]), '--json']);
    expect(viaFlags.code).toBe(0);
    const strip = (json: string): unknown => ({ ...(JSON.parse(json) as Record<string, unknown>), run: undefined });
    expect(strip(viaFile.stdout)).toEqual(strip(expected));
    expect(strip(viaFlags.stdout)).toEqual(strip(expected));
  });

  test('CSV without the needed columns names the missing fields and the --map flag', () => {
    const run = cli(['simulate', ...beauty, '--events', fixture('orders-renamed.csv')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('orders-renamed.csv:1');
    expect(run.stderr).toContain('no column for orderId, customerId, occurredAt, sku, quantity, unitPrice');
    expect(run.stderr).toContain('--map column=field');
  });

  test('a bad NDJSON event names the file, the line and the field, exit 2, nothing on stdout', () => {
    const run = cli(['simulate', ...beauty, '--events', fixture('bad-events.ndjson'), '--json']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('bad-events.ndjson:4 (field lines.0.unitPrice): invalid_amount');
  });

  test('a bad CSV cell names the file, the line, the column and its name, exit 2', () => {
    const run = cli(['simulate', ...beauty, '--events', fixture('bad-orders.csv')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('bad-orders.csv:6:7 (field quantity)');
  });

  test('a customer given twice is named with both lines, exit 2', () => {
    const run = cli(['simulate', ...beauty, '--events', data('events.ndjson'), '--customers', fixture('duplicate-customers.ndjson')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('duplicate-customers.ndjson:3 (field id): duplicate_customer: customer "c0000001" is also on line 1');
  });

  test('an invalid program is refused before replaying, with its issues', () => {
    const run = cli(['simulate', '--program', fixture('bad-program.json'), ...history]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/rules\[1\]\.when\.all\[0\]\.operator\s+unknown_operator/);
  });
});

describe('compare', () => {
  const ab = ['compare', data('beauty.json'), data('beauty-v2.json'), ...history];

  test('A vs B side by side, gainers, losers, tier changes and the liability difference', () => {
    const run = cli(ab);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^metric\s+A: beauty v1\s+B: beauty v2$/m);
    expect(run.stdout).toMatch(/^Liability difference \(B − A\): -?[\d,]+\.\d\d USD; \d+ customers differ$/m);
    expect(run.stdout).toContain('Top gainers under B');
    expect(run.stdout).toContain('Top losers under B');
    expect(run.stdout).toMatch(/Tier changes:\nunder A\s+under B\s+customers/);
  });

  test('--json: the difference is B − A of the two results, as decimal strings', () => {
    const run = cli([...ab, '--json']);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as { a: BacktestJson; b: BacktestJson; difference: { liability: string; gainers: number; tierChanges: number } };
    const cents = (s: string): bigint => BigInt(s.replace('.', '').padEnd(s.indexOf('.') < 0 ? s.length + 2 : s.indexOf('.') + 2, '0'));
    const [la, lb, diff] = [out.a.totals.liability, out.b.totals.liability, out.difference.liability].map((s) => Number.parseFloat(s).toFixed(2)).map(cents);
    expect(lb! - la!).toBe(diff);
    expect(out.difference.tierChanges).toBeGreaterThan(0);
  });
});
