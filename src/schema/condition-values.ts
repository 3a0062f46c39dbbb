import type { Issue } from '../errors';
import { isPlainObject, MAX_VALUE_DEPTH } from './condition-nodes';

/*
 * The checks of what a condition node holds besides its children: JSON values (a comparison's
 * value, params, custom properties), `name` and `priority`, and a comparison's fields with its
 * fact reference, if its value is one.
 */

/** Where a node or value sits in the config. */
export type Path = readonly (string | number)[];
/** A node whose keys are not checked yet. */
export type Bag = Record<string, unknown>;

const REFERENCE_KEYS: ReadonlySet<string> = new Set(['fact', 'path', 'params']);

/** An issue of the structural check: `invalid_condition` unless told. */
export function issue(path: Path, message: string, code = 'invalid_condition'): Issue {
  return { code, path, message };
}

/**
 * Checks a JSON value and returns its height (1 for a scalar). `memo` holds the height of every
 * array and object already checked, so a value that shares sub-objects (possible from JS, never
 * from JSON) is checked in time linear in its distinct objects; its depth is still checked
 * wherever it is met again.
 */
function checkJson(value: unknown, path: Path, depth: number, out: Issue[], memo: WeakMap<object, number>): number {
  if (depth > MAX_VALUE_DEPTH) {
    out.push(issue(path, `value nested deeper than ${MAX_VALUE_DEPTH} levels`));
    return 1;
  }
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return 1;
    case 'number':
      if (!Number.isFinite(value)) out.push(issue(path, `${String(value)} is not a JSON number`));
      return 1;
    case 'object': {
      if (value === null) return 1;
      const known = memo.get(value);
      if (known !== undefined) {
        if (depth + known - 1 > MAX_VALUE_DEPTH) out.push(issue(path, `value nested deeper than ${MAX_VALUE_DEPTH} levels`));
        return known;
      }
      let below = 0;
      if (Array.isArray(value)) {
        value.forEach((v: unknown, i) => {
          below = Math.max(below, checkJson(v, [...path, i], depth + 1, out, memo));
        });
      } else if (isPlainObject(value)) {
        for (const key of Object.keys(value)) below = Math.max(below, checkJson(value[key], [...path, key], depth + 1, out, memo));
      } else {
        out.push(issue(path, 'values must be JSON: write amounts as numbers (19.99), not Decimal or Date objects'));
        return 1;
      }
      memo.set(value, below + 1);
      return below + 1;
    }
    default:
      out.push(issue(path, `${typeof value} is not a JSON value`));
      return 1;
  }
}

/** The keys any node may carry: `name` a string, the custom properties JSON, `priority` a positive integer. */
export function checkCommonKeys(node: Bag, path: Path, out: Issue[], memo: WeakMap<object, number>): void {
  if (Object.hasOwn(node, 'name') && typeof node.name !== 'string') out.push(issue([...path, 'name'], 'name must be a string'));
  for (const key of ['id', 'customId', 'description'] as const) if (Object.hasOwn(node, key)) checkJson(node[key], [...path, key], 1, out, memo);
  if (Object.hasOwn(node, 'priority')) {
    const p = node.priority;
    if (typeof p !== 'number' || !Number.isSafeInteger(p) || p < 1) out.push(issue([...path, 'priority'], 'priority must be a positive integer'));
  }
}

/** `node[key]` is a non-empty string. */
export function checkNonEmptyString(node: Bag, key: string, path: Path, out: Issue[]): void {
  const v = node[key];
  if (typeof v !== 'string' || v === '') out.push(issue([...path, key], `${key} must be a non-empty string`));
}

function checkParams(node: Bag, path: Path, out: Issue[], memo: WeakMap<object, number>): void {
  if (!Object.hasOwn(node, 'params')) return;
  if (!isPlainObject(node.params)) out.push(issue([...path, 'params'], 'params must be an object'));
  else checkJson(node.params, [...path, 'params'], 1, out, memo);
}

/**
 * A comparison's own fields: `fact`, `operator`, `path` and `params`, and its `value`: a fact
 * reference with only its allowed keys, or a JSON value.
 */
export function checkLeaf(node: Bag, path: Path, out: Issue[], memo: WeakMap<object, number>): void {
  checkNonEmptyString(node, 'fact', path, out);
  if (!Object.hasOwn(node, 'operator')) out.push(issue([...path, 'operator'], 'a comparison needs an operator'));
  else checkNonEmptyString(node, 'operator', path, out);
  if (Object.hasOwn(node, 'path') && typeof node.path !== 'string') out.push(issue([...path, 'path'], 'path must be a string'));
  checkParams(node, path, out, memo);
  if (!Object.hasOwn(node, 'value')) {
    out.push(issue([...path, 'value'], 'a comparison needs a value (null is a value)'));
    return;
  }
  const value = node.value;
  const at = [...path, 'value'];
  if (isPlainObject(value) && Object.hasOwn(value, 'fact')) {
    for (const key of Object.keys(value)) {
      if (!REFERENCE_KEYS.has(key)) out.push(issue([...at, key], `unknown key "${key}" in a fact reference (allowed: fact, path, params)`));
    }
    checkNonEmptyString(value, 'fact', at, out);
    if (Object.hasOwn(value, 'path') && typeof value.path !== 'string') out.push(issue([...at, 'path'], 'path must be a string'));
    checkParams(value, at, out, memo);
    return;
  }
  if (typeof value === 'object' && value !== null && Object.hasOwn(value, 'fact')) {
    out.push(issue(at, 'an object with a "fact" key is a fact reference and must be a plain object'));
    return;
  }
  checkJson(value, at, 0, out, memo);
}
