// A fake Stripe (SOURCES.md, "Stripe"): GET /v1/subscriptions?status=all, newest
// first, `limit` (at most 100) and `starting_after`, `{object:"list", data, has_more}`,
// with a secret key; subscription objects shaped as Stripe documents them.
import { bearer, startVendorServer, type VendorServer } from "./vendor-server.ts";

export type FakeSubscriptionInput = {
  customer: string;
  currency?: string;
  /** unix seconds */
  start: number;
  trialEnd?: number | null;
  endedAt?: number | null;
  status?: string;
  items: {
    unitAmount: number | null;
    quantity?: number;
    interval?: "day" | "week" | "month" | "year";
    intervalCount?: number;
  }[];
};

export type FakeStripe = VendorServer & {
  key: string;
  subscriptions: Map<string, Record<string, unknown>>;
  /** creates or replaces a subscription, returning its id */
  put(id: string, input: FakeSubscriptionInput): string;
  remove(id: string): void;
};

export function stripeSubscription(id: string, input: FakeSubscriptionInput, created: number): Record<string, unknown> {
  return {
    id,
    object: "subscription",
    customer: input.customer,
    currency: input.currency ?? "usd",
    status: input.status ?? (input.endedAt ? "canceled" : "active"),
    created,
    start_date: input.start,
    trial_end: input.trialEnd ?? null,
    ended_at: input.endedAt ?? null,
    cancel_at_period_end: false,
    livemode: false,
    items: {
      object: "list",
      data: input.items.map((item, i) => ({
        id: `si_${id}_${i}`,
        object: "subscription_item",
        quantity: item.quantity ?? 1,
        price: {
          id: `price_${id}_${i}`,
          object: "price",
          currency: input.currency ?? "usd",
          unit_amount: item.unitAmount,
          unit_amount_decimal: item.unitAmount === null ? null : String(item.unitAmount),
          recurring: {
            interval: item.interval ?? "month",
            interval_count: item.intervalCount ?? 1,
            usage_type: "licensed",
          },
          type: "recurring",
        },
      })),
      has_more: false,
      url: `/v1/subscription_items?subscription=${id}`,
    },
  };
}

export async function startFakeStripe(options: { key?: string } = {}): Promise<FakeStripe> {
  const key = options.key ?? "rk_test_fake_key";
  const subscriptions = new Map<string, Record<string, unknown>>();
  let created = 1_700_000_000;

  const server = await startVendorServer((request) => {
    if (bearer(request) !== key)
      return {
        status: 401,
        body: {
          error: {
            type: "invalid_request_error",
            message: `Invalid API Key provided: ${(bearer(request) ?? "").slice(0, 8)}****`,
          },
        },
      };
    if (request.path === "/v1/subscriptions" && request.method === "GET") {
      const limit = Math.min(Number(request.query.get("limit") ?? 10), 100);
      const after = request.query.get("starting_after");
      const all = [...subscriptions.values()].sort(
        (a, b) => (b.created as number) - (a.created as number) || String(b.id).localeCompare(String(a.id)),
      );
      const status = request.query.get("status");
      const listed = status === "all" ? all : all.filter((s) => s.status !== "canceled");
      const from = after === null ? 0 : listed.findIndex((s) => s.id === after) + 1;
      if (after !== null && from === 0)
        return {
          status: 400,
          body: { error: { type: "invalid_request_error", message: `No such subscription: '${after}'` } },
        };
      const data = listed.slice(from, from + limit);
      return {
        status: 200,
        body: { object: "list", url: "/v1/subscriptions", has_more: from + limit < listed.length, data },
      };
    }
    return {
      status: 404,
      body: {
        error: {
          type: "invalid_request_error",
          message: `Unrecognized request URL (${request.method}: ${request.path})`,
        },
      },
    };
  });

  return {
    ...server,
    key,
    subscriptions,
    put(id, input) {
      const existing = subscriptions.get(id);
      subscriptions.set(id, stripeSubscription(id, input, (existing?.created as number | undefined) ?? created++));
      return id;
    },
    remove(id) {
      subscriptions.delete(id);
    },
  };
}
