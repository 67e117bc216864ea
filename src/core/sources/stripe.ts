// Stripe (SOURCES.md, "Stripe"): its config keys (the secret or restricted key is
// named by `token_env`, like every other source's token), and subscriptions → one
// mrr fact per customer at every instant one of its subscriptions starts or stops
// counting: the customer's total monthly amount just after it. Discounts and
// mid-life price changes are not reconstructed (docs/sources.md says so).
import { z } from "zod";
import type { Fact } from "../facts/fact.ts";
import { envName, type SourceKindSpec } from "./kind-spec.ts";
import { type MappedRecord, sourceFact } from "./mapped-record.ts";
import { type MoneyContext, toWorkspaceAmount } from "./money.ts";

export const stripeSpec: SourceKindSpec = {
  defaultBaseUrl: "https://api.stripe.com",
  settings: z.object({ token_env: envName() }).strict(),
};

export type StripeSubscription = {
  id: string;
  customer: string | { id: string };
  currency: string;
  status?: string;
  start_date: number;
  trial_end?: number | null;
  ended_at?: number | null;
  items: {
    data: {
      quantity?: number | null;
      price: {
        unit_amount: number | null;
        unit_amount_decimal?: string | null;
        recurring: { interval: "day" | "week" | "month" | "year"; interval_count: number } | null;
      };
    }[];
  };
};

// Stripe amounts are in the currency's smallest unit, except these, which have none.
const ZERO_DECIMAL = new Set("BIF CLP DJF GNF JPY KMF KRW MGA PYG RWF UGX VND VUV XAF XOF XPF".split(" "));
const PER_MONTH: Record<string, number> = { day: 365 / 12, week: 52 / 12, month: 1, year: 1 / 12 };
// Never active: an incomplete first payment, or one that expired unpaid.
const NEVER_ACTIVE = new Set(["incomplete", "incomplete_expired"]);

export function customerOf(subscription: StripeSubscription): string {
  return typeof subscription.customer === "string" ? subscription.customer : subscription.customer.id;
}

/** A subscription's monthly amount in its own currency, or why it has none. */
export function monthlyAmount(subscription: StripeSubscription): number | string {
  const currency = subscription.currency.toUpperCase();
  const unit = ZERO_DECIMAL.has(currency) ? 1 : 100;
  let total = 0;
  for (const item of subscription.items?.data ?? []) {
    const price = item.price;
    const amount = price.unit_amount ?? (price.unit_amount_decimal ? Number(price.unit_amount_decimal) : null);
    if (amount === null || !Number.isFinite(amount)) return "a price without a unit amount (tiered or metered)";
    if (price.recurring === null || price.recurring === undefined) return "a price that does not recur";
    const scale = PER_MONTH[price.recurring.interval];
    if (scale === undefined) return `an unknown interval ${JSON.stringify(price.recurring.interval)}`;
    total += ((amount * (item.quantity ?? 1)) / unit / Math.max(1, price.recurring.interval_count)) * scale;
  }
  return total;
}

type Span = { fromMs: number; toMs: number; monthly: number };

export type StripeMapping = { source: string; money: MoneyContext };

/**
 * One customer's subscriptions → its record of mrr facts. Subscriptions that cannot
 * be counted (another currency without a rate, a price without an amount) are left
 * out of the totals and reported, each under its own key.
 */
export function mapStripeCustomer(
  customer: string,
  subscriptions: readonly StripeSubscription[],
  mapping: StripeMapping,
): { record: MappedRecord; skipped: { key: string; reason: string }[] } {
  const key = `${mapping.source}:customer:${customer}`;
  const skipped: { key: string; reason: string }[] = [];
  const spans: Span[] = [];
  for (const subscription of subscriptions) {
    if (subscription.status !== undefined && NEVER_ACTIVE.has(subscription.status)) continue;
    const subscriptionKey = `${mapping.source}:subscription:${subscription.id}`;
    const own = monthlyAmount(subscription);
    const monthly = typeof own === "string" ? own : toWorkspaceAmount(own, subscription.currency, mapping.money);
    if (typeof monthly === "string") {
      skipped.push({ key: subscriptionKey, reason: `subscription not counted: ${monthly}` });
      continue;
    }
    const fromMs = Math.max(subscription.start_date, subscription.trial_end ?? 0) * 1000;
    const toMs = subscription.ended_at == null ? Number.POSITIVE_INFINITY : subscription.ended_at * 1000;
    if (toMs > fromMs) spans.push({ fromMs, toMs, monthly });
  }
  const instants = [...new Set(spans.flatMap((span) => [span.fromMs, span.toMs]))]
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  const facts: Fact[] = instants.map((at) => {
    const total = spans.reduce((sum, span) => (span.fromMs <= at && at < span.toMs ? sum + span.monthly : sum), 0);
    const value = Math.round(total * 1e6) / 1e6;
    return sourceFact(`${key}:mrr:${new Date(at).toISOString()}`, "mrr", at, { entityId: customer, value });
  });
  return { record: { key, facts, skipped: [] }, skipped };
}
