// STUB until the sources foundation lands (take main's on merge).
export function toWorkspaceAmount(
  amount: number,
  currency: string,
  ctx: { currency: string; rates: Record<string, number> },
): number | string {
  if (currency.toUpperCase() === ctx.currency) return amount;
  const rate = ctx.rates[currency.toUpperCase()];
  return rate === undefined ? `in ${currency}, no rate for ${currency} in the config` : amount * rate;
}
