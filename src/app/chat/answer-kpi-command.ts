// Answers `/kpi …` on any surface: a verb another feature registered (`digest`,
// `rituals`), or the grammar's command, run by its handler in the table once the table's
// rules (admins only, read-only for shared answers) allow it.
import type { KpiAdminStore } from "../../core/admin/ports.ts";
import type { AlertRuleStore } from "../../core/alerts/ports.ts";
import { AppError, ErrorCode } from "../../core/errors.ts";
import type { KpiSnapshotDeps } from "../../core/kpi/get-kpi-snapshot.ts";
import { checkCommandLength, type KpiCommand, parseKpiCommand } from "../../core/kpi/parse-kpi-command.ts";
import { looksLikePeriod } from "../../core/kpi/period-words.ts";
import type { KpiSettings } from "../../core/kpi/types.ts";
import { commandPrefix } from "../../core/platform.ts";
import type { KpiSettingsSource } from "../../core/ports.ts";
import { type FreshnessOf, withFreshness } from "../../core/sources/freshness.ts";
import type { WorkspaceRow } from "../../store/workspaces.ts";
import type { KpiContext, KpiHandler } from "./kpi-handler.ts";
import { KPI_HANDLERS } from "./kpi-handlers.ts";
import type { ChatVerb, KnownCaller, KpiAnswer } from "./types.ts";

export type KpiCommandDeps = {
  kpi: KpiSnapshotDeps;
  admin: KpiAdminStore;
  /** alert rules (`/kpi alert …`, `/kpi alerts`) */
  alerts: AlertRuleStore;
  /** verbs other features own (`/kpi digest …`, `/kpi rituals`), tried before the grammar */
  subcommands?: Record<string, ChatVerb>;
  /** how fresh synced numbers are (null without sources): answers that read numbers say so */
  freshness?: FreshnessOf;
};

/** Per command, settings are read once however many use cases need them. */
function onceSettings(source: KpiSettingsSource): KpiSettingsSource {
  const cache = new Map<number, Promise<KpiSettings>>();
  return {
    load(workspaceId) {
      let settings = cache.get(workspaceId);
      if (!settings) {
        settings = source.load(workspaceId);
        cache.set(workspaceId, settings);
      }
      return settings;
    },
  };
}

export async function answerKpiCommand(
  deps: KpiCommandDeps,
  workspace: WorkspaceRow,
  caller: KnownCaller,
  text: string,
  options: { readOnly?: boolean } = {},
): Promise<KpiAnswer> {
  checkCommandLength(text);
  const kpi: KpiSnapshotDeps = { ...deps.kpi, settingsSource: onceSettings(deps.kpi.settingsSource) };
  const head = text.trim().split(/\s+/)[0]?.toLowerCase() ?? "";
  const subcommand = deps.subcommands?.[head];
  if (subcommand && !options.readOnly) {
    const message = await subcommand({ workspace, caller, args: text.trim().slice(head.length).trim() });
    return { message, share: null };
  }
  // asked with the settings, so a store that batches its reads answers them in one round trip
  kpi.stats = deps.kpi.stats.forCommand?.(workspace.id) ?? deps.kpi.stats;
  const freshness = deps.freshness?.(workspace.id);
  freshness?.catch(() => {}); // awaited below, by answers that read numbers only
  const settings = await kpi.settingsSource.load(workspace.id);
  const command = parseKpiCommand(text, { departments: settings.departments, looksLikePeriod });
  const handler = KPI_HANDLERS[command.kind] as KpiHandler;
  const prefix = commandPrefix(caller.platform);
  if (options.readOnly && !handler.readOnly) {
    throw new AppError(ErrorCode.Forbidden, "Only answers that read numbers can be shared.");
  }
  if (handler.admin && !(await caller.isAdmin())) {
    throw new AppError(
      ErrorCode.Forbidden,
      `Only workspace admins and owners, or people the Tandem config names as admins, can use \`${prefix} ${command.kind}\`. ` +
        "Ask one of them to make the change.",
    );
  }
  const context: KpiContext = { workspace, caller, settings, kpi, admin: deps.admin, alerts: deps.alerts, prefix };
  // the table pairs each kind with its handler; TypeScript cannot follow the pairing through the lookup
  const answer = await (handler.run as (command: KpiCommand, context: KpiContext) => Promise<KpiAnswer>)(
    command,
    context,
  );
  if (!handler.readOnly || command.kind === "help" || !freshness) return answer;
  const asOf = { nowMs: kpi.clock.now().getTime(), zone: workspace.timezone, prefix };
  return { ...answer, message: withFreshness(answer.message, await freshness, asOf) };
}
