// The `sql` kind (SOURCES.md, "Warehouse and files"): a PostgreSQL query whose
// columns are named as the fact fields, external_id required. With `cursor_column`
// the query gets the stored cursor as $1 (null on the first and a --full sync) and is
// read incrementally; without it each sync mirrors the whole result.
import { z } from "zod";
import { envName, type SourceKindSpec } from "./kind-spec.ts";

export const sqlSpec: SourceKindSpec = {
  defaultBaseUrl: "postgresql://",
  settings: z
    .object({
      url_env: envName(),
      query: z
        .string()
        .trim()
        .min(1, "the query must not be empty")
        .max(20_000, "a query is at most 20,000 characters")
        .refine((query) => /^(select|with|table|values)\b/i.test(query), {
          message: "expected one SELECT (or WITH … SELECT) statement: the source only reads",
        })
        .refine((query) => !/;\s*\S/.test(query.replace(/'[^']*'/g, "''")), {
          message: "one statement only: remove what follows the ;",
        }),
      cursor_column: z
        .string()
        .regex(/^[a-z_][a-z0-9_]{0,62}$/, "a column name as the query returns it (lower case, like updated_at)")
        .optional(),
      skip_invalid: z.boolean().default(false),
    })
    .strict(),
};

/** How a cursor column's values compare, by PostgreSQL type: integers exactly, other numbers as numbers, the rest as text. */
export function cursorComparer(typeOid: number): (a: string, b: string) => number {
  if (typeOid === 20 || typeOid === 21 || typeOid === 23)
    return (a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0);
  if (typeOid === 700 || typeOid === 701 || typeOid === 1700) return (a, b) => Number(a) - Number(b);
  // dates and timestamps (read with the session in UTC), text: their text sorts as they do
  return (a, b) => (a < b ? -1 : a > b ? 1 : 0);
}
