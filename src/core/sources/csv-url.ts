// The `csv_url` kind (SOURCES.md, "Warehouse and files"): an HTTPS URL of a CSV in
// the import format (a published spreadsheet, say), mirrored whole on every sync.
// A published sheet's URL is itself the key to it, so it may be named by variable
// (`url_env`) instead of written in the config.
import { z } from "zod";
import { envName, type SourceKindSpec } from "./kind-spec.ts";

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** Why a CSV URL is refused, or undefined: https:// only (plain http on this machine, for a local server), no credentials. */
export function csvUrlProblem(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return "expected the CSV's URL, like https://docs.google.com/…/pub?output=csv";
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && LOOPBACK.has(url.hostname)))
    return "expected an https:// URL";
  if (url.username !== "" || url.password !== "") return "the URL must not carry a user name or password";
  return undefined;
}

const CsvUrlSchema = z.string().superRefine((text, ctx) => {
  const problem = csvUrlProblem(text);
  if (problem !== undefined) ctx.addIssue({ code: "custom", message: problem });
});

export const csvUrlSpec: SourceKindSpec = {
  defaultBaseUrl: "https://docs.google.com",
  settings: z
    .object({
      url: CsvUrlSchema.optional(),
      url_env: envName().optional(),
      skip_invalid: z.boolean().default(false),
    })
    .strict()
    .superRefine((settings, ctx) => {
      if ((settings.url === undefined) === (settings.url_env === undefined))
        ctx.addIssue({
          code: "custom",
          message: "name the CSV with url (its URL) or url_env (a variable holding it), one of the two",
        });
    }),
};
