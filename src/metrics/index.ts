export { metricsAccumulator, computeMetrics, computeMetricsSync, type MetricsAccumulator } from './accumulator';
export {
  adoptionRate,
  averageOrderValue,
  breakageRate,
  churnRate,
  customerLifetimeValue,
  customerValue,
  lifespanFromChurn,
  pointsLiability,
  purchaseFrequency,
  redemptionRate,
  retentionRate,
} from './formulas';
export type { MetricsState } from './state';
export type { MetricsSnapshot } from './snapshot';
export { UNSEGMENTED } from './types';
export type {
  Accumulator,
  LiftSide,
  MetricsInput,
  MetricsOptions,
  MetricsPeriod,
  MetricsReport,
  MetricsRow,
  MetricsSegment,
  PeriodMetrics,
  PointsFlow,
  PointsFlowAccount,
} from './types';
