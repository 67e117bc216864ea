// Prisma CLI configuration for the SQLite schema. The adapter makes the CLI use its
// bundled WebAssembly schema engine, so nothing is downloaded (TOOLCHAIN.md).
import path from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { defineConfig } from "prisma/config";

process.env.DATABASE_URL ??= "file:./data/tandem.db";
const url = process.env.DATABASE_URL.startsWith("file:") ? process.env.DATABASE_URL : "file:./data/tandem.db";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join(import.meta.dirname, "schema.prisma"),
  migrations: { path: path.join(import.meta.dirname, "migrations") },
  adapter: async () => new PrismaBetterSQLite3({ url }),
});
