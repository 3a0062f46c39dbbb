import type { KindHooks } from './types';
import { pointsLike } from './points';

/** The `spend` kind's hooks (to be completed). */
export const spendHooks: KindHooks = {
  ...pointsLike,
};
