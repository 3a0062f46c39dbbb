import type { FactReference } from '../schema/condition';
import { pathProblem } from './path';
import type { ConfigPath, FactSpec } from './types';
import { push, suggestion } from './validate-issues';
import type { ValidationContext } from './validate-issues';

/** A fact name no catalogue may use: it would read a prototype property of the facts object. */
function isForbiddenFactName(name: string): boolean {
  return name === '__proto__' || name in Object.prototype;
}

function lookupFact(ctx: ValidationContext, name: string, at: ConfigPath): FactSpec | undefined {
  if (isForbiddenFactName(name)) {
    push(ctx, 'forbidden_fact', at, `"${name}" cannot name a fact`);
    return undefined;
  }
  if (!Object.hasOwn(ctx.facts, name)) {
    push(ctx, 'unknown_fact', at, `unknown fact "${name}"${suggestion(name, Object.keys(ctx.facts))}`);
    return undefined;
  }
  return ctx.facts[name];
}

function checkPath(ctx: ValidationContext, path: string, at: ConfigPath, fact: string, spec: FactSpec | undefined): void {
  const problem = pathProblem(path);
  if (problem === 'forbidden') {
    push(ctx, 'forbidden_path', at, `path "${path}" reaches __proto__, constructor or prototype`);
    return;
  }
  if (problem === 'invalid') {
    push(ctx, 'invalid_path', at, `path "${path}" is not a supported path: names, indexes and [*], like "$.a.b", "$.items[0].sku" or "$.items[*].sku" (no "..", filters, slices or quoted keys)`);
    return;
  }
  if (spec !== undefined && spec.type !== 'unknown' && spec.type !== 'string[]') {
    push(ctx, 'path_not_applicable', at, `fact "${fact}" is a ${spec.type}; a path only applies to an object fact`);
  }
}

/**
 * Checks where a comparison reads a fact, its own (`at` the comparison) or a fact reference's
 * (`at` its value): the fact is in the catalogue, its path is supported and applies, and it
 * takes params if given some. Returns the fact's spec, undefined when the fact is unknown.
 */
export function checkFactUse(ctx: ValidationContext, use: FactReference, at: ConfigPath): FactSpec | undefined {
  const spec = lookupFact(ctx, use.fact, [...at, 'fact']);
  if (use.path !== undefined) checkPath(ctx, use.path, [...at, 'path'], use.fact, spec);
  if (use.params !== undefined && spec !== undefined && spec.params !== true) {
    push(ctx, 'params_not_supported', [...at, 'params'], `fact "${use.fact}" takes no params (only facts registered with params: true do)`);
  }
  return spec;
}
