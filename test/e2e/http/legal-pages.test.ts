// The privacy and terms pages the Teams app package links to, served by `tandem serve`:
// plain text, the operator's own when configured, a short default otherwise.
import { afterEach, describe, expect, it } from "vitest";
import { fillManifest } from "../../../src/adapters/teams/package-app.ts";
import type { AppContext } from "../../../src/app/context.ts";
import { parseEnv } from "../../../src/config/env.ts";
import { createLogger } from "../../../src/core/logger.ts";
import { type RunningServer, startServer } from "../../../src/main/serve.ts";
import { ensureDefaultWorkspace } from "../../../src/store/workspaces.ts";
import { createTestDatabase, type TestDatabase } from "../../helpers/databases.ts";

describe("GET /privacy and GET /terms", () => {
  let test: TestDatabase | undefined;
  let running: RunningServer | undefined;
  afterEach(async () => {
    await running?.stop();
    await test?.drop();
  });

  async function serve(extra: Record<string, string>): Promise<string> {
    test = await createTestDatabase("sqlite");
    const env = parseEnv({ DATABASE_URL: test.url, LOG_LEVEL: "silent", ...extra });
    const workspace = await ensureDefaultWorkspace(test.db.prisma, env.TANDEM_TIMEZONE);
    const ctx: AppContext = {
      env,
      db: test.db,
      workspace,
      clock: { now: () => new Date("2026-10-14T09:00:00Z") },
      logger: createLogger("silent"),
      close: async () => {},
    };
    running = await startServer(ctx, { port: 0, host: "127.0.0.1", scheduler: false });
    return `http://127.0.0.1:${running.port}`;
  }

  it("serves the configured texts as plain text at the paths the Teams package names", async () => {
    const url = await serve({
      TANDEM_PRIVACY_TEXT: "Acme's privacy policy:\nhttps://acme.example/privacy",
      TANDEM_TERMS_TEXT: "Acme's terms apply.",
    });
    const manifest = fillManifest({
      appId: "0b7c1a2e-3d4f-4a5b-8c6d-7e8f9a0b1c2d",
      publicUrl: url.replace("http:", "https:"),
    });
    const developer = manifest.developer as { privacyUrl: string; termsOfUseUrl: string };
    for (const [link, expected] of [
      [developer.privacyUrl, "Acme's privacy policy:\nhttps://acme.example/privacy\n"],
      [developer.termsOfUseUrl, "Acme's terms apply.\n"],
    ] as const) {
      const response = await fetch(link.replace("https:", "http:"));
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("text/plain; charset=utf-8");
      expect(await response.text()).toBe(expected);
    }
  });

  it("says what Tandem stores when the operator configured nothing", async () => {
    const url = await serve({});
    const privacy = await (await fetch(`${url}/privacy`)).text();
    expect(privacy).toContain("pulse answers");
    expect(privacy).toContain("ask\nits administrators");
    const terms = await fetch(`${url}/terms`);
    expect(terms.status).toBe(200);
    expect(await terms.text()).toContain("MIT licence");
  });
});
