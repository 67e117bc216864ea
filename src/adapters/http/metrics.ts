// Prometheus metrics (GET /metrics), on a registry of our own so tests can create
// several servers in one process.
import client from "prom-client";

export type HttpMetrics = {
  registry: client.Registry;
  startTimer(route: string, method: string): (status: number) => void;
  factsIngested: client.Counter<"source" | "outcome">;
  chatCommands: client.Counter<"platform" | "command">;
  deliveries: client.Counter<"platform" | "kind" | "outcome">;
};

export function createMetrics(): HttpMetrics {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: "tandem_" });
  const duration = new client.Histogram({
    name: "tandem_http_request_duration_seconds",
    help: "HTTP request duration by route, method and status",
    labelNames: ["route", "method", "status"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const factsIngested = new client.Counter({
    name: "tandem_facts_ingested_total",
    help: "Facts received, by source (cli, api) and outcome (inserted, duplicate, rejected)",
    labelNames: ["source", "outcome"] as const,
    registers: [registry],
  });
  const chatCommands = new client.Counter({
    name: "tandem_chat_commands_total",
    help: "Chat commands handled, by platform (slack, teams, local) and command verb (a closed set; other for the rest)",
    labelNames: ["platform", "command"] as const,
    registers: [registry],
  });
  const deliveries = new client.Counter({
    name: "tandem_deliveries_total",
    help: "Scheduled posts (digests, pulses, results) by platform, kind and outcome",
    labelNames: ["platform", "kind", "outcome"] as const,
    registers: [registry],
  });
  return {
    registry,
    factsIngested,
    chatCommands,
    deliveries,
    startTimer(route, method) {
      const end = duration.startTimer({ route, method });
      return (status) => end({ status: String(status) });
    },
  };
}
