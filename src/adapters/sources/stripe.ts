// Stripe's subscriptions list as a source reader (SOURCES.md, "Stripe"). Stripe has
// no "changed since" filter for subscriptions, and a customer's mrr facts depend on
// all its subscriptions at once, so every sync reads the whole list (100 a request,
// `starting_after` the last id) and mirrors every customer: the read covers "all".

import type { SourceReader } from "../../core/sources/reader.ts";
import { customerOf, mapStripeCustomer, type StripeSubscription } from "../../core/sources/stripe.ts";
import type { ReaderContext } from "./reader-context.ts";

const PAGE_SIZE = 100;
// Records per committed page once the list is read.
const CUSTOMERS_PER_PAGE = 500;
// Stripe allows 100 read requests a second live and 25 in test mode: stay under both.
export const STRIPE_REQUESTS_PER_SECOND = 20;

type ListAnswer = { object?: string; data?: StripeSubscription[]; has_more?: boolean };

export function createStripeReader(context: ReaderContext): SourceReader {
  const mapping = { source: context.name, money: context };

  async function readAll(): Promise<Map<string, StripeSubscription[]>> {
    const byCustomer = new Map<string, StripeSubscription[]>();
    let startingAfter: string | undefined;
    for (;;) {
      const url = new URL(`${context.baseUrl}/v1/subscriptions`);
      url.searchParams.set("status", "all");
      url.searchParams.set("limit", String(PAGE_SIZE));
      if (startingAfter !== undefined) url.searchParams.set("starting_after", startingAfter);
      const answer = await context.http.json<ListAnswer>({
        url,
        headers: { authorization: `Bearer ${context.secret("token_env")}` },
      });
      const data = answer.data ?? [];
      for (const subscription of data) {
        const customer = customerOf(subscription);
        const list = byCustomer.get(customer);
        if (list) list.push(subscription);
        else byCustomer.set(customer, [subscription]);
      }
      const last = data[data.length - 1];
      if (answer.has_more !== true || last === undefined) return byCustomer;
      startingAfter = last.id;
    }
  }

  return {
    coverage: () => ({ kind: "all" }),
    async *pages() {
      const customers = [...(await readAll()).entries()];
      for (let start = 0; start < customers.length; start += CUSTOMERS_PER_PAGE) {
        const mapped = customers
          .slice(start, start + CUSTOMERS_PER_PAGE)
          .map(([customer, subscriptions]) => mapStripeCustomer(customer, subscriptions, mapping));
        yield {
          records: mapped.map(({ record }) => ({ key: record.key, facts: record.facts })),
          skipped: mapped.flatMap(({ skipped }) => skipped),
          cursor: null,
        };
      }
    },
  };
}
