// The workspace has one currency (SOURCES.md, "Money is one currency"): an amount in
// another currency is converted at the config's fixed rate, or the record is skipped.

export type MoneyContext = {
  /** the workspace's currency (ISO 4217) */
  currency: string;
  /** fixed rates into it: { EUR: 1.08 } means one euro is 1.08 of the workspace currency */
  rates: Readonly<Record<string, number>>;
};

/** The amount in the workspace currency, or why it cannot be (a reason for the skipped report). */
export function toWorkspaceAmount(
  amount: number,
  currency: string | null | undefined,
  money: MoneyContext,
): number | string {
  const code = (currency ?? money.currency).trim().toUpperCase();
  if (code === money.currency) return amount;
  const rate = money.rates[code];
  if (rate === undefined)
    return `in ${code}, not ${money.currency}, and the config gives no rate for ${code} (rates: { ${code}: … })`;
  return amount * rate;
}
