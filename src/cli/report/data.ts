// The plain data a report is drawn from: what `simulate` and `compare` hand to the HTML report,
// independent of how the metrics are computed. Amounts and points are decimal strings.

/** One calendar month of a program's points (all decimal strings). */
export interface MonthFigures {
  /** `YYYY-MM`. */
  readonly month: string;
  readonly issued: string;
  readonly redeemed: string;
  readonly expired: string;
  /** Outstanding liability at the month's end, in `ProgramFigures.liabilityUnit`. */
  readonly liability: string;
}

/** How many customers ended in a tier. */
export interface TierCount {
  readonly tier: string;
  readonly customers: number;
}

/** One program's figures over the history. */
export interface ProgramFigures {
  /** "A: beauty v1" — how the report names this program. */
  readonly label: string;
  readonly months: readonly MonthFigures[];
  /** Empty when the program has no tiers. */
  readonly tierMix: readonly TierCount[];
  /** Unit of `liability`: a currency code, or `points`. */
  readonly liabilityUnit: string;
  /** Headline figures as label/value pairs, in order (the metrics table). */
  readonly summary: readonly (readonly [string, string])[];
}

/** One customer's difference between program B and program A. */
export interface CustomerDifference {
  readonly customerId: string;
  /** Points (or credit) earned under A and under B, and B − A. */
  readonly a: string;
  readonly b: string;
  readonly difference: string;
}

/** Customers who ended in one tier under A and another under B. */
export interface TierChange {
  readonly from: string;
  readonly to: string;
  readonly customers: number;
}

/** A vs B. */
export interface ComparisonFigures {
  readonly gainers: readonly CustomerDifference[];
  readonly losers: readonly CustomerDifference[];
  readonly tierChanges: readonly TierChange[];
  /** Liability at the end, B − A, in the programs' liability unit. */
  readonly liabilityDifference: string;
}

/** Everything a report shows: one program (simulate) or two (compare). */
export interface ReportData {
  readonly title: string;
  /** "1,204 events, 310 customers, 2026-01 to 2026-12". */
  readonly subtitle: string;
  readonly programs: readonly ProgramFigures[];
  readonly comparison?: ComparisonFigures | undefined;
}
