// HubSpot (SOURCES.md, "HubSpot"): its config keys and its records → facts.
import { z } from "zod";
import { envName, type SourceKindSpec } from "./kind-spec.ts";

export const hubspotSpec: SourceKindSpec = {
  defaultBaseUrl: "https://api.hubapi.com",
  settings: z.object({ token_env: envName() }).strict(),
};
