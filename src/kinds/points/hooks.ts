
import type { KindHooks } from '../types';

/** The points kind adds nothing to the shared operations: points, at the redemption rate. */
export const pointsHooks: KindHooks = {
  unit: () => 'points',
  rate: (program) => program.config.redemption.pointsPerUnit,
};

/** Hooks shared by kinds that earn and burn points like the points kind. */
export const pointsLike: Pick<KindHooks, 'unit' | 'rate'> = pointsHooks;
