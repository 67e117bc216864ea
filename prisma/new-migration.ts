// `npm run db:migration -- NAME`: authors the next migration for BOTH databases with
// `prisma migrate diff` (no database needed, TOOLCHAIN.md), from the schema as of the
// newest migration (prisma/migrated.prisma) to prisma/schema.prisma, then records the
// new state. The PostgreSQL schema is re-derived first.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { derivePostgresSchema, postgresSchemaPath, sqliteSchemaPath } from "./derive-postgres.ts";

const here = import.meta.dirname;
const migratedPath = path.join(here, "migrated.prisma");
const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npm run db:migration -- NAME   (lower-case letters, digits, underscores)");
  process.exit(2);
}

const current = readFileSync(sqliteSchemaPath, "utf8");
writeFileSync(postgresSchemaPath, derivePostgresSchema(current));
const scratch = mkdtempSync(path.join(tmpdir(), "tandem-migration-"));
const fromPostgres = path.join(scratch, "from-postgres.prisma");
writeFileSync(fromPostgres, derivePostgresSchema(readFileSync(migratedPath, "utf8")));

function diff(config: string, from: string, to: string): string {
  return execFileSync(
    "npx",
    [
      "prisma",
      "migrate",
      "diff",
      "--config",
      config,
      "--from-schema-datamodel",
      from,
      "--to-schema-datamodel",
      to,
      "--script",
    ],
    { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] },
  );
}

const sqliteSql = diff(path.join(here, "sqlite.config.ts"), migratedPath, sqliteSchemaPath);
const postgresSql = diff(path.join(here, "postgres.config.ts"), fromPostgres, postgresSchemaPath);
if (!/\S/.test(sqliteSql.replace(/^--.*$/gm, ""))) {
  console.log("prisma/schema.prisma has no change since the last migration: nothing to do");
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const folder = `${stamp}_${name}`;
for (const [dir, sql] of [
  [path.join(here, "migrations", folder), sqliteSql],
  [path.join(here, "postgres", "migrations", folder), postgresSql],
] as const) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "migration.sql"), sql);
}
copyFileSync(sqliteSchemaPath, migratedPath);
console.log(`wrote prisma/migrations/${folder} and prisma/postgres/migrations/${folder}`);
