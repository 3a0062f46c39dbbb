// The history a backtest replays: events from NDJSON or an order-export CSV, customers from
// NDJSON (or, without a customers file, one per customer id the events name, enrolled at their
// first event), sorted by time as the replay requires.
import { extname } from 'node:path';
import { customerSchema, type Customer, type CustomerInput } from '../../schema/customer';
import { eventSchema, type LoyaltyEvent, type LoyaltyEventInput } from '../../schema/events';
import { CliError, InputError, usageError } from '../errors';
import { parseOrderCsv } from './csv';
import { readJsonFile, readText } from './files';
import { mappingFromFlags, mappingFromJson, type OrderLineField } from './mapping';
import { parseNdjson, type Located } from './ndjson';

/** Where the history comes from and how to read it. */
export interface HistorySource {
  readonly events: string;
  readonly customers?: string | undefined;
  /** `ndjson` or `csv`; by default from the events file's extension. */
  readonly format?: string | undefined;
  /** `--map column=field` flags. */
  readonly map?: readonly string[] | undefined;
  /** A mapping JSON file `{ "column": "field" }`. */
  readonly mappingFile?: string | undefined;
  /** Zone of CSV times written without an offset. */
  readonly timeZone?: string | undefined;
}

/** A history ready to replay. */
export interface History {
  /** Parsed, sorted by time. */
  readonly events: readonly LoyaltyEvent[];
  /** The same events as read, in the same order: what the replay (and its worker threads) take. */
  readonly eventInputs: readonly LoyaltyEventInput[];
  readonly customers: readonly Customer[];
  /** The same customers as read (a parsed birthday cannot be parsed again), for the replay. */
  readonly customerInputs: readonly CustomerInput[];
  /** True when the customers were made up from the events (no customers file). */
  readonly customersInferred: boolean;
}

function formatOf(source: HistorySource): 'ndjson' | 'csv' {
  const format = source.format ?? (extname(source.events).toLowerCase() === '.csv' ? 'csv' : 'ndjson');
  if (format === 'csv' || format === 'ndjson') return format;
  throw usageError(`--format ${format}: expected ndjson or csv`);
}

function readEvents(source: HistorySource): Located<LoyaltyEvent>[] {
  const text = readText(source.events);
  if (formatOf(source) === 'ndjson') {
    if (source.map !== undefined && source.map.length > 0) throw usageError('--map applies to CSV input only');
    return parseNdjson(text, source.events, eventSchema);
  }
  const mapping = new Map<string, OrderLineField>();
  if (source.mappingFile !== undefined) for (const [k, v] of mappingFromJson(readJsonFile(source.mappingFile), source.mappingFile)) mapping.set(k, v);
  for (const [k, v] of mappingFromFlags(source.map ?? [])) mapping.set(k, v);
  return parseOrderCsv(text, source.events, { mapping, timeZone: source.timeZone });
}

/** One customer per id the events name, enrolled at the first event that names them. */
function customersOf(events: readonly LoyaltyEvent[]): CustomerInput[] {
  const first = new Map<string, Date>();
  for (const e of events) if (!first.has(e.customerId)) first.set(e.customerId, e.occurredAt);
  return [...first].map(([id, enrolledAt]) => ({ id, enrolledAt }));
}

/** Stable sort by time: events at the same instant keep their file order (a purchase before its refund). */
const byTime = (events: Located<LoyaltyEvent>[]): Located<LoyaltyEvent>[] =>
  events.map((e, i) => [e, i] as const).sort((a, b) => a[0].value.occurredAt.getTime() - b[0].value.occurredAt.getTime() || a[1] - b[1]).map(([e]) => e);

/** A customer given twice is refused by the replay; here it is named with both lines. */
function checkUniqueCustomers(customers: readonly Located<Customer>[], file: string): void {
  const seen = new Map<string, number>();
  for (const { value, line } of customers) {
    const first = seen.get(value.id);
    if (first !== undefined) throw new InputError({ file, line, field: 'id' }, `duplicate_customer: customer "${value.id}" is also on line ${first}`);
    seen.set(value.id, line);
  }
}

/** Reads and validates the history; the first bad record is an InputError (exit 2). */
export function loadHistory(source: HistorySource): History {
  const read = byTime(readEvents(source));
  if (read.length === 0) throw new CliError(`${source.events}: no events`);
  const events = read.map((e) => e.value);
  // The schema accepted each input, so it is a LoyaltyEventInput.
  const eventInputs = read.map((e) => e.input as LoyaltyEventInput);
  if (source.customers === undefined) {
    const inputs = customersOf(events);
    return { events, eventInputs, customers: inputs.map((c) => customerSchema.parse(c)), customerInputs: inputs, customersInferred: true };
  }
  const customers = parseNdjson(readText(source.customers), source.customers, customerSchema);
  checkUniqueCustomers(customers, source.customers);
  // The schema accepted each input, so it is a CustomerInput.
  return { events, eventInputs, customers: customers.map((c) => c.value), customerInputs: customers.map((c) => c.input as CustomerInput), customersInferred: false };
}
