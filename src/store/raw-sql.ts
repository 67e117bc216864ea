// Hand-written SQL on both databases: written with `?` placeholders, which PostgreSQL
// wants as $1, $2, … (no `?` may appear in a literal of such a statement).
import type { Database } from "./database.ts";

export type Row = Record<string, unknown>;

/** `?` placeholders as PostgreSQL's $1, $2, … */
export function numberedPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

function placeholders(db: Database, sql: string): string {
  return db.dialect === "postgres" ? numberedPlaceholders(sql) : sql;
}

export function rawQuery(db: Database): (sql: string, params: unknown[]) => Promise<Row[]> {
  return (sql, params) => db.prisma.$queryRawUnsafe<Row[]>(placeholders(db, sql), ...params);
}

export function rawExecute(db: Database): (sql: string, params: unknown[]) => Promise<number> {
  return (sql, params) => db.prisma.$executeRawUnsafe(placeholders(db, sql), ...params);
}

/** A statement not yet run, for `db.prisma.$transaction([...])`. */
export function rawStatement(db: Database, sql: string, params: unknown[]) {
  return db.prisma.$executeRawUnsafe(placeholders(db, sql), ...params);
}
