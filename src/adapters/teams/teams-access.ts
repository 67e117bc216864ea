// Who may talk to POST /api/messages. With a MicrosoftAppId: Bot Framework tokens only,
// and replies only to the serviceUrl a token vouches for. Without one, the unauthenticated
// local mode (the Bot Framework Emulator), which anyone who can reach the port could use
// to pose as anyone: so it is served only on loopback, only when no other chat credential
// is configured or the operator asks for it by name, it talks only to loopback service
// URLs, and it never grants admin rights.
import { isIP } from "node:net";
import type { Activity, ConfigurationBotFrameworkAuthentication } from "botbuilder";
import type { Env } from "../../config/env.ts";
import { AppError, ErrorCode } from "../../core/errors.ts";

export type TeamsAccess =
  | { mode: "authenticated" }
  | { mode: "local" }
  /** not served; `reason` is for the operator's log */
  | { mode: "off"; reason: string };

/** Any chat credential at all, configured or half-configured (a lone token counts). */
export function hasAnyChatCredential(env: Env): boolean {
  return Boolean(
    env.SLACK_SIGNING_SECRET ||
      env.SLACK_BOT_TOKEN ||
      env.SLACK_APP_TOKEN ||
      env.SLACK_CLIENT_ID ||
      env.SLACK_CLIENT_SECRET ||
      env.MicrosoftAppId ||
      env.MicrosoftAppPassword,
  );
}

/** Throws (one line) for half a Teams set-up: a password without the app id it belongs to. */
export function checkTeamsSetup(env: Env): void {
  if (env.MicrosoftAppPassword && !env.MicrosoftAppId)
    throw new AppError(
      ErrorCode.InvalidInput,
      "Teams: MicrosoftAppPassword is set but MicrosoftAppId is not; set MicrosoftAppId, or unset MicrosoftAppPassword to run without Teams",
    );
}

/** `localhost`, 127.0.0.0/8, ::1 (and ::ffff:127.x): addresses only this machine reaches. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, "").toLowerCase();
  if (bare === "localhost") return true;
  if (isIP(bare) === 4) return bare.startsWith("127.");
  if (isIP(bare) === 6) return bare === "::1" || /^::ffff:127\./.test(bare);
  return false;
}

/** A service URL the local mode may post to: http(s) on a loopback address. */
export function isLoopbackUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return (parsed.protocol === "http:" || parsed.protocol === "https:") && isLoopbackHost(parsed.hostname);
  } catch {
    return false;
  }
}

/** How Teams is served, from the environment and the address the server binds (undefined: all interfaces). */
export function teamsAccess(env: Env, host: string | undefined): TeamsAccess {
  if (env.MicrosoftAppId) return { mode: "authenticated" };
  if (hasAnyChatCredential(env) && !env.TEAMS_LOCAL_UNAUTHENTICATED) {
    return {
      mode: "off",
      reason:
        "MicrosoftAppId is not set and another chat credential is: set MicrosoftAppId, or TEAMS_LOCAL_UNAUTHENTICATED=1 for the unauthenticated local mode",
    };
  }
  if (host === undefined || !isLoopbackHost(host)) {
    return {
      mode: "off",
      reason: `the unauthenticated local mode is served only on loopback, and HOST is ${host ?? "every interface"}: set MicrosoftAppId, or HOST=127.0.0.1`,
    };
  }
  return { mode: "local" };
}

type Authentication = Pick<ConfigurationBotFrameworkAuthentication, "authenticateRequest">;
export type AuthenticatedRequest = Awaited<ReturnType<Authentication["authenticateRequest"]>>;

/** Let in, with what botbuilder needs to answer; or refused, with a status and a body that names no internals. */
export type Admission =
  | { admitted: true; request: AuthenticatedRequest }
  | { admitted: false; status: 401 | 403 | 503; error: string; reason: string; cause?: unknown };

const refused = (status: 401 | 403 | 503, error: string, reason: string, cause?: unknown): Admission => ({
  admitted: false,
  status,
  error,
  reason,
  ...(cause === undefined ? {} : { cause }),
});

/**
 * Decides whether an activity is answered. Authenticated: botbuilder validates the JWT
 * (signature, issuer, audience = our app id, expiry), and the `serviceurl` claim must be the
 * activity's serviceUrl, so a reply never goes anywhere the Bot Framework did not vouch for.
 */
export async function admitActivity(
  access: TeamsAccess,
  auth: Authentication,
  activity: Partial<Activity>,
  authorization: string | undefined,
): Promise<Admission> {
  if (access.mode === "off") {
    return refused(401, "unauthorized: this server accepts only Bot Framework-authenticated activities", "teams off");
  }
  const serviceUrl = activity.serviceUrl ?? "";
  if (access.mode === "local") {
    if (!isLoopbackUrl(serviceUrl)) {
      return refused(
        403,
        "forbidden: the unauthenticated local mode answers only a serviceUrl on this machine (127.0.0.1, ::1, localhost)",
        "serviceUrl not loopback",
      );
    }
    return { admitted: true, request: await auth.authenticateRequest(activity as Activity, "") };
  }
  let request: AuthenticatedRequest;
  try {
    request = await auth.authenticateRequest(activity as Activity, authorization ?? "");
  } catch (error) {
    if (isTokenRejection(error)) return refused(401, "unauthorized", "token rejected", error);
    return refused(
      503,
      "could not verify the request's credentials right now; try again later",
      "token check failed",
      error,
    );
  }
  if (request.claimsIdentity.getClaimValue(SERVICE_URL_CLAIM) !== serviceUrl) {
    return refused(401, "unauthorized", "serviceUrl not vouched for by the token");
  }
  return { admitted: true, request };
}

const SERVICE_URL_CLAIM = "serviceurl";

/**
 * botbuilder's AuthenticationError carries 401 for a token it refuses, jsonwebtoken's own
 * errors (bad signature, expired) pass through unwrapped; anything else (a key fetch that
 * failed: 500 or a network error) is ours to retry later, not the caller's fault.
 */
function isTokenRejection(error: unknown): boolean {
  const { statusCode, name } = (error ?? {}) as { statusCode?: unknown; name?: unknown };
  return (
    statusCode === 401 || name === "JsonWebTokenError" || name === "TokenExpiredError" || name === "NotBeforeError"
  );
}
