// `/kpi sources` and "data as of" through signed Slack requests and Teams activities:
// freshness for everyone, failure reasons for admins only, a warning under answers
// whose numbers may be old, and nothing at all for a workspace without sources.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSourceStore } from "../../../src/store/sources.ts";
import { DIALECTS } from "../../helpers/databases.ts";
import { cardText, startTeamsTestServer, type TeamsTestServer } from "../teams/teams-server.ts";
import { answerText, NOW, type SlackTestServer, seedFunnel, startSlackTestServer } from "./slack-server.ts";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const REASON = "HubSpot answered 401: the token in HUBSPOT_TOKEN was refused";

/** crm synced 12 minutes ago; billing synced 3 hours ago and has failed since. */
async function seedSources(ctx: SlackTestServer["ctx"]) {
  const { prisma } = ctx.db;
  const workspaceId = ctx.workspace.id;
  const crm = await prisma.source.create({ data: { workspaceId, name: "crm", kind: "hubspot", everyMs: HOUR } });
  const billing = await prisma.source.create({ data: { workspaceId, name: "billing", kind: "stripe", everyMs: HOUR } });
  const store = createSourceStore(ctx.db);
  await store.recordSuccess(crm, new Date(NOW.getTime() - 12 * MINUTE));
  await store.recordSuccess(billing, new Date(NOW.getTime() - 3 * HOUR));
  await store.recordFailure(billing, new Date(NOW.getTime() - 5 * MINUTE), REASON);
}

describe.each(DIALECTS)("sources' freshness in Slack (%s)", (dialect) => {
  let server: SlackTestServer;

  beforeAll(async () => {
    server = await startSlackTestServer(dialect);
    await seedFunnel(server.ctx.db.prisma, server.ctx.workspace.id);
    server.fake.users.set("UADMIN", { id: "UADMIN", is_admin: true });
    server.fake.users.set("UPLAIN", { id: "UPLAIN", is_admin: false, is_owner: false });
  });
  afterAll(async () => server?.stop());

  it("says nothing about freshness, and how to add a source, while there is none", async () => {
    expect(answerText(await server.kpi("cac 2026-09", { userId: "UPLAIN" }))).not.toContain("Data as of");
    expect(answerText(await server.kpi("sources", { userId: "UPLAIN" }))).toContain("No source is configured");
  });

  it("lists each source's freshness for everyone, and why one fails only for admins", async () => {
    await seedSources(server.ctx);
    const plain = answerText(await server.kpi("sources", { userId: "UPLAIN" }));
    expect(plain).toMatch(/crm.*hubspot.*12 min ago.*ok/s);
    expect(plain).toMatch(/billing.*stripe.*3 h ago.*failing/s);
    expect(plain).not.toContain(REASON);
    expect(plain).toContain("An admin can see why");
    const admin = answerText(await server.kpi("sources", { userId: "UADMIN" }));
    expect(admin).toContain(`billing*: ${REASON}`);
  });

  it("puts the oldest sync under answers that read numbers, with a warning for the failing source", async () => {
    const answer = answerText(await server.kpi("cac 2026-09", { userId: "UPLAIN" }));
    expect(answer).toContain("Data as of 2026-10-14 06:00");
    expect(answer).toContain("(3 h ago)");
    expect(answer).toContain("billing failing");
    expect(answer).toContain("`/kpi sources`");
    const digest = answerText(await server.kpi("digest preview 2026-09", { userId: "UPLAIN" }));
    expect(digest).toContain("Data as of 2026-10-14 06:00");
    // help reads no numbers
    expect(answerText(await server.kpi("help", { userId: "UPLAIN" }))).not.toContain("Data as of");
  });

  it("calls a source stale after two intervals without a success", async () => {
    const store = createSourceStore(server.ctx.db);
    const crm = await store.get(server.ctx.workspace.id, "crm");
    if (!crm) throw new Error("crm is missing");
    await store.recordSuccess(crm, new Date(NOW.getTime() - 2 * HOUR - MINUTE));
    const answer = answerText(await server.kpi("sources", { userId: "UPLAIN" }));
    expect(answer).toMatch(/crm.*stale/s);
    // a failure after the last success stays a failure, however old that success is
    expect(answer).toMatch(/billing.*failing/s);
  });
});

describe.each(DIALECTS)("sources' freshness in Teams (%s)", (dialect) => {
  let server: TeamsTestServer;

  beforeAll(async () => {
    server = await startTeamsTestServer(dialect);
    await seedSources(server.ctx);
  });
  afterAll(async () => server?.stop());

  it("answers `kpi sources` with the same freshness, without the failure reason for a non-admin", async () => {
    const text = cardText(await server.ask("kpi sources"));
    expect(text).toContain("crm");
    expect(text).toContain("failing");
    expect(text).not.toContain(REASON);
    expect(text).toContain("see kpi sources");
  });
});
