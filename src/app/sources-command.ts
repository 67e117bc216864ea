// `/kpi sources`: each source's freshness for everyone, why it fails for admins only
// (a failure reason can name internal hosts or tables), and the "data as of" line other
// answers carry.
import { type Block, clip, LIMITS, makeMessage } from "../core/messages/model.ts";
import { commandPrefix } from "../core/platform.ts";
import type { Clock } from "../core/ports.ts";
import {
  ageWords,
  type Freshness,
  type FreshnessOf,
  freshnessLine,
  sourceHealth,
  workspaceFreshness,
} from "../core/sources/freshness.ts";
import type { SourceState, SourceStore } from "../core/sources/ports.ts";
import type { ChatVerb } from "./chat/types.ts";

export type SourceList = Pick<SourceStore, "list">;

const HEALTH_WORDS = { ok: "✅ ok", stale: "⚠️ stale", failing: "❌ failing", "never synced": "… not synced yet" };

function row(source: SourceState, nowMs: number): string[] {
  const success = source.lastSuccessAt ? ageWords(source.lastSuccessAt.getTime(), nowMs) : "never";
  return [source.name, source.kind, success, HEALTH_WORDS[sourceHealth(source, nowMs)], String(source.factsOwned)];
}

export function sourcesSubcommand(store: SourceList, clock: Clock): ChatVerb {
  return async ({ workspace, caller }) => {
    const sources = await store.list(workspace.id);
    const prefix = commandPrefix(caller.platform);
    if (sources.length === 0) {
      return makeMessage([
        { type: "header", text: "Sources" },
        {
          type: "section",
          text:
            "No source is configured: numbers come from `tandem import` and the ingest API. " +
            "Add HubSpot, Salesforce, Stripe, ad platforms or a warehouse under `sources:` in tandem.config.yaml (see docs/sources.md).",
        },
      ]);
    }
    const nowMs = clock.now().getTime();
    const blocks: Block[] = [
      { type: "header", text: "Sources" },
      {
        type: "table",
        columns: ["Source", "Kind", "Last success", "State", "Facts"],
        rows: sources.map((source) => row(source, nowMs)),
      },
      {
        type: "context",
        text: freshnessLine(workspaceFreshness(sources, nowMs) as Freshness, nowMs, workspace.timezone, prefix),
      },
    ];
    const failing = sources.filter((source) => source.lastFailure && sourceHealth(source, nowMs) === "failing");
    if (failing.length > 0) {
      if (await caller.isAdmin()) {
        blocks.push({
          type: "section",
          text: clip(failing.map((source) => `*${source.name}*: ${source.lastFailure}`).join("\n"), LIMITS.textChars),
        });
      } else {
        blocks.push({
          type: "context",
          text: "An admin can see why a source fails here or with `tandem sources list`.",
        });
      }
    }
    return makeMessage(blocks);
  };
}

/** The freshness every `/kpi` answer and digest shows, or null without sources. */
export function freshnessOf(store: SourceList, clock: Clock): FreshnessOf {
  return async (workspaceId) => workspaceFreshness(await store.list(workspaceId), clock.now().getTime());
}
