/**
 * Refusal codes that mean the input was wrong (bad input, an unknown id, a clock-window refusal):
 * the service throws them and records nothing, so a corrected retry works; every other refusal
 * is a business one, recorded for its event or request id and sticky. Shared by the service and
 * the backtest, which must treat an event exactly as the service would.
 */
export const INPUT_REFUSALS: ReadonlySet<string> = new Set(['currency_mismatch', 'event_too_late', 'event_in_future', 'wrong_program', 'wrong_account', 'unknown_line', 'invalid_points', 'unknown_hold']);
