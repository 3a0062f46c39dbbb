import { builtInOperatorNames, operatorDecoratorNames, resolveOperator } from './operators';
import type { OperatorDecoratorName } from './operators';
import type { ConfigPath, FactSpec, FactType } from './types';
import { push, suggestion } from './validate-issues';
import type { ConditionIssueCode, ValidationContext } from './validate-issues';

/** One side of an operator as far as load time can know it. */
export type Side =
  | { readonly kind: 'const'; readonly value: unknown; readonly path: ConfigPath }
  | { readonly kind: 'fact'; readonly type: FactType; readonly name: string; readonly path: ConfigPath }
  | { readonly kind: 'opaque' };

const OPAQUE: Side = { kind: 'opaque' };

/** The side a fact gives: its type, or unknown once a path reads inside it; opaque for an unknown fact. */
export function factSide(name: string, spec: FactSpec | undefined, path: string | undefined, at: ConfigPath): Side {
  if (spec === undefined) return OPAQUE;
  return { kind: 'fact', type: path === undefined ? spec.type : 'unknown', name, path: at };
}

function requireArray(ctx: ValidationContext, side: Side, code: ConditionIssueCode, operator: string): boolean {
  if (side.kind === 'const' && !Array.isArray(side.value)) {
    push(ctx, code, side.path, `${operator} needs an array value, got ${side.value === null ? 'null' : typeof side.value}`);
    return false;
  }
  if (side.kind === 'fact' && side.type !== 'string[]' && side.type !== 'unknown') {
    push(ctx, code, side.path, `${operator} needs an array, but fact "${side.name}" is a ${side.type}`);
    return false;
  }
  return true;
}

/** Follows the decorators outermost first, tracking what reaches the base operator. */
function checkShapes(
  ctx: ValidationContext,
  decorators: readonly OperatorDecoratorName[],
  i: number,
  base: string,
  a: Side,
  b: Side,
  name: string,
): void {
  const d = decorators[i];
  if (d === undefined) {
    if (base === 'in' || base === 'notIn') requireArray(ctx, b, 'in_value_not_array', name);
    return;
  }
  switch (d) {
    case 'not':
      checkShapes(ctx, decorators, i + 1, base, a, b, name);
      return;
    case 'swap':
      checkShapes(ctx, decorators, i + 1, base, b, a, name);
      return;
    case 'someFact':
    case 'everyFact':
      // A non-array fact makes these false, never an error.
      checkShapes(ctx, decorators, i + 1, base, OPAQUE, b, name);
      return;
    case 'someValue':
    case 'everyValue':
      if (!requireArray(ctx, b, 'value_not_array', name)) return;
      if (b.kind === 'const' && Array.isArray(b.value)) {
        const path = b.path;
        b.value.forEach((v: unknown, j) => checkShapes(ctx, decorators, i + 1, base, a, { kind: 'const', value: v, path: [...path, j] }, name));
      } else checkShapes(ctx, decorators, i + 1, base, a, OPAQUE, name);
      return;
    default: {
      const never: never = d;
      throw new Error(`unreachable ${String(never)}`);
    }
  }
}

function unknownOperatorMessage(ctx: ValidationContext, operator: string): string {
  const known = [...builtInOperatorNames, ...Object.keys(ctx.operators ?? {})];
  const parts = operator.split(':');
  const badDecorator = parts.slice(0, -1).find((p) => !(operatorDecoratorNames as readonly string[]).includes(p));
  return badDecorator !== undefined
    ? `unknown decorator "${badDecorator}" in operator "${operator}" (decorators: ${operatorDecoratorNames.join(', ')})`
    : `unknown operator "${operator}"${suggestion(parts[parts.length - 1] ?? '', known)}`;
}

/**
 * Checks a comparison's operator: that it exists (with its decorators), and that the values
 * reaching an `in` / `notIn` or a `someValue:` / `everyValue:` are arrays where load time can tell.
 */
export function checkOperator(ctx: ValidationContext, operator: string, at: ConfigPath, fact: Side, value: Side): void {
  const op = resolveOperator(operator, ctx.operators);
  if (op === undefined) {
    push(ctx, 'unknown_operator', [...at, 'operator'], unknownOperatorMessage(ctx, operator));
    return;
  }
  checkShapes(ctx, op.decorators, 0, op.base, fact, value, operator);
}
