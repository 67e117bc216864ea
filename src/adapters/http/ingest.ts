// POST /api/v1/facts: facts as JSON ({"facts": [...]}) or NDJSON, with
// `Authorization: Bearer <ingest token>`. Same validation as `tandem import`, always
// all-or-nothing: one bad fact → 400 naming each (by 0-based `index` for JSON, by
// `line` for NDJSON) and nothing written. Writes go to the token's workspace.
import type { IncomingMessage, ServerResponse } from "node:http";
import { AppError, ErrorCode } from "../../core/errors.ts";
import { importFacts, type RawRow } from "../../core/facts/import-facts.ts";
import { readNdjsonFacts } from "../../core/facts/read-facts.ts";
import type { Logger } from "../../core/ports.ts";
import type { Database } from "../../store/database.ts";
import { createFactSink } from "../../store/fact-repository.ts";
import { createTokenRepository } from "../../store/token-repository.ts";
import { MB, readBody, sendJson } from "./body.ts";
import type { HttpMetrics } from "./metrics.ts";
import type { Route } from "./server.ts";

export const INGEST_PATH = "/api/v1/facts";
export const INGEST_LIMIT_BYTES = 10 * MB;

export type IngestDeps = {
  db: Database;
  /** the workspace's IANA zone (bare dates are local midnight there); default: read from the database */
  workspaceZone?: (workspaceId: number) => string | Promise<string>;
  metrics?: HttpMetrics;
  logger: Logger;
};

type Parsed = { rows: RawRow[]; numbering: "index" | "line" };

function bearer(req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  if (typeof header !== "string") return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? (match[1] as string) : null;
}

function isNdjson(contentType: string, text: string): boolean {
  if (/^application\/(x-)?(ndjson|jsonl|json-seq)\b/i.test(contentType)) return true;
  if (/^application\/json\b/i.test(contentType)) return false;
  // No (useful) content type: a JSON document is an array or {"facts": [...]};
  // anything else (several lines of objects, or a single fact) is NDJSON.
  const trimmed = text.trim();
  if (trimmed.startsWith("[")) return false;
  try {
    const document: unknown = JSON.parse(trimmed);
    return !(typeof document === "object" && document !== null && "facts" in document);
  } catch {
    return true;
  }
}

function jsonRows(text: string): RawRow[] {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new AppError(ErrorCode.InvalidInput, `body is not valid JSON (${(error as Error).message})`);
  }
  const facts = Array.isArray(document)
    ? document
    : typeof document === "object" && document !== null && Array.isArray((document as { facts?: unknown }).facts)
      ? ((document as { facts: unknown[] }).facts as unknown[])
      : null;
  if (facts === null) throw new AppError(ErrorCode.InvalidInput, 'expected {"facts": [...]}');
  return facts.map((item, index): RawRow => {
    if (typeof item === "object" && item !== null && !Array.isArray(item))
      return { line: index, record: item as Record<string, unknown> };
    const got = item === null ? "null" : Array.isArray(item) ? "an array" : `a ${typeof item}`;
    return { line: index, errors: [{ field: "fact", message: `expected a JSON object, got ${got}` }] };
  });
}

async function parseBody(req: IncomingMessage): Promise<Parsed> {
  const body = await readBody(req, INGEST_LIMIT_BYTES);
  const text = body.toString("utf8").replace(/^\uFEFF/, "");
  const contentType = String(req.headers["content-type"] ?? "");
  if (!isNdjson(contentType, text)) return { rows: jsonRows(text), numbering: "index" };
  const rows: RawRow[] = [];
  for await (const row of readNdjsonFacts([text])) rows.push(row);
  return { rows, numbering: "line" };
}

export function createIngestRoute(deps: IngestDeps): Route {
  const tokens = createTokenRepository(deps.db.prisma);
  const zoneOf =
    deps.workspaceZone ??
    (async (workspaceId: number) => {
      const workspace = await deps.db.prisma.workspace.findUnique({ where: { id: workspaceId } });
      if (workspace === null) throw new AppError(ErrorCode.Unauthorized, "the token's workspace no longer exists");
      return workspace.timezone;
    });
  const count = (outcome: "inserted" | "duplicate" | "rejected", n: number) => {
    if (n > 0) deps.metrics?.factsIngested.inc({ source: "api", outcome }, n);
  };

  return {
    method: "POST",
    path: INGEST_PATH,
    handler: async (req: IncomingMessage, res: ServerResponse) => {
      const presented = bearer(req);
      const token = presented === null ? null : await tokens.verify(presented);
      if (token === null) {
        req.resume();
        res.setHeader("www-authenticate", 'Bearer realm="tandem"');
        sendJson(res, 401, {
          error:
            presented === null
              ? "missing ingest token: send Authorization: Bearer <token> (tandem token create NAME)"
              : "invalid or revoked ingest token",
        });
        return;
      }
      const { rows, numbering } = await parseBody(req);
      const zone = await zoneOf(token.workspaceId);
      const report = await importFacts(
        rows,
        { sink: createFactSink(deps.db, token.workspaceId, { origin: "ingest" }), zone },
        { skipInvalid: false },
      );
      count("rejected", report.rejected);
      if (!report.committed) {
        sendJson(res, 400, {
          error: `${report.rejected} invalid fact${report.rejected === 1 ? "" : "s"}; nothing was written`,
          errors: report.errors.map(({ line, field, message }) =>
            numbering === "index" ? { index: line, field, message } : { line, field, message },
          ),
          ...(report.omittedErrors > 0 ? { omittedErrors: report.omittedErrors } : {}),
        });
        return;
      }
      count("inserted", report.inserted);
      count("duplicate", report.duplicates);
      deps.logger.info("facts ingested", {
        workspaceId: token.workspaceId,
        token: token.name,
        inserted: report.inserted,
        duplicates: report.duplicates,
      });
      sendJson(res, 200, { inserted: report.inserted, duplicates: report.duplicates, rejected: 0 });
    },
  };
}
