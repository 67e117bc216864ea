// The environment, validated once at start-up. A value that is set but malformed
// stops start-up with one line naming the variable and what is wrong.
import { existsSync } from "node:fs";
import { config as loadDotenv } from "dotenv";
import { z } from "zod";
import { AppError, ErrorCode } from "../core/errors.ts";

const blankToUndefined = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);
const optionalString = z.preprocess(blankToUndefined, z.string().optional());
const flag = z.preprocess(
  blankToUndefined,
  z
    .enum(["1", "true", "yes", "0", "false", "no"], "expected 1 or 0 (true/false, yes/no)")
    .optional()
    .transform((value) => value === "1" || value === "true" || value === "yes"),
);

function isIanaZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const ROWS_MESSAGE = "expected a whole number of rows, 0 to turn the measure cache off";
/** TANDEM_MEASURE_CACHE_ROWS unset: about 1–2 kB a row, some 20 MB in all. */
export const DEFAULT_MEASURE_CACHE_ROWS = 10_000;

export const EnvSchema = z.object({
  DATABASE_URL: z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(/^(file:.+|postgres(ql)?:\/\/.+)$/, "expected file:PATH (SQLite) or postgres://… / postgresql://…")
      .default("file:./data/tandem.db"),
  ),
  PORT: z.preprocess(blankToUndefined, z.coerce.number().int().min(0).max(65535).default(3000)),
  /** unset: 127.0.0.1 in local mode, every interface otherwise (decided at start-up) */
  HOST: z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(/^[A-Za-z0-9.:[\]-]+$/, "expected an address or host name such as 127.0.0.1, 0.0.0.0 or ::")
      .optional(),
  ),
  TANDEM_TIMEZONE: z.preprocess(
    blankToUndefined,
    z.string().refine(isIanaZone, "expected an IANA time zone such as Europe/Berlin").default("UTC"),
  ),
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_BOT_TOKEN: z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(/^xox[a-z]-/, "expected a bot token starting with xoxb-")
      .optional(),
  ),
  SLACK_APP_TOKEN: z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(/^xapp-/, "expected an app-level token starting with xapp-")
      .optional(),
  ),
  SLACK_API_URL: z.preprocess(blankToUndefined, z.url("expected an http(s) URL").optional()),
  SLACK_CLIENT_ID: optionalString,
  SLACK_CLIENT_SECRET: optionalString,
  SLACK_STATE_SECRET: optionalString,
  MicrosoftAppId: optionalString,
  MicrosoftAppPassword: optionalString,
  MicrosoftAppType: z.preprocess(
    blankToUndefined,
    z.enum(["MultiTenant", "SingleTenant", "UserAssignedMSI"]).optional(),
  ),
  MicrosoftAppTenantId: optionalString,
  TEAMS_LOCAL_UNAUTHENTICATED: flag,
  /** botbuilder's name: where Bot Framework token keys come from (a private cloud, a test double) */
  ToBotFromChannelOpenIdMetadataUrl: z.preprocess(blankToUndefined, z.url("expected an http(s) URL").optional()),
  TANDEM_ENCRYPTION_KEY: z.preprocess(
    blankToUndefined,
    z.string().min(16, "expected at least 16 characters (32 random bytes, base64, recommended)").optional(),
  ),
  TANDEM_CATCH_UP_HOURS: z.preprocess(
    blankToUndefined,
    z.coerce
      .number()
      .min(0)
      .max(24 * 31)
      .default(24),
  ),
  /** imports, ingest calls and source syncs write even while the demo's data is still there */
  TANDEM_KEEP_DEMO: z.preprocess(
    blankToUndefined,
    z
      .enum(["true", "false", "1", "0", "yes", "no"], "expected true or false")
      .optional()
      .transform((value) => value === "true" || value === "1" || value === "yes"),
  ),
  /** the most rows the measure cache keeps, all workspaces together; 0 turns the cache off */
  TANDEM_MEASURE_CACHE_ROWS: z.preprocess(
    blankToUndefined,
    z.coerce.number(ROWS_MESSAGE).int(ROWS_MESSAGE).min(0, ROWS_MESSAGE).default(DEFAULT_MEASURE_CACHE_ROWS),
  ),
  /** the plain text of GET /privacy and GET /terms (the pages the Teams package links to) */
  TANDEM_PRIVACY_TEXT: optionalString,
  TANDEM_TERMS_TEXT: optionalString,
  LOG_LEVEL: z.preprocess(blankToUndefined, z.enum(["debug", "info", "warn", "error", "silent"]).default("info")),
});
export type Env = z.infer<typeof EnvSchema>;

/** Parses an environment; throws an AppError whose message is one line per bad variable. */
export function parseEnv(source: NodeJS.ProcessEnv): Env {
  const result = EnvSchema.safeParse(source);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const name = issue.path.join(".");
    const raw = source[name];
    const shown = raw === undefined ? "" : ` (got ${JSON.stringify(raw.length > 40 ? `${raw.slice(0, 40)}…` : raw)})`;
    return `${name}: ${issue.message}${shown}`;
  });
  throw new AppError(ErrorCode.InvalidInput, lines.join("\n"));
}

/** Reads `.env` (without overriding the real environment) and validates. */
export function loadEnv(cwd = process.cwd()): Env {
  const file = `${cwd}/.env`;
  if (existsSync(file)) loadDotenv({ path: file, override: false, quiet: true });
  return parseEnv(process.env);
}
