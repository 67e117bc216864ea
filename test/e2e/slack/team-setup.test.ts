// Team set-up from Slack: people place themselves; admins set targets, place others
// and issue ingest tokens; everyone else is refused; every change is audited.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS } from "../../helpers/databases.ts";
import { answerText, type SlackTestServer, seedFunnel, startSlackTestServer } from "./slack-server.ts";

describe.each(DIALECTS)("team set-up from Slack (%s)", (dialect) => {
  let server: SlackTestServer;
  const issued: { name: string; actor: string }[] = [];

  beforeAll(async () => {
    server = await startSlackTestServer(dialect, {
      deps: {
        issueToken: async ({ name, actor }) => {
          issued.push({ name, actor });
          return `tdm_test_${name}_0123456789abcdef`;
        },
      },
    });
    await seedFunnel(server.ctx.db.prisma, server.ctx.workspace.id);
    server.fake.users.set("UADMIN", { id: "UADMIN", is_admin: true });
    server.fake.users.set("UOWNER", { id: "UOWNER", is_owner: true });
    server.fake.users.set("UPLAIN", { id: "UPLAIN", is_admin: false, is_owner: false });
  });
  afterAll(async () => server?.stop());

  const audit = (action: string) =>
    server.ctx.db.prisma.auditLog.findMany({ where: { workspaceId: server.ctx.workspace.id, action } });

  it("lets anyone join a department, and /kpi then shows its scorecard", async () => {
    const joined = await server.kpi("join Marketing", { userId: "UPLAIN" });
    expect(answerText(joined)).toContain("You're in *Marketing* now");
    const member = await server.ctx.db.prisma.member.findUnique({
      where: {
        workspaceId_platform_userId: { workspaceId: server.ctx.workspace.id, platform: "slack", userId: "UPLAIN" },
      },
      include: { department: true },
    });
    expect(member?.department?.key).toBe("marketing");
    expect(await audit("member.department")).toHaveLength(1);
    const scorecard = await server.kpi("", { userId: "UPLAIN" });
    expect(answerText(scorecard)).toContain("Marketing · September 2026");
  });

  it("moves someone who joins another department, and says where they were", async () => {
    const moved = await server.kpi("join sales", { userId: "UPLAIN" });
    expect(answerText(moved)).toContain("you were in Marketing");
  });

  it("suggests the departments when joining an unknown one", async () => {
    const answer = await server.kpi("join finance", { userId: "UPLAIN" });
    expect(answerText(answer)).toContain("Departments: marketing, sales, product");
  });

  it("accepts a target from a Slack admin, percent written as 35%", async () => {
    const answer = await server.kpi("target lead to mql rate 35% month marketing", { userId: "UADMIN" });
    expect(answerText(answer)).toContain("Target set: *Lead to MQL rate*, monthly for Marketing: 35.0%");
    const target = await server.ctx.db.prisma.target.findFirst({
      where: { workspaceId: server.ctx.workspace.id, metricKey: "lead_to_mql_rate" },
    });
    expect(target).toMatchObject({ grain: "month", department: "marketing", value: 0.35 });
    const entries = await audit("target.set");
    expect(entries.at(-1)?.actor).toBe("slack:UADMIN");
  });

  it("accepts a percent target written as a fraction, from an owner", async () => {
    const answer = await server.kpi("target mql_to_sql_rate 0.5", { userId: "UOWNER" });
    expect(answerText(answer)).toContain("monthly for the whole company: 50.0%");
  });

  it("shows the new target in the answers", async () => {
    const answer = await server.kpi("cac 2026-09", { userId: "UADMIN" });
    expect(answerText(answer)).not.toContain("target");
    await server.kpi("target cac 4800", { userId: "UADMIN" });
    const after = await server.kpi("cac 2026-09", { userId: "UADMIN" });
    expect(answerText(after)).toContain("target $4,800");
    expect(answerText(after)).toContain("at risk");
  });

  it("serves a week from the monthly targets: pro rata for totals, the same number for averages", async () => {
    await server.kpi("target new revenue 200,000", { userId: "UADMIN" });
    const revenue = answerText(await server.kpi("new revenue 2026-W38", { userId: "UADMIN" }));
    expect(revenue).toContain("target $45,997, pro rata from the monthly $200,000");
    const cac = answerText(await server.kpi("cac 2026-W38", { userId: "UADMIN" }));
    expect(cac).toContain("target $4,800, from the monthly target");
  });

  it("refuses a percent metric's target written as a bare number above 1", async () => {
    const answer = await server.kpi("target win_rate 35", { userId: "UADMIN" });
    expect(answerText(answer)).toContain("write the target as 35% or 0.35");
  });

  it("refuses targets, members and tokens to a non-admin, and changes nothing", async () => {
    const before = await server.ctx.db.prisma.target.count();
    for (const text of ["target cac 1000", "member <@UADMIN|root> product", "token crm"]) {
      const answer = await server.kpi(text, { userId: "UPLAIN" });
      expect(answerText(answer)).toContain("Only workspace admins and owners");
    }
    expect(await server.ctx.db.prisma.target.count()).toBe(before);
    expect(issued).toEqual([]);
    expect(server.fake.callsTo("users.info").some((call) => call.args.user === "UPLAIN")).toBe(true);
  });

  it("lets an admin place someone else, parsing Slack's escaped mention", async () => {
    const answer = await server.kpi("member <@UNEW|grace> product", { userId: "UADMIN" });
    expect(answerText(answer)).toContain("@grace is in *Product* now");
    const entries = await audit("member.department");
    expect(entries.at(-1)?.actor).toBe("slack:UADMIN");
    expect(JSON.parse(entries.at(-1)?.detail ?? "{}")).toMatchObject({ userId: "UNEW", to: "product" });
  });

  it("asks for a real mention when a name was typed", async () => {
    const answer = await server.kpi("member grace product", { userId: "UADMIN" });
    expect(answerText(answer)).toContain("Mention the person with @");
  });

  it("issues an ingest token to an admin, privately, without a share button", async () => {
    const answer = await server.kpi("token crm-sync", { userId: "UADMIN" });
    expect(answer.response_type).toBe("ephemeral");
    expect(answerText(answer)).toContain("tdm_test_crm-sync_0123456789abcdef");
    expect(answerText(answer)).not.toContain("kpi_share");
    expect(issued).toEqual([{ name: "crm-sync", actor: "slack:UADMIN" }]);
    const entries = await audit("token.create");
    expect(entries.map((entry) => entry.actor)).toEqual(["slack:UADMIN"]);
    expect(JSON.stringify(entries)).not.toContain("tdm_test"); // the secret never enters the log
  });

  it("treats people the config names as admins as admins", async () => {
    await server.ctx.db.prisma.workspace.update({
      where: { id: server.ctx.workspace.id },
      data: { settings: JSON.stringify({ admins: ["UCONFIG"] }) },
    });
    const answer = await server.kpi("target leads 250", { userId: "UCONFIG" });
    expect(answerText(answer)).toContain("Target set: *Leads*");
  });
});

describe("/kpi token without an injected issuer", () => {
  let server: SlackTestServer;

  beforeAll(async () => {
    server = await startSlackTestServer("sqlite");
    server.fake.users.set("UADMIN", { id: "UADMIN", is_admin: true });
  });
  afterAll(async () => server?.stop());

  it("issues a real ingest token, stores only its hash, and shows it once", async () => {
    const answer = await server.kpi("token warehouse", { userId: "UADMIN" });
    const token = /tdm_[A-Za-z0-9_-]{43}/.exec(answerText(answer))?.[0] ?? "";
    expect(token).not.toBe("");
    const row = await server.ctx.db.prisma.ingestToken.findFirstOrThrow({ where: { name: "warehouse" } });
    expect(row.tokenHash).not.toContain(token);
    expect(JSON.stringify(row)).not.toContain(token.slice(10));
    expect(row.workspaceId).toBe(server.ctx.workspace.id);
    const again = await server.kpi("token warehouse", { userId: "UADMIN" });
    expect(answerText(again)).toContain("already exists");
  });
});
