// A small JSON Schema (2020-12) checker for the keywords `loyalty-engine schema` emits: enough to
// prove that real program files validate against the emitted schema and that a wrong one fails.
// Returns the paths that fail; unknown keywords are ignored (as a validator treats annotations).
type Schema = Record<string, unknown> | boolean;

const typeOf = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'number' ? (Number.isInteger(v) ? 'integer' : 'number') : typeof v;

function typeMatches(expected: unknown, value: unknown): boolean {
  const actual = typeOf(value);
  const list = Array.isArray(expected) ? expected : [expected];
  return list.some((t) => t === actual || (t === 'number' && actual === 'integer'));
}

export function checkJsonSchema(schema: Schema, value: unknown, root: Record<string, unknown> = schema as Record<string, unknown>, path = '$'): string[] {
  if (schema === true) return [];
  if (schema === false) return [`${path}: not allowed`];
  const s = schema;
  const fail = (why: string): string[] => [`${path}: ${why}`];
  if (typeof s.$ref === 'string') {
    const target = s.$ref.replace(/^#\//, '').split('/').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], root);
    const errors = checkJsonSchema(target as Schema, value, root, path);
    if (errors.length > 0) return errors;
  }
  if (s.type !== undefined && !typeMatches(s.type, value)) return fail(`expected ${JSON.stringify(s.type)}, got ${typeOf(value)}`);
  if ('const' in s && JSON.stringify(s.const) !== JSON.stringify(value)) return fail(`expected ${JSON.stringify(s.const)}`);
  if (Array.isArray(s.enum) && !s.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) return fail(`expected one of ${JSON.stringify(s.enum)}`);
  if (typeof value === 'string' && typeof s.pattern === 'string' && !new RegExp(s.pattern, 'u').test(value)) return fail(`does not match ${s.pattern}`);
  if (typeof value === 'number') {
    if (typeof s.minimum === 'number' && value < s.minimum) return fail(`below ${s.minimum}`);
    if (typeof s.maximum === 'number' && value > s.maximum) return fail(`above ${s.maximum}`);
    if (typeof s.exclusiveMinimum === 'number' && value <= s.exclusiveMinimum) return fail(`not above ${s.exclusiveMinimum}`);
  }
  for (const key of ['anyOf', 'oneOf'] as const) {
    const options = s[key];
    if (!Array.isArray(options)) continue;
    const passing = options.filter((o) => checkJsonSchema(o as Schema, value, root, path).length === 0).length;
    if (passing === 0 || (key === 'oneOf' && passing > 1)) return fail(`${key}: ${passing} options match`);
  }
  if (Array.isArray(value)) return checkArray(s, value, root, path);
  if (typeOf(value) === 'object') return checkObject(s, value as Record<string, unknown>, root, path);
  return [];
}

function checkArray(s: Record<string, unknown>, value: unknown[], root: Record<string, unknown>, path: string): string[] {
  if (typeof s.minItems === 'number' && value.length < s.minItems) return [`${path}: fewer than ${s.minItems} items`];
  if (s.items === undefined) return [];
  return value.flatMap((item, i) => checkJsonSchema(s.items as Schema, item, root, `${path}[${i}]`));
}

function checkObject(s: Record<string, unknown>, value: Record<string, unknown>, root: Record<string, unknown>, path: string): string[] {
  const properties = (s.properties ?? {}) as Record<string, Schema>;
  const errors: string[] = [];
  for (const key of (s.required ?? []) as string[]) if (!(key in value)) errors.push(`${path}.${key}: required`);
  for (const [key, v] of Object.entries(value)) {
    if (key in properties) errors.push(...checkJsonSchema(properties[key] as Schema, v, root, `${path}.${key}`));
    else if (s.additionalProperties !== undefined) errors.push(...checkJsonSchema(s.additionalProperties as Schema, v, root, `${path}.${key}`));
  }
  return errors;
}
