// GET /privacy and GET /terms: the plain-text pages the Teams app package links to
// (privacyUrl, termsOfUseUrl under TANDEM_PUBLIC_URL). The operator's own text comes from
// TANDEM_PRIVACY_TEXT / TANDEM_TERMS_TEXT; the defaults say what Tandem itself stores.
import { sendText } from "./body.ts";
import type { Route } from "./server.ts";

export const DEFAULT_PRIVACY_TEXT = `Privacy

This Tandem is run by the organisation that installed it in your chat workspace; ask
its administrators for their privacy policy and how to reach them.

What Tandem stores, in that organisation's own database:
- business facts its administrators load (leads, deals, spend, revenue) and the metrics
  computed from them;
- for people who use it: their chat platform user id, the department they joined, and
  the commands that change the team's set-up (in an audit log);
- pulse answers: anonymous pulses store each answer under a key that cannot be traced
  back to a person without a secret kept outside the database; results show no names,
  and no breakdown for groups smaller than the configured minimum.

Tandem sends nothing to its authors or to any third party beyond the chat platform it
answers in (Slack or Microsoft Teams).
`;

export const DEFAULT_TERMS_TEXT = `Terms of use

Tandem is open-source software (MIT licence), provided as is, without warranty of any
kind. This installation is run by the organisation that added it to your chat
workspace, under its own terms; ask its administrators for them.
`;

export function legalPageRoutes(env: {
  TANDEM_PRIVACY_TEXT?: string | undefined;
  TANDEM_TERMS_TEXT?: string | undefined;
}): Route[] {
  const page = (path: string, text: string): Route => ({
    method: "GET",
    path,
    handler: (_req, res) => sendText(res, 200, text.endsWith("\n") ? text : `${text}\n`),
  });
  return [
    page("/privacy", env.TANDEM_PRIVACY_TEXT ?? DEFAULT_PRIVACY_TEXT),
    page("/terms", env.TANDEM_TERMS_TEXT ?? DEFAULT_TERMS_TEXT),
  ];
}
