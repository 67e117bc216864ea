// Prisma CLI configuration for the PostgreSQL schema (derived from the SQLite one).
// The pg adapter keeps the CLI on its bundled WebAssembly engine (TOOLCHAIN.md);
// generate and migrate diff work offline, no server is contacted for them.
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { defineConfig } from "prisma/config";

const fallback = "postgresql://postgres@127.0.0.1:5432/test";
const url = /^postgres(ql)?:/.test(process.env.DATABASE_URL ?? "") ? (process.env.DATABASE_URL as string) : fallback;
process.env.DATABASE_URL = url;

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join(import.meta.dirname, "postgres", "schema.prisma"),
  migrations: { path: path.join(import.meta.dirname, "postgres", "migrations") },
  adapter: async () => new PrismaPg({ connectionString: url }),
});
