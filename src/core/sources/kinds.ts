// The source kinds Tandem knows: one line per kind. Its HTTP reader is registered
// beside it in src/main/sources.ts.
import { hubspotSpec } from "./hubspot.ts";
import type { SourceKindSpec } from "./kind-spec.ts";
import { stripeSpec } from "./stripe.ts";

export const SOURCE_KINDS = {
  hubspot: hubspotSpec,
  stripe: stripeSpec,
} as const satisfies Record<string, SourceKindSpec>;

export type SourceKindName = keyof typeof SOURCE_KINDS;
export const SOURCE_KIND_NAMES = Object.keys(SOURCE_KINDS) as SourceKindName[];

export function isSourceKind(kind: unknown): kind is SourceKindName {
  return typeof kind === "string" && Object.hasOwn(SOURCE_KINDS, kind);
}
