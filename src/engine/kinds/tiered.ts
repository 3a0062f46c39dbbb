import type { KindHooks } from './types';
import { pointsLike } from './points';

/** The `tiered` kind's hooks (to be completed). */
export const tieredHooks: KindHooks = {
  ...pointsLike,
};
