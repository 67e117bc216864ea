// The few small reads every request makes (generations, the measure cache's epoch). On
// SQLite the statement is prepared once on the client's own connection and run
// synchronously, without Prisma's per-query cost; on PostgreSQL it runs on a small pool
// of the pg driver's (database.ts); while SQLite is busy it goes through Prisma, which waits.
// Integers come back as bigint, or as text on PostgreSQL: read them with String() or Number().
import type { Statement } from "better-sqlite3";
import { isBusyError } from "./busy.ts";
import type { Database, SqliteConnection } from "./database.ts";
import { numberedPlaceholders, type Row, rawQuery } from "./raw-sql.ts";

export function hotRead(db: Database, sql: string): (params: unknown[]) => Promise<Row[]> {
  const query = rawQuery(db);
  const numbered = numberedPlaceholders(sql);
  let prepared: { connection: SqliteConnection; statement: Statement } | null = null;
  const direct = (): Statement | null => {
    const connection = db.sqliteConnection?.() ?? null;
    if (connection === null || !connection.open) return null;
    if (prepared?.connection !== connection) {
      prepared = { connection, statement: connection.prepare(sql).safeIntegers() };
    }
    return prepared.statement;
  };
  return async (params) => {
    if (db.hotQuery) return db.hotQuery(numbered, params);
    const statement = direct();
    if (statement) {
      try {
        return statement.all(...params) as Row[];
      } catch (error) {
        if (!isBusyError(error)) throw error; // busy: the patient path below waits for it
      }
    }
    return query(sql, params);
  };
}
