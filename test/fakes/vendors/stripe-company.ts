// A synthetic company in the fake Stripe, and the mrr facts its subscriptions should
// yield, reckoned here with a sweep over start and stop events (not Tandem's mapping).
import type { FakeStripe } from "./stripe.ts";

type ExpectedFact = [string, string, string, string | null, number | null, string | null, string | null, string | null];

const DAY = 86_400;
const BASE = 1_751_360_400; // 2025-07-01T09:00:00Z

/** About two subscriptions per customer: monthly, yearly and weekly prices, trials, cancellations. */
export function stripeCompany(fake: FakeStripe, size: { customers: number }): void {
  let n = 0;
  for (let c = 1; c <= size.customers; c++) {
    const subscriptions = c % 3 === 0 ? 1 : 2;
    for (let s = 0; s < subscriptions; s++) {
      n++;
      const start = BASE + ((c * 5 + s * 40) % 400) * DAY;
      const interval = (["month", "year", "week", "month"] as const)[n % 4] ?? "month";
      fake.put(`sub_${n}`, {
        customer: `cus_${c}`,
        start,
        trialEnd: n % 5 === 0 ? start + 14 * DAY : null,
        endedAt: n % 6 === 0 ? start + 120 * DAY + 3600 : null,
        items: [
          { unitAmount: 2900 + (n % 7) * 1000, quantity: 1 + (n % 3), interval, intervalCount: n % 10 === 0 ? 3 : 1 },
          ...(n % 4 === 0 ? [{ unitAmount: 990, quantity: 5 }] : []),
        ],
      });
    }
  }
}

const MONTHS: Record<string, number> = { month: 1, year: 12, week: 12 / 52, day: 12 / 365 };

/** The mrr facts SOURCES.md says the fake's subscriptions yield now. */
export function stripeFacts(
  fake: FakeStripe,
  options: { source: string; currency: string; rates: Record<string, number> },
): ExpectedFact[] {
  // customer → instant (ms) → change of monthly amount
  const deltas = new Map<string, Map<number, number>>();
  for (const raw of fake.subscriptions.values()) {
    const sub = raw as {
      customer: string;
      currency: string;
      start_date: number;
      trial_end: number | null;
      ended_at: number | null;
      items: {
        data: {
          quantity: number;
          price: { unit_amount: number; recurring: { interval: string; interval_count: number } };
        }[];
      };
    };
    const currency = sub.currency.toUpperCase();
    const rate = currency === options.currency ? 1 : options.rates[currency];
    if (rate === undefined) continue;
    let monthly = 0;
    for (const item of sub.items.data) {
      const months = (MONTHS[item.price.recurring.interval] ?? 1) * item.price.recurring.interval_count;
      monthly += (item.price.unit_amount * item.quantity) / 100 / months;
    }
    monthly *= rate;
    const from = Math.max(sub.start_date, sub.trial_end ?? 0) * 1000;
    const to = sub.ended_at === null ? null : sub.ended_at * 1000;
    if (to !== null && to <= from) continue;
    const own = deltas.get(sub.customer) ?? new Map<number, number>();
    deltas.set(sub.customer, own);
    own.set(from, (own.get(from) ?? 0) + monthly);
    if (to !== null) own.set(to, (own.get(to) ?? 0) - monthly);
  }
  const facts: ExpectedFact[] = [];
  for (const [customer, changes] of deltas) {
    let total = 0;
    for (const instant of [...changes.keys()].sort((a, b) => a - b)) {
      total += changes.get(instant) ?? 0;
      const value = Math.abs(total) < 1e-9 ? 0 : total;
      const at = new Date(instant).toISOString();
      facts.push([`${options.source}:customer:${customer}:mrr:${at}`, "mrr", at, customer, value, null, null, null]);
    }
  }
  return facts;
}
