// App Home, refreshed each time the user opens it: their department's scorecard,
// the shared metrics, upcoming digests and open pulses.
import type { App } from "@slack/bolt";
import { errorAnswer } from "../../../app/chat/error-answer.ts";
import { getKpiSnapshot } from "../../../core/kpi/get-kpi-snapshot.ts";
import { describePeriod } from "../../../core/kpi/periods.ts";
import { snapshotMessage } from "../../../core/messages/build-kpi-messages.ts";
import { type Message, makeMessage } from "../../../core/messages/model.ts";
import { listDigestSchedules, listOpenPulses } from "../../../store/app-home.ts";
import { findMemberDepartment } from "../../../store/members.ts";
import type { WorkspaceRow } from "../../../store/workspaces.ts";
import { digestBlocks, homeView, pulseBlocks } from "../home-view.ts";
import type { SlackEnv } from "../slack-env.ts";
import { workspaceOf } from "../workspace.ts";

export async function buildHome(env: SlackEnv, workspace: WorkspaceRow, userId: string) {
  const zone = workspace.timezone;
  const [mine, digests, pulses] = await Promise.all([
    findMemberDepartment(env.prisma, workspace.id, "slack", userId),
    listDigestSchedules(env.prisma, workspace.id, "slack"),
    listOpenPulses(env.prisma, workspace.id, "slack"),
  ]);
  const [shared, own] = await Promise.all([
    getKpiSnapshot(env.kpi, { workspaceId: workspace.id, zone }),
    mine ? getKpiSnapshot(env.kpi, { workspaceId: workspace.id, zone, department: mine.key }) : null,
  ]);
  const when = describePeriod(shared.snapshot.period);
  const first: Message = own
    ? snapshotMessage(own.snapshot, own.catalog, { title: `${mine?.name} · ${when}` })
    : makeMessage([
        { type: "header", text: "Your department" },
        {
          type: "section",
          text: "You haven't joined a department yet. Type `/kpi join marketing` (or sales, product, …) to see its scorecard here.",
        },
      ]);
  return homeView([
    first,
    snapshotMessage(shared.snapshot, shared.catalog, { title: `Shared metrics · ${when}` }),
    digestBlocks(digests, env.clock.now()),
    pulseBlocks(pulses, zone),
  ]);
}

export function registerAppHome(app: App, env: SlackEnv): void {
  app.event("app_home_opened", async ({ event, client, context }) => {
    if (event.tab !== "home") return;
    const workspace = workspaceOf(context);
    let view: ReturnType<typeof homeView>;
    try {
      view = await buildHome(env, workspace, event.user);
    } catch (error) {
      view = homeView([errorAnswer(error, env.logger, { event: "app_home_opened", user: event.user })]);
    }
    await client.views.publish({
      user_id: event.user,
      view: view as Parameters<typeof client.views.publish>[0]["view"],
    });
  });
}
