// Signs a request body exactly as Slack does (v0 HMAC-SHA256 over
// `v0:timestamp:rawbody`), for end-to-end tests and the bench.
import { createHmac } from "node:crypto";

export function slackSignatureHeaders(
  signingSecret: string,
  rawBody: string,
  timestampSec: number = Math.floor(Date.now() / 1000),
): Record<string, string> {
  const signature = `v0=${createHmac("sha256", signingSecret).update(`v0:${timestampSec}:${rawBody}`).digest("hex")}`;
  return { "x-slack-signature": signature, "x-slack-request-timestamp": String(timestampSec) };
}

/** The form-encoded body of a slash command, with the fields Slack sends. */
export function slashCommandBody(fields: {
  text: string;
  command?: string;
  userId?: string;
  userName?: string;
  teamId?: string;
  teamDomain?: string;
  channelId?: string;
  responseUrl: string;
  triggerId?: string;
}): string {
  return new URLSearchParams({
    token: "deprecated-verification-token",
    team_id: fields.teamId ?? "T0001",
    team_domain: fields.teamDomain ?? "tandem-test",
    channel_id: fields.channelId ?? "C0001",
    channel_name: "kpis",
    user_id: fields.userId ?? "U0001",
    user_name: fields.userName ?? "ada",
    command: fields.command ?? "/kpi",
    text: fields.text,
    api_app_id: "A0001",
    is_enterprise_install: "false",
    response_url: fields.responseUrl,
    trigger_id: fields.triggerId ?? "1.2.3",
  }).toString();
}

/** An interactivity payload (block_actions etc.), form-encoded as `payload=<json>`. */
export function interactivityBody(payload: unknown): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** Sends a signed request to a running server; returns status and body text. */
export async function postSigned(
  url: string,
  signingSecret: string,
  body: string,
  options: { contentType?: string; timestampSec?: number; signature?: string } = {},
): Promise<{ status: number; text: string; json(): unknown }> {
  const headers = slackSignatureHeaders(signingSecret, body, options.timestampSec);
  if (options.signature) headers["x-slack-signature"] = options.signature;
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": options.contentType ?? "application/x-www-form-urlencoded", ...headers },
    body,
  });
  const text = await response.text();
  return { status: response.status, text, json: () => JSON.parse(text) };
}
