// The Program type on its own, so that program kinds can name it without importing defineProgram
// (which reads the fact catalog, which the kinds feed).
import type { ProgramConfig } from '../schema/program';

/**
 * A validated, compiled program. `config` is the parsed config (amounts as Decimals); the
 * compiled rules are kept inside the library.
 */
export interface Program<C extends ProgramConfig = ProgramConfig, I = unknown> {
  /** Type-level only: the config as written, so literal ids (tiers, rewards) keep their types. Never set. */
  readonly '~input'?: I;
  readonly kind: C['kind'];
  readonly id: string;
  readonly version: number;
  readonly config: C;
  readonly compileMode: 'codegen' | 'closure';
}
