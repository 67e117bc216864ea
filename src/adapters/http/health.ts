// GET /healthz (the process and its database answer) and GET /metrics (Prometheus).
import type { Database } from "../../store/database.ts";
import { sendJson, sendText } from "./body.ts";
import type { HttpMetrics } from "./metrics.ts";
import type { Route } from "./server.ts";

export function healthRoutes(deps: { db: Database; metrics: HttpMetrics; startedAt: Date }): Route[] {
  return [
    {
      method: "GET",
      path: "/healthz",
      handler: async (_req, res) => {
        try {
          await deps.db.prisma.$queryRawUnsafe("SELECT 1");
          sendJson(res, 200, {
            status: "ok",
            database: deps.db.dialect,
            uptimeSeconds: Math.round((Date.now() - deps.startedAt.getTime()) / 1000),
          });
        } catch (error) {
          sendJson(res, 503, { status: "unavailable", database: deps.db.dialect, error: (error as Error).message });
        }
      },
    },
    {
      method: "GET",
      path: "/metrics",
      handler: async (_req, res) => {
        sendText(res, 200, await deps.metrics.registry.metrics(), deps.metrics.registry.contentType);
      },
    },
  ];
}
