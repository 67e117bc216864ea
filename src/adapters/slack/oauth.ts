// "Add to Slack": Bolt's installer (from @slack/oauth) on the shared server.
// GET /slack/install sets a state cookie and sends the browser to Slack;
// GET /slack/oauth_redirect exchanges the code and stores the installation.
import type { Logger as BoltLogger, InstallationStore, webApi } from "@slack/bolt";
import { InstallProvider } from "@slack/oauth";
import type { Logger } from "../../core/ports.ts";
import type { Route } from "../http/server.ts";

/** The bot scopes of manifest/slack/manifest.json (a test keeps the two equal). */
export const BOT_SCOPES = ["commands", "chat:write", "users:read", "files:write", "channels:read", "groups:read"];

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export type SlackOAuth = { installer: InstallProvider; routes: Route[] };

export function createSlackOAuth(deps: {
  clientId: string;
  clientSecret: string;
  stateSecret: string;
  installationStore: InstallationStore;
  clientOptions: webApi.WebClientOptions;
  logger: Logger;
  boltLogger: BoltLogger;
}): SlackOAuth {
  const { logger: _ignored, logLevel: _level, ...clientOptions } = deps.clientOptions;
  const installer = new InstallProvider({
    clientId: deps.clientId,
    clientSecret: deps.clientSecret,
    stateSecret: deps.stateSecret,
    installationStore: deps.installationStore,
    installUrlOptions: { scopes: BOT_SCOPES },
    directInstall: true,
    logger: deps.boltLogger,
    clientOptions,
  });
  const page = (title: string, body: string) =>
    `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head>` +
    `<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto">${body}</body></html>`;

  return {
    installer,
    routes: [
      {
        method: "GET",
        path: "/slack/install",
        handler: (req, res) => installer.handleInstallPath(req, res),
      },
      {
        method: "GET",
        path: "/slack/oauth_redirect",
        handler: (req, res) =>
          installer.handleCallback(req, res, {
            success: (installation, _options, _req, response) => {
              const team = escapeHtml(installation.team?.name ?? installation.enterprise?.name ?? "your workspace");
              response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
              response.end(
                page(
                  "Tandem is installed",
                  `<h1>Tandem is installed in ${team}</h1><p>Type <code>/kpi help</code> in any channel to start, ` +
                    "and open Tandem's Home tab for your scorecard.</p>",
                ),
              );
            },
            failure: (error, _options, _req, response) => {
              deps.logger.warn("slack install failed", { code: error.code, error: error.message });
              response.writeHead(400, { "content-type": "text/html; charset=utf-8" });
              response.end(
                page(
                  "Tandem was not installed",
                  `<h1>Tandem was not installed</h1><p>${escapeHtml(error.message)}</p>` +
                    '<p><a href="/slack/install">Try again</a></p>',
                ),
              );
            },
          }),
      },
    ],
  };
}
