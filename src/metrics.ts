// 'loyalty-engine/metrics': pure, mergeable accumulators of the program metrics (SPEC §11), per
// period and per segment, and the closed-form formulas they use. Re-exports only.
export * from './metrics/index';
