// The `sources:` list of tandem.config.yaml (SOURCES.md, "Configuration"): the keys
// every source has, each kind's own keys (src/core/sources/kinds.ts), and secrets,
// which are only ever named by environment variable. Errors come out through
// metrics-config.ts like every other key's: line, key path, did-you-mean.
import { z } from "zod";
import { isSourceKind, SOURCE_KIND_NAMES, SOURCE_KINDS, type SourceKindName } from "../core/sources/kinds.ts";

export const SOURCE_NAME = /^[a-z0-9]+(-[a-z0-9]+)*$/;
export const MIN_EVERY_MS = 5 * 60_000;
export const DEFAULT_EVERY = "1h";
const COMMON_KEYS = ["name", "kind", "every", "base_url", "rates"] as const;
const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const UNIT_MS: Record<string, number> = { m: MINUTE, h: HOUR, d: DAY };

/** Words that name a secret: written inline they are refused, whatever the kind. */
const SECRET_KEYS = new Set([
  "token",
  "api_key",
  "apikey",
  "key",
  "secret",
  "secret_key",
  "client_secret",
  "password",
  "access_token",
  "refresh_token",
  "developer_token",
  "private_key",
]);

/** "15m", "1h", "2d" → milliseconds, or undefined. */
export function parseEvery(text: string): number | undefined {
  const match = /^\s*(\d{1,6})\s*([mhd])\s*$/i.exec(text);
  if (!match) return undefined;
  return Number(match[1]) * (UNIT_MS[(match[2] ?? "").toLowerCase()] ?? 0);
}

const EverySchema = z.string({ error: 'expected a duration such as "15m", "1h" or "1d"' }).superRefine((text, ctx) => {
  const ms = parseEvery(text);
  if (ms === undefined)
    ctx.addIssue({ code: "custom", message: 'expected a duration such as "15m", "1h" or "1d" (minutes, hours, days)' });
  else if (ms < MIN_EVERY_MS)
    ctx.addIssue({ code: "custom", message: "at least 5m: vendors limit how often their APIs may be read" });
});

const BaseUrlSchema = z.string().superRefine((text, ctx) => {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    ctx.addIssue({ code: "custom", message: "expected a URL such as https://api.example.com" });
    return;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    ctx.addIssue({ code: "custom", message: "expected an http:// or https:// URL" });
  if (url.username !== "" || url.password !== "")
    ctx.addIssue({
      code: "custom",
      message: "a base_url must not carry credentials: name the token's environment variable instead",
    });
});

const RatesSchema = z.record(
  z.string().regex(/^[A-Z]{3}$/, "currency codes are three capital letters (EUR, GBP, …)"),
  z.number().positive("a rate is a positive number: how much of the workspace currency one unit is worth"),
);

const SourceEntrySchema = z
  .object({
    name: z
      .string()
      .max(40, "a source name is at most 40 characters")
      .regex(SOURCE_NAME, "a source name is lower-case letters, digits and dashes (like crm or stripe-eu)"),
    kind: z.enum(SOURCE_KIND_NAMES as [SourceKindName, ...SourceKindName[]]),
    every: EverySchema.default(DEFAULT_EVERY),
    base_url: BaseUrlSchema.optional(),
    rates: RatesSchema.optional(),
  })
  .catchall(z.unknown())
  .superRefine(checkKindKeys, { when: () => true });

export const SourcesSchema = z
  .array(SourceEntrySchema)
  .max(50, "at most 50 sources")
  .superRefine(checkUniqueNames, { when: () => true })
  .default([]);

export type SourceEntry = z.infer<typeof SourceEntrySchema>;

/** The keys an entry of this kind may have (for "did you mean"). */
export function sourceKeys(kind: unknown): string[] {
  const own = isSourceKind(kind) ? Object.keys(SOURCE_KINDS[kind].settings.shape) : [];
  return [...COMMON_KEYS, ...own];
}

function checkKindKeys(entry: Record<string, unknown>, ctx: z.core.$RefinementCtx<Record<string, unknown>>): void {
  if (entry === null || typeof entry !== "object" || !isSourceKind(entry.kind)) return;
  const spec = SOURCE_KINDS[entry.kind];
  const ownKeys = Object.keys(spec.settings.shape);
  const own: Record<string, unknown> = {};
  const unknown: string[] = [];
  for (const [key, value] of Object.entries(entry)) {
    if ((COMMON_KEYS as readonly string[]).includes(key)) continue;
    if (ownKeys.includes(key)) own[key] = value;
    else if (SECRET_KEYS.has(key.toLowerCase()) || ownKeys.includes(`${key}_env`)) {
      const named = ownKeys.includes(`${key}_env`)
        ? `${key}_env`
        : (ownKeys.find((k) => k.endsWith("_env")) ?? "token_env");
      ctx.addIssue({
        code: "custom",
        path: [key],
        message: `secrets are never written in the config: put it in an environment variable and name that variable here (${named}: ${exampleVariable(entry.kind)})`,
      });
    } else unknown.push(key);
  }
  if (unknown.length > 0) ctx.addIssue({ code: "unrecognized_keys", keys: unknown, input: entry });
  const result = spec.settings.safeParse(own);
  if (!result.success) for (const issue of result.error.issues) ctx.addIssue({ ...issue, input: undefined });
}

function exampleVariable(kind: SourceKindName): string {
  return `${kind.toUpperCase()}_TOKEN`;
}

function checkUniqueNames(entries: SourceEntry[], ctx: z.core.$RefinementCtx<SourceEntry[]>): void {
  if (!Array.isArray(entries)) return;
  const first = new Map<string, number>();
  entries.forEach((entry, index) => {
    if (entry === null || typeof entry !== "object" || typeof entry.name !== "string") return;
    const seen = first.get(entry.name);
    if (seen === undefined) first.set(entry.name, index);
    else
      ctx.addIssue({
        code: "custom",
        path: [index, "name"],
        message: `another source is already named ${entry.name} (sources[${seen}]): names are unique`,
      });
  });
}

/** A validated entry as the sync needs it. */
export type SourceDefinition = {
  name: string;
  kind: SourceKindName;
  everyMs: number;
  /** base_url, rates and the kind's own keys, as written (secrets only as variable names) */
  settings: Record<string, unknown>;
};

export function toSourceDefinition(entry: SourceEntry): SourceDefinition {
  const { name, kind, every, ...settings } = entry;
  return { name, kind, everyMs: parseEvery(every) ?? MIN_EVERY_MS, settings };
}

export function fromSourceDefinition(definition: SourceDefinition): SourceEntry {
  return {
    name: definition.name,
    kind: definition.kind,
    every: formatEvery(definition.everyMs),
    ...definition.settings,
  } as SourceEntry;
}

export function formatEvery(ms: number): string {
  if (ms % DAY === 0) return `${ms / DAY}d`;
  if (ms % HOUR === 0) return `${ms / HOUR}h`;
  return `${Math.round(ms / MINUTE)}m`;
}
