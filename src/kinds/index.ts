import { UnreachableError } from '../errors';
import type { Program } from '../engine/program';
import { paidHooks } from './paid/hooks';
import { pointsHooks } from './points/hooks';
import { punchHooks } from './punch/hooks';
import { spendHooks } from './spend/hooks';
import { tieredHooks } from './tiered/hooks';
import type { KindHooks } from './types';

/** The hooks of a program's kind. */
export function hooksOf(program: Program): KindHooks {
  const kind = program.config.kind;
  switch (kind) {
    case 'points':
      return pointsHooks;
    case 'spend':
      return spendHooks;
    case 'tiered':
      return tieredHooks;
    case 'paid':
      return paidHooks;
    case 'punch':
      return punchHooks;
    default: {
      void (kind satisfies never);
      throw new UnreachableError(kind);
    }
  }
}
export type { KindContext, KindEventContext, KindHooks, KindResult } from './types';
