// Stripe (SOURCES.md, "Stripe"): its config keys (the secret or restricted key is
// named by `token_env`, like every other source's token) and subscriptions → mrr facts.
import { z } from "zod";
import { envName, type SourceKindSpec } from "./kind-spec.ts";

export const stripeSpec: SourceKindSpec = {
  defaultBaseUrl: "https://api.stripe.com",
  settings: z.object({ token_env: envName() }).strict(),
};
