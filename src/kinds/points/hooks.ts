import { pointsLike } from '../shared';
import type { KindHooks } from '../types';

/** The points kind adds nothing to the shared operations: points, at the redemption rate. */
export const pointsHooks: KindHooks = pointsLike;
