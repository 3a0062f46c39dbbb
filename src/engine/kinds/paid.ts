import type { KindHooks } from './types';
import { pointsLike } from './points';

/** The `paid` kind's hooks (to be completed). */
export const paidHooks: KindHooks = {
  ...pointsLike,
};
