// How the columns of a shop's order export map to the fields of an order line. The defaults are
// the snake_case names below; `--map column=field` (or a mapping JSON file `{ "column": "field" }`)
// renames, e.g. `--map "Created at=occurredAt"`.
import { CliError, usageError } from '../errors';

/** The fields of one CSV row (one order line), in the library's names. */
export const ORDER_LINE_FIELDS = [
  'orderId',
  'customerId',
  'occurredAt',
  'currency',
  'lineId',
  'sku',
  'categories',
  'tags',
  'quantity',
  'unitPrice',
  'discount',
  'shipping',
  'tax',
  'pointsRedeemed',
  'channel',
  'storeId',
  'refundedAt',
  'refundedQuantity',
] as const;

/** A field of an order line that a CSV column can fill. */
export type OrderLineField = (typeof ORDER_LINE_FIELDS)[number];

/** Fields every row needs; the others are optional columns. */
export const REQUIRED_FIELDS: readonly OrderLineField[] = ['orderId', 'customerId', 'occurredAt', 'currency', 'sku', 'quantity', 'unitPrice'];

/** The column each field is read from when no mapping says otherwise. */
export const DEFAULT_COLUMNS: Readonly<Record<OrderLineField, readonly string[]>> = {
  orderId: ['order_id'],
  customerId: ['customer_id'],
  occurredAt: ['created_at'],
  currency: ['currency'],
  lineId: ['line_id'],
  sku: ['sku'],
  categories: ['category', 'categories'],
  tags: ['tags'],
  quantity: ['quantity'],
  unitPrice: ['unit_price'],
  discount: ['discount'],
  shipping: ['shipping'],
  tax: ['tax'],
  pointsRedeemed: ['points_redeemed'],
  channel: ['channel'],
  storeId: ['store_id'],
  refundedAt: ['refunded_at'],
  refundedQuantity: ['refunded_quantity'],
};

/** Column name → field, as given on the command line or in a mapping file. */
export type ColumnMapping = ReadonlyMap<string, OrderLineField>;

const isField = (name: string): name is OrderLineField => (ORDER_LINE_FIELDS as readonly string[]).includes(name);

function fieldOrThrow(field: string, where: string): OrderLineField {
  if (isField(field)) return field;
  throw usageError(`${where}: "${field}" is not an order-line field; the fields are ${ORDER_LINE_FIELDS.join(', ')}`);
}

/** Reads `--map column=field` flags (the last `=` splits, so a column name may contain one). */
export function mappingFromFlags(flags: readonly string[]): Map<string, OrderLineField> {
  const out = new Map<string, OrderLineField>();
  for (const flag of flags) {
    const at = flag.lastIndexOf('=');
    if (at <= 0) throw usageError(`--map ${flag}: expected column=field, e.g. --map "Created at=occurredAt"`);
    out.set(flag.slice(0, at), fieldOrThrow(flag.slice(at + 1), `--map ${flag}`));
  }
  return out;
}

/** Reads a mapping JSON file's object `{ "column": "field" }`. */
export function mappingFromJson(value: unknown, file: string): Map<string, OrderLineField> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new CliError(`${file}: a column mapping is a JSON object { "column": "field" }`);
  const out = new Map<string, OrderLineField>();
  for (const [column, field] of Object.entries(value)) {
    if (typeof field !== 'string') throw new CliError(`${file}: the field for column "${column}" must be a string`);
    out.set(column, fieldOrThrow(field, file));
  }
  return out;
}

/**
 * The column index of each field in a header: an explicit mapping first, then the default
 * names. A field mapped explicitly never falls back to its default column.
 */
export function resolveColumns(header: readonly string[], mapping: ColumnMapping): Map<OrderLineField, number> {
  const out = new Map<OrderLineField, number>();
  for (const [column, field] of mapping) {
    const index = header.indexOf(column);
    if (index >= 0) out.set(field, index);
  }
  const mapped = new Set(mapping.values());
  for (const field of ORDER_LINE_FIELDS) {
    if (out.has(field) || mapped.has(field)) continue;
    const index = header.findIndex((h) => DEFAULT_COLUMNS[field].includes(h.trim().toLowerCase()));
    if (index >= 0) out.set(field, index);
  }
  return out;
}
