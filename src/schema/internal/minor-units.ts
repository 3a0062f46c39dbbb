import type { RefinementCtx } from './mini';
import { Decimal } from '../../money/decimal';
import { isCurrencyCode, minorUnits } from '../../money';

/**
 * Refuses (`too_many_decimals`, at `path`) a money amount with more decimals than its currency's
 * minor units: 19.999 USD or 100.5 JPY. Trailing zeros do not count (100.00 JPY is 100 JPY).
 * Skipped when the currency or the amount already failed: their own issue names them.
 */
export function checkMinorUnits(ctx: RefinementCtx, currency: unknown, amount: unknown, path: readonly (string | number)[]): void {
  if (typeof currency !== 'string' || !isCurrencyCode(currency) || !Decimal.isDecimal(amount)) return;
  const places = minorUnits(currency);
  if (amount.decimalPlaces() > places) {
    ctx.addIssue({
      code: 'custom',
      path: [...path],
      message: `${amount.toFixed()} has more than ${places} decimal${places === 1 ? '' : 's'}, the minor units of ${currency}`,
      params: { code: 'too_many_decimals' },
    });
  }
}

/**
 * Prices are money: none has more decimals than the order's currency (19.999 USD is refused at
 * its path, never rounded). The currency is known only on the order, so this runs on the order.
 */
export function checkOrderMinorUnits(
  ctx: RefinementCtx,
  order: { readonly currency: unknown; readonly lines: readonly { readonly unitPrice: unknown; readonly discount: unknown }[]; readonly shipping: unknown; readonly tax: unknown },
): void {
  order.lines.forEach((line, i) => {
    checkMinorUnits(ctx, order.currency, line.unitPrice, ['lines', i, 'unitPrice']);
    checkMinorUnits(ctx, order.currency, line.discount, ['lines', i, 'discount']);
  });
  checkMinorUnits(ctx, order.currency, order.shipping, ['shipping']);
  checkMinorUnits(ctx, order.currency, order.tax, ['tax']);
}
