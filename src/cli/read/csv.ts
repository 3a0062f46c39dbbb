// A shop's order export as CSV — one row per order line — read into purchase and refund events.
// Rows of one order (same order id) make one purchase; a row with a refund time adds a refund
// of that line (all its quantity, or `refundedQuantity`), one refund event per order and time.
import { CsvError, parse } from 'csv-parse/sync';
import type { Issue } from '../../errors';
import { eventSchema, type LoyaltyEvent } from '../../schema/events';
import { InputError } from '../errors';
import { REQUIRED_FIELDS, resolveColumns, type ColumnMapping, type OrderLineField } from './mapping';
import type { Located } from './ndjson';
import { check, describeIssue } from './records';
import { normaliseInstant } from './times';

/** Options of the CSV reader. */
export interface CsvOptions {
  readonly mapping: ColumnMapping;
  /** Zone of times written without an offset. */
  readonly timeZone?: string | undefined;
}

interface Row {
  readonly cells: readonly string[];
  readonly line: number;
}

/** One CSV file's parsing state: the file, its columns and how to locate a problem. */
class OrderExport {
  constructor(
    readonly file: string,
    readonly header: readonly string[],
    readonly columns: ReadonlyMap<OrderLineField, number>,
    readonly timeZone: string | undefined,
  ) {}

  cell(row: Row, field: OrderLineField): string | undefined {
    const index = this.columns.get(field);
    const value = index === undefined ? undefined : row.cells[index]?.trim();
    return value === '' ? undefined : value;
  }

  /** An error at a row's cell for a field (column given when the field has a column). */
  errorAt(row: Row, field: OrderLineField | undefined, problem: string): InputError {
    const index = field === undefined ? undefined : this.columns.get(field);
    const column = index === undefined ? undefined : index + 1;
    const name = index === undefined ? field : this.header[index];
    return new InputError({ file: this.file, line: row.line, column, field: name }, problem);
  }
}

/** A numeric cell as a number when it reads as one, else the text (so the schema names the problem). */
const numeric = (text: string | undefined): number | string | undefined =>
  text !== undefined && /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;

const list = (text: string | undefined): string[] | undefined =>
  text === undefined ? undefined : text.split(/[|;]/).map((t) => t.trim()).filter((t) => t !== '');

function parseRows(text: string, file: string): { header: string[]; rows: Row[] } {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { info: true, skip_empty_lines: true, bom: true, relax_column_count: false }) as unknown as typeof records;
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const line = (error as CsvError & { lines?: number }).lines ?? 1;
    throw new InputError({ file, line }, `invalid CSV: ${error.message.replace(/^Invalid Record Length: /, '')}`);
  }
  const [first, ...rest] = records;
  if (first === undefined) throw new InputError({ file, line: 1 }, 'empty CSV: expected a header row');
  return { header: first.record, rows: rest.map((r) => ({ cells: r.record, line: r.info.lines })) };
}

function lineOf(doc: OrderExport, row: Row, index: number): Record<string, unknown> {
  return {
    lineId: doc.cell(row, 'lineId') ?? String(index + 1),
    sku: doc.cell(row, 'sku'),
    categories: list(doc.cell(row, 'categories')),
    tags: list(doc.cell(row, 'tags')),
    quantity: numeric(doc.cell(row, 'quantity')),
    unitPrice: doc.cell(row, 'unitPrice'),
    discount: doc.cell(row, 'discount'),
  };
}

const definedOnly = (record: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));

/** The order's fields shared by its rows, from its first row; a later row may not contradict them. */
function checkSameOrder(doc: OrderExport, first: Row, row: Row): void {
  for (const field of ['customerId', 'currency'] as const) {
    const a = doc.cell(first, field);
    const b = doc.cell(row, field);
    if (b !== undefined && a !== b) throw doc.errorAt(row, field, `order ${doc.cell(row, 'orderId') ?? ''} has ${field} "${a ?? ''}" on line ${first.line} but "${b}" here`);
  }
}

function purchaseOf(doc: OrderExport, orderId: string, rows: readonly Row[]): Record<string, unknown> {
  const first = rows[0] as Row;
  for (const row of rows) checkSameOrder(doc, first, row);
  const at = doc.cell(first, 'occurredAt');
  return definedOnly({
    type: 'purchase',
    id: `order:${orderId}`,
    orderId,
    customerId: doc.cell(first, 'customerId'),
    occurredAt: at === undefined ? undefined : normaliseInstant(at, doc.timeZone),
    currency: doc.cell(first, 'currency'),
    channel: doc.cell(first, 'channel'),
    storeId: doc.cell(first, 'storeId'),
    shipping: doc.cell(first, 'shipping'),
    tax: doc.cell(first, 'tax'),
    pointsRedeemed: doc.cell(first, 'pointsRedeemed'),
    lines: rows.map((row, i) => definedOnly(lineOf(doc, row, i))),
  });
}

/** The row and field a purchase's issue points at: `lines[i].x` is row i's cell x; others the first row's. */
function locatePurchaseIssue(doc: OrderExport, rows: readonly Row[], issue: Issue): InputError {
  const [head, index, leaf] = issue.path;
  if (head === 'lines' && typeof index === 'number') {
    const row = rows[index] ?? (rows[0] as Row);
    return doc.errorAt(row, typeof leaf === 'string' ? (leaf as OrderLineField) : undefined, describeIssue(issue));
  }
  return doc.errorAt(rows[0] as Row, typeof head === 'string' ? (head as OrderLineField) : undefined, describeIssue(issue));
}

function refundsOf(doc: OrderExport, orderId: string, rows: readonly Row[]): { input: Record<string, unknown>; rows: Row[] }[] {
  const byTime = new Map<string, Row[]>();
  for (const row of rows) {
    const at = doc.cell(row, 'refundedAt');
    if (at !== undefined) byTime.set(at, [...(byTime.get(at) ?? []), row]);
  }
  const lineIds = new Map(rows.map((row, i) => [row, doc.cell(row, 'lineId') ?? String(i + 1)]));
  return [...byTime].map(([at, refunded]) => ({
    rows: refunded,
    input: {
      type: 'refund',
      id: `refund:${orderId}:${at}`,
      orderId,
      customerId: doc.cell(rows[0] as Row, 'customerId'),
      occurredAt: normaliseInstant(at, doc.timeZone),
      lines: refunded.map((row) => ({ lineId: lineIds.get(row), quantity: numeric(doc.cell(row, 'refundedQuantity') ?? doc.cell(row, 'quantity')) })),
    },
  }));
}

function groupByOrder(doc: OrderExport, rows: readonly Row[]): Map<string, Row[]> {
  const orders = new Map<string, Row[]>();
  for (const row of rows) {
    const orderId = doc.cell(row, 'orderId');
    if (orderId === undefined) throw doc.errorAt(row, 'orderId', 'required: every row names its order');
    orders.set(orderId, [...(orders.get(orderId) ?? []), row]);
  }
  return orders;
}

function openExport(text: string, file: string, options: CsvOptions): { doc: OrderExport; rows: Row[] } {
  const { header, rows } = parseRows(text, file);
  for (const column of options.mapping.keys()) {
    if (!header.includes(column)) throw new InputError({ file, line: 1 }, `the mapped column "${column}" is not in the header (${header.join(', ')})`);
  }
  const columns = resolveColumns(header, options.mapping);
  const missing = REQUIRED_FIELDS.filter((f) => !columns.has(f));
  if (missing.length > 0) {
    throw new InputError({ file, line: 1, field: missing.join(', ') }, `no column for ${missing.join(', ')}; map one with --map column=field (see "Command line" in the README)`);
  }
  return { doc: new OrderExport(file, header, columns, options.timeZone), rows };
}

/**
 * The purchase and refund events of an order export, in file order (purchases, then refunds);
 * the first bad cell is an InputError with its line, column and column name.
 */
export function parseOrderCsv(text: string, file: string, options: CsvOptions): Located<LoyaltyEvent>[] {
  const { doc, rows } = openExport(text, file, options);
  const purchases: Located<LoyaltyEvent>[] = [];
  const refunds: Located<LoyaltyEvent>[] = [];
  for (const [orderId, orderRows] of groupByOrder(doc, rows)) {
    const first = orderRows[0] as Row;
    const input = purchaseOf(doc, orderId, orderRows);
    const purchase = check(eventSchema, input);
    if (!purchase.ok) throw locatePurchaseIssue(doc, orderRows, purchase.issues[0] as Issue);
    purchases.push({ value: purchase.value, line: first.line, input });
    for (const refund of refundsOf(doc, orderId, orderRows)) {
      const checked = check(eventSchema, refund.input);
      const row = refund.rows[0] as Row;
      if (!checked.ok) {
        const issue = checked.issues[0] as Issue;
        throw doc.errorAt(row, issue.path[0] === 'occurredAt' ? 'refundedAt' : issue.path[0] === 'lines' ? 'refundedQuantity' : undefined, describeIssue(issue));
      }
      refunds.push({ value: checked.value, line: row.line, input: refund.input });
    }
  }
  return [...purchases, ...refunds];
}
