// Derives prisma/postgres/schema.prisma from prisma/schema.prisma (the source of
// truth). Run with `npm run db:schemas`; `--check` exits 1 when the committed
// file is stale, which test/unit/store/schemas.test.ts relies on.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const here = import.meta.dirname;
export const sqliteSchemaPath = path.join(here, "schema.prisma");
export const postgresSchemaPath = path.join(here, "postgres", "schema.prisma");

export function derivePostgresSchema(sqlite: string): string {
  const header = "// GENERATED from prisma/schema.prisma by prisma/derive-postgres.ts: do not edit.\n";
  const replaced = sqlite
    .replace('provider = "sqlite"', 'provider = "postgresql"')
    .replace('output             = "../src/generated/sqlite"', 'output             = "../../src/generated/postgres"');
  if (replaced === sqlite || !replaced.includes('"postgresql"') || !replaced.includes("generated/postgres")) {
    throw new Error("prisma/schema.prisma no longer has the provider/output lines this script rewrites");
  }
  return header + replaced;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const wanted = derivePostgresSchema(readFileSync(sqliteSchemaPath, "utf8"));
  if (process.argv.includes("--check")) {
    const current = readFileSync(postgresSchemaPath, "utf8");
    if (current !== wanted) {
      console.error("prisma/postgres/schema.prisma is stale: run `npm run db:schemas`");
      process.exit(1);
    }
  } else {
    writeFileSync(postgresSchemaPath, wanted);
  }
}
