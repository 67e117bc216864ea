// What a source kind declares besides its reader: its own keys of a `sources:` entry
// in tandem.config.yaml and the vendor's default API host. The registry of kinds is
// kinds.ts; each kind's spec sits beside its record → fact mapping (hubspot.ts, …).
import { z } from "zod";

export type SourceKindSpec = {
  /** the vendor's public API host, used when the entry sets no `base_url` */
  defaultBaseUrl: string;
  /** the kind's own keys (besides name, kind, every, base_url, rates), validated strictly */
  settings: z.ZodObject;
};

/** A key naming an environment variable that holds a secret (`token_env: HUBSPOT_TOKEN`). */
export const envName = () =>
  z
    .string()
    .max(100, "an environment variable name is at most 100 characters")
    .regex(
      /^[A-Z_][A-Z0-9_]*$/,
      "expected the NAME of an environment variable in capitals (like HUBSPOT_TOKEN), not the secret itself",
    );
