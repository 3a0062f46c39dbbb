import type { KindHooks } from './types';
import { pointsLike } from './points';

/** The `punch` kind's hooks (to be completed). */
export const punchHooks: KindHooks = {
  ...pointsLike,
};
