import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { derivePostgresSchema, postgresSchemaPath, sqliteSchemaPath } from "../../../prisma/derive-postgres.ts";

const prismaDir = path.resolve(import.meta.dirname, "../../../prisma");
const stripComments = (text: string) =>
  text
    .split("\n")
    .filter((line) => !line.trimStart().startsWith("//"))
    .join("\n")
    .trim();

describe("the two Prisma schemas", () => {
  it("PostgreSQL schema is exactly the one derived from the SQLite schema (run `npm run db:schemas`)", () => {
    const derived = derivePostgresSchema(readFileSync(sqliteSchemaPath, "utf8"));
    expect(readFileSync(postgresSchemaPath, "utf8")).toBe(derived);
  });

  it("has a migration for every schema change (run `npm run db:migration -- NAME`)", () => {
    const migrated = readFileSync(path.join(prismaDir, "migrated.prisma"), "utf8");
    expect(stripComments(migrated)).toBe(stripComments(readFileSync(sqliteSchemaPath, "utf8")));
  });

  it("has the same migrations for both databases", () => {
    const names = (dir: string) =>
      readdirSync(dir, { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name)
        .sort();
    const sqlite = names(path.join(prismaDir, "migrations"));
    expect(sqlite.length).toBeGreaterThan(0);
    expect(names(path.join(prismaDir, "postgres", "migrations"))).toEqual(sqlite);
  });
});
