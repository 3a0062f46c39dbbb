/*
 * Generated-code evaluator: one JS function for a whole list of conditions.
 *
 * Safety: nothing from a config or an event is ever written into the source. Fact names,
 * constants and operator functions are passed in arrays and hoisted into local constants named by
 * their index (n3, k7, g2); the source is made only of those names, our own operators and
 * punctuation, and a final check refuses any string literal but the three we write ourselves.
 * Internal: not re-exported by index.ts.
 */
import { Decimal } from '../money/decimal';
import { compareDecimals } from '../money/minor';
import { callFact, collectReads, inOrder, undefinedFact } from './ir';
import type { FactRead, LeafIr, NodeIr, Relation } from './ir';
import type { OperatorFn } from './operators';
import { readPath } from './path';
import type { Facts } from './types';

/**
 * What both compilers produce: one function for the whole list and one per condition.
 *
 * @example
 * ```ts
 * const { evaluate, tests } = compileClosure(roots);
 * evaluate(facts); // [true, false]
 * ```
 */
export interface Evaluator {
  readonly evaluate: (facts: Facts, out?: boolean[]) => boolean[];
  readonly tests: readonly ((facts: Facts) => boolean)[];
}

type Factory = (
  N: readonly string[],
  K: readonly unknown[],
  G: readonly OperatorFn[],
  D: typeof Decimal,
  U: (fact: string) => never,
  P: typeof readPath,
  H: (facts: Facts, fact: string) => boolean,
  C: typeof callFact,
  Q: typeof compareDecimals,
) => Evaluator;

const hasOwn = (facts: Facts, fact: string): boolean => Object.prototype.hasOwnProperty.call(facts, fact);

/** A constant slot key for -0, which a Map would merge with 0. */
const NEGATIVE_ZERO = Symbol('-0');

const ALLOWED_LITERALS: ReadonlySet<string> = new Set(["'use strict'", "'number'", "'object'"]);
const SYMBOL: Readonly<Record<Relation, string>> = { lt: '<', lte: '<=', gt: '>', gte: '>=' };
/** Lists longer than this use indexOf instead of a chain of `===`. */
const MAX_INLINE_LIST = 8;

class Emitter {
  readonly names: string[] = [];
  readonly consts: unknown[] = [];
  readonly fns: OperatorFn[] = [];
  private readonly nameIndex = new Map<string, number>();
  private readonly constIndex = new Map<unknown, number>();
  private readonly fnIndex = new Map<OperatorFn, number>();

  name(fact: string): string {
    let i = this.nameIndex.get(fact);
    if (i === undefined) {
      i = this.names.push(fact) - 1;
      this.nameIndex.set(fact, i);
    }
    return `n${i}`;
  }

  konst(value: unknown): string {
    // Primitives by value, objects (lists, Decimals, path keys) by identity; -0 is not 0.
    const key = Object.is(value, -0) ? NEGATIVE_ZERO : value;
    let i = this.constIndex.get(key);
    if (i === undefined) {
      i = this.consts.push(value) - 1;
      this.constIndex.set(key, i);
    }
    return `k${i}`;
  }

  fn(f: OperatorFn): string {
    let i = this.fnIndex.get(f);
    if (i === undefined) {
      i = this.fns.push(f) - 1;
      this.fnIndex.set(f, i);
    }
    return `g${i}`;
  }
}

/**
 * Emits the reads of one function body: each (fact, path) read once into a local. Reading is
 * side-effect free, so it is hoisted; whether a missing fact throws is decided where a comparison
 * uses it ({@link Reads.check}), so a fact that evaluation never reaches never throws.
 */
class Reads {
  readonly lines: string[] = [];
  /** Locals of plain fact reads, by fact name. */
  private readonly facts = new Map<string, string>();
  /** Locals of path reads, by read id (never a fact name: ids are JSON arrays). */
  private readonly paths = new Map<string, string>();
  private count = 0;
  constructor(private readonly em: Emitter) {}

  private plain(fact: string): string {
    const known = this.facts.get(fact);
    if (known !== undefined) return known;
    const v = `v${this.count++}`;
    this.lines.push(`const ${v} = f[${this.em.name(fact)}];`);
    this.facts.set(fact, v);
    return v;
  }

  of(read: FactRead): string {
    // A fact with params is a host function: called where a comparison uses it, never hoisted.
    if (read.params !== undefined) {
      const call = `C(${this.plain(read.fact)}, ${this.em.konst(read.params)})`;
      return read.keys === undefined ? call : `P(${call}, ${this.em.konst(read.keys)})`;
    }
    if (read.keys === undefined) return this.plain(read.fact);
    const known = this.paths.get(read.id);
    if (known !== undefined) return known;
    const base = this.plain(read.fact);
    const v = `v${this.count++}`;
    this.lines.push(`const ${v} = P(${base}, ${this.em.konst(read.keys)});`);
    this.paths.set(read.id, v);
    return v;
  }

  /** An expression that is true when the fact is present and throws undefined_fact otherwise. */
  check(read: FactRead): string {
    const v = this.plain(read.fact);
    const n = this.em.name(read.fact);
    return `(${v} !== undefined || H(f, ${n}) || U(${n}))`;
  }
}

function leafExpression(leaf: LeafIr, em: Emitter, reads: Reads, strict: boolean): string {
  const e = comparison(leaf, em, reads);
  if (!strict) return e;
  const checks = [reads.check(leaf.read)];
  if (leaf.value.kind === 'fact' && leaf.value.read.fact !== leaf.read.fact) checks.push(reads.check(leaf.value.read));
  return `(${checks.join(' && ')} && ${e})`;
}

function comparison(leaf: LeafIr, em: Emitter, reads: Reads): string {
  const a = reads.of(leaf.read);
  const g = em.fn(leaf.evaluate);
  const plan = leaf.plan;
  switch (plan.kind) {
    case 'generic': {
      const b = leaf.value.kind === 'fact' ? reads.of(leaf.value.read) : em.konst(leaf.value.value);
      return `${g}(${a}, ${b})`;
    }
    case 'strict':
      return `(${a} ${plan.negate ? '!==' : '==='} ${em.konst(plan.k)})`;
    case 'number': {
      const k = em.konst(plan.k);
      return `(typeof ${a} === 'number' ? ${a} ${plan.negate ? '!==' : '==='} ${k} : ${g}(${a}, ${k}))`;
    }
    case 'list': {
      let fast: string;
      if (plan.list.length === 0) fast = plan.negate ? 'true' : 'false';
      else if (plan.list.length > MAX_INLINE_LIST) fast = `(${em.konst(plan.list)}.indexOf(${a}) ${plan.negate ? '===' : '!=='} -1)`;
      else {
        const tests = plan.list.map((x) => `${a} ${plan.negate ? '!==' : '==='} ${em.konst(x)}`);
        fast = `(${tests.join(plan.negate ? ' && ' : ' || ')})`;
      }
      // A Decimal or a Date equals a number in the list only by value: those go generic.
      return plan.numbers ? `(typeof ${a} === 'object' && ${a} !== null ? ${g}(${a}, ${em.konst(plan.list)}) : ${fast})` : fast;
    }
    case 'compare': {
      const s = SYMBOL[plan.rel];
      const k = em.konst(plan.k);
      const decimal = `${a} instanceof D ? Q(${a}, ${em.konst(plan.kd)}) ${s} 0`;
      const number = `typeof ${a} === 'number' ? ${a} ${s} ${k}`;
      return plan.decimalFirst ? `(${decimal} : ${number} : ${g}(${a}, ${k}))` : `(${number} : ${decimal} : ${g}(${a}, ${k}))`;
    }
    case 'contains':
      return `(isArray(${a}) && ${a}.indexOf(${em.konst(plan.k)}) ${plan.negate ? '===' : '!=='} -1)`;
    default: {
      const never: never = plan;
      throw new Error(`unreachable ${String(never)}`);
    }
  }
}

function expression(node: NodeIr, em: Emitter, reads: Reads, strict: boolean): string {
  switch (node.kind) {
    case 'all':
    case 'any':
      // json-rules-engine: an empty all and an empty any both hold. Siblings run by priority and stop once decided.
      if (node.children.length === 0) return 'true';
      return `(${inOrder(node).map((c) => expression(c, em, reads, strict)).join(node.kind === 'all' ? ' && ' : ' || ')})`;
    case 'not':
      return `!(${expression(node.child, em, reads, strict)})`;
    case 'ref':
      return expression(node.child, em, reads, strict);
    case 'leaf':
      return leafExpression(node, em, reads, strict);
    default: {
      const never: never = node;
      throw new Error(`unreachable ${String(never)}`);
    }
  }
}

/**
 * The generated source and the arrays it reads its names, constants and operators from.
 *
 * @example
 * ```ts
 * const { source, names } = generateSource(roots); // source mentions n0, names[0] is 'event.type'
 * ```
 */
export interface GeneratedSource {
  readonly source: string;
  readonly names: readonly string[];
  readonly consts: readonly unknown[];
  readonly fns: readonly OperatorFn[];
}

/**
 * Generates the source of the evaluator and its inputs. Exposed for the tests, which check that
 * no config text reaches it.
 *
 * @example
 * ```ts
 * generateSource([buildIr(when, [0], ctx)]).source.includes('purchase'); // false: values are K[i]
 * ```
 */
export function generateSource(roots: readonly (NodeIr | undefined)[], options?: { readonly allowUndefinedFacts?: boolean | undefined }): GeneratedSource {
  const strict = options?.allowUndefinedFacts !== true;
  const em = new Emitter();
  const tests: string[] = [];
  roots.forEach((root, i) => {
    if (root === undefined) {
      tests.push(`function t${i}(f) { return true; }`);
      return;
    }
    const reads = new Reads(em);
    const e = expression(root, em, reads, strict);
    tests.push(`function t${i}(f) {\n  ${reads.lines.join('\n  ')}\n  return ${e};\n}`);
  });

  // evaluate: every fact read once up front (presence is checked where used), then one assignment per condition.
  const reads = new Reads(em);
  const all = new Map<string, FactRead>();
  for (const root of roots) if (root !== undefined) collectReads(root, all);
  for (const read of all.values()) reads.of(read);
  const assignments = roots.map((root, i) => `out[${i}] = ${root === undefined ? 'true' : expression(root, em, reads, strict)};`);

  const hoist = (prefix: string, count: number, array: string): string =>
    count === 0 ? '' : `const ${Array.from({ length: count }, (_, i) => `${prefix}${i} = ${array}[${i}]`).join(', ')};\n`;
  const body = [
    `function evaluate(f, out) {`,
    `  if (out === undefined) out = [];`,
    ...reads.lines.map((l) => `  ${l}`),
    ...assignments.map((l) => `  ${l}`),
    `  return out;`,
    `}`,
  ].join('\n');
  const source =
    `'use strict';\nconst isArray = Array.isArray;\n` +
    hoist('n', em.names.length, 'N') +
    hoist('k', em.consts.length, 'K') +
    hoist('g', em.fns.length, 'G') +
    `${tests.join('\n')}\n${body}\nreturn { evaluate: evaluate, tests: [${roots.map((_, i) => `t${i}`).join(', ')}] };\n`;

  for (const literal of source.match(/'[^']*'|"[^"]*"|`/g) ?? []) {
    if (!ALLOWED_LITERALS.has(literal)) throw new Error(`generated code contains an unexpected literal ${literal}`);
  }
  return { source, names: em.names, consts: em.consts, fns: em.fns };
}

/**
 * Compiles the conditions into one generated function. Throws whatever `new Function` throws
 * where code generation is disallowed (an EvalError under CSP and on some edge runtimes).
 *
 * @example
 * ```ts
 * const evaluator = compileCodegen(roots);
 * ```
 */
export function compileCodegen(roots: readonly (NodeIr | undefined)[], options?: { readonly allowUndefinedFacts?: boolean | undefined }): Evaluator {
  const { source, names, consts, fns } = generateSource(roots, options);
  const factory = new Function('N', 'K', 'G', 'D', 'U', 'P', 'H', 'C', 'Q', source) as Factory;
  return factory(names, consts, fns, Decimal, undefinedFact, readPath, hasOwn, callFact, compareDecimals);
}
