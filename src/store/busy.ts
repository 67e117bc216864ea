// Writers never starve readers. SQLite lets one connection write at a time, and
// better-sqlite3 is synchronous: while it waits for another process's write lock
// (busy_timeout) the whole event loop waits with it, /healthz included. So a process
// waits only briefly inside SQLite (SQLITE_BUSY_TIMEOUT_MS) and does the rest of its
// waiting between attempts, asynchronously, up to a bound (`waitMs`). Past the bound the
// caller gets AppError(Unavailable): HTTP 503 with Retry-After, a "busy, try again"
// answer in chat, exit code 75 in the CLI. PostgreSQL gets the same bound as its
// lock_timeout (see database.ts), and its lock errors become the same AppError.
// Reads never need the write lock (WAL), so they never wait here.

import { setTimeout as delay } from "node:timers/promises";
import type { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import pRetry from "p-retry";
import { AppError, ErrorCode } from "../core/errors.ts";

/** The longest one attempt may block the event loop inside SQLite. */
export const SQLITE_BUSY_TIMEOUT_MS = 25;
/**
 * How long a write in the server waits for another writer (an import) before the request
 * is answered "busy": well inside Slack's and Teams' patience, and never blocking.
 */
export const SERVER_WRITE_WAIT_MS = 5_000;
/** What a 503 tells the client to wait before trying again. */
export const RETRY_AFTER_SECONDS = 5;
export const BUSY_MESSAGE =
  "the database is busy with another write (an import, or another Tandem process); try again in a few seconds";

export type BusyDetails = { retryAfterSeconds: number };

export function databaseBusy(message = BUSY_MESSAGE): AppError {
  return new AppError(ErrorCode.Unavailable, message, { retryAfterSeconds: RETRY_AFTER_SECONDS } as BusyDetails);
}

// SQLITE_BUSY and its extended codes (better-sqlite3 and the Prisma adapter's cause);
// P1008/P2028: Prisma's "operation timed out" / "unable to start a transaction in time";
// 55P03: PostgreSQL's lock_not_available (lock_timeout).
const BUSY_CODES = /^(SQLITE_BUSY\w*|P1008|P2028|55P03)$/;

/** Whether an error (of better-sqlite3, pg, or Prisma wrapping either) means "another writer holds the lock". */
export function isBusyError(error: unknown): boolean {
  const seen = new Set<unknown>();
  const visit = (value: unknown, depth: number): boolean => {
    if (typeof value !== "object" || value === null || seen.has(value) || depth > 6) return false;
    seen.add(value);
    const record = value as Record<string, unknown>;
    for (const key of ["code", "originalCode"]) {
      const code = record[key];
      // ErrorCode.Unavailable: databaseBusy() itself, possibly re-wrapped by Prisma (which keeps the code)
      if (typeof code === "string" && (BUSY_CODES.test(code) || code === ErrorCode.Unavailable)) return true;
    }
    return ["cause", "meta", "driverAdapterError"].some((key) => visit(record[key], depth + 1));
  };
  return visit(error, 0);
}

export type WaitOptions = {
  /** how long to keep trying, in total */
  waitMs: number;
  /** called once, when the first attempt found the lock taken */
  onWait?: () => void;
  /** what the AppError says when the wait is over (default BUSY_MESSAGE) */
  busyMessage?: string;
};

/**
 * Runs `attempt` until it does not fail with a busy error, backing off asynchronously
 * (10 ms doubling to 250 ms, jittered), for at most `waitMs`; then throws databaseBusy().
 */
export async function retryWhileBusy<T>(attempt: () => T | Promise<T>, options: WaitOptions): Promise<T> {
  // Almost every attempt finds no lock: it runs without the retry machinery's cost.
  const startedMs = Date.now();
  try {
    return await attempt();
  } catch (error) {
    if (!isBusyError(error)) throw error;
    if (Date.now() - startedMs >= options.waitMs)
      throw error instanceof AppError ? error : databaseBusy(options.busyMessage);
  }
  options.onWait?.();
  await delay(10);
  try {
    return await pRetry(attempt, {
      retries: Number.POSITIVE_INFINITY,
      minTimeout: 10,
      factor: 2,
      maxTimeout: 250,
      randomize: true,
      maxRetryTime: Math.max(0, options.waitMs - (Date.now() - startedMs)),
      shouldRetry: ({ error }) => isBusyError(error),
    });
  } catch (error) {
    if (isBusyError(error)) throw error instanceof AppError ? error : databaseBusy(options.busyMessage);
    throw error;
  }
}

type Factory = PrismaBetterSQLite3;
type Adapter = Awaited<ReturnType<Factory["connect"]>>;
type Query = Parameters<Adapter["queryRaw"]>[0];

const statement = (sql: string): Query => ({ sql, args: [], argTypes: [] });

/**
 * Prisma's better-sqlite3 adapter, made patient: a statement outside a transaction that
 * finds the database locked is tried again later (it did nothing, so that is safe), and
 * every transaction takes the write lock first (BEGIN IMMEDIATE, tried again later while
 * another process holds it), so that no statement inside it can meet a lock half-way.
 */
export function patientSqliteAdapter(
  factory: Factory,
  options: {
    waitMs: number /** given the better-sqlite3 connection once it is open */;
    onConnect?: (client: unknown) => void;
  },
): Factory {
  const retry = <T>(attempt: () => Promise<T>) => retryWhileBusy(attempt, { waitMs: options.waitMs });
  const patient = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    async connect(): Promise<Adapter> {
      const inner = await factory.connect();
      options.onConnect?.((inner as unknown as { client: unknown }).client);
      return new Proxy(inner, {
        get(target, property, receiver) {
          if (property === "queryRaw") return (query: Query) => retry(() => target.queryRaw(query));
          if (property === "executeRaw") return (query: Query) => retry(() => target.executeRaw(query));
          if (property === "startTransaction")
            return (isolationLevel?: Parameters<Adapter["startTransaction"]>[0]) =>
              retry(async () => {
                // The adapter's own BEGIN is deferred and holds its in-process mutex; swap it for
                // an IMMEDIATE one under the same mutex.
                const transaction = await target.startTransaction(isolationLevel);
                await transaction.executeRaw(statement("COMMIT"));
                try {
                  await transaction.executeRaw(statement("BEGIN IMMEDIATE"));
                } catch (error) {
                  await transaction.rollback();
                  throw error;
                }
                return transaction;
              });
          const value = Reflect.get(target, property, receiver);
          return typeof value === "function" ? value.bind(target) : value;
        },
      });
    },
    connectToShadowDb: () => factory.connectToShadowDb(),
  };
  return patient as unknown as Factory;
}
