// What a `/kpi` verb's handler gets and gives. The table of handlers is kpi-handlers.ts.
import type { KpiAdminStore } from "../../core/admin/ports.ts";
import type { AlertRuleStore } from "../../core/alerts/ports.ts";
import type { KpiSnapshotDeps } from "../../core/kpi/get-kpi-snapshot.ts";
import type { KpiCommand } from "../../core/kpi/parse-kpi-command.ts";
import type { KpiSettings } from "../../core/kpi/types.ts";
import { type Message, makeMessage } from "../../core/messages/model.ts";
import type { WorkspaceRow } from "../../store/workspaces.ts";
import type { KnownCaller, KpiAnswer } from "./types.ts";

export type KpiContext = {
  workspace: WorkspaceRow;
  caller: KnownCaller;
  /** the workspace's settings, read once for the command */
  settings: KpiSettings;
  kpi: KpiSnapshotDeps;
  admin: KpiAdminStore;
  alerts: AlertRuleStore;
  /** the command as people type it on the caller's surface */
  prefix: "/kpi" | "kpi";
};

export type KpiHandler<K extends KpiCommand["kind"] = KpiCommand["kind"]> = {
  /** only admins may run it (the caller's platform says who is one) */
  admin?: boolean;
  /** it only reads numbers, so a shared answer may replay it */
  readOnly?: boolean;
  run(command: Extract<KpiCommand, { kind: K }>, context: KpiContext): Promise<KpiAnswer>;
};

export type KpiHandlers = { [K in KpiCommand["kind"]]: KpiHandler<K> };

/** A private answer of one sentence, nothing to share. */
export function privateNote(text: string): KpiAnswer {
  const message: Message = makeMessage([{ type: "section", text }], { visibility: "private" });
  return { message, share: null };
}

export function departmentName(settings: KpiSettings, key: string): string {
  return settings.departments.find((d) => d.key === key)?.name ?? key;
}

/** Who made a change, as the audit log names them. */
export function actorOf(caller: KnownCaller): string {
  return `${caller.platform}:${caller.userId}`;
}
