// The admins hear about a source once when it starts failing (its newest attempt a
// failure after a success, or after nothing), not once per retry, and once when it
// recovers. Runs after a scheduled sync, with the state the sync found (read under
// its claim) and the state it left: only the holder that made the transition tells.
import type { Messenger, Recipient } from "../delivery/ports.ts";
import { DEFAULT_RETRY_POLICY, type RetryPolicy, withRetries } from "../delivery/retries.ts";
import { errorText } from "../describe-error.ts";
import { clip, LIMITS, type Message, makeMessage } from "../messages/model.ts";
import { commandPrefix } from "../platform.ts";
import type { Logger } from "../ports.ts";
import type { SourceState } from "./ports.ts";

type Attempts = Pick<SourceState, "lastSuccessAt" | "lastFailureAt">;

/** Its newest attempt failed. */
export function isFailing(source: Attempts): boolean {
  const failure = source.lastFailureAt?.getTime() ?? null;
  const success = source.lastSuccessAt?.getTime() ?? null;
  return failure !== null && (success === null || failure > success);
}

export type SourceNotice = "started failing" | "recovered";

export function noticeFor(before: Attempts, after: Attempts): SourceNotice | null {
  if (!isFailing(before) && isFailing(after)) return "started failing";
  if (isFailing(before) && !isFailing(after)) return "recovered";
  return null;
}

export type FailureNoticeDeps = {
  messenger: Messenger;
  /** who administers the workspace, on the platform each one is reached on */
  admins(workspaceId: number): Promise<Recipient[]>;
  logger: Logger;
  retry?: Partial<RetryPolicy>;
};

/** The afterSync of runDueSyncs: direct messages to the admins on a transition. */
export function tellAdminsOnTransition(deps: FailureNoticeDeps) {
  const policy = { ...DEFAULT_RETRY_POLICY, ...deps.retry };
  return async ({ before, after }: { before: SourceState; after: SourceState }): Promise<void> => {
    const notice = noticeFor(before, after);
    if (notice === null) return;
    const admins = await deps.admins(after.workspaceId);
    if (admins.length === 0) {
      deps.logger.warn("a source changed state and the workspace has no admin to tell", {
        source: after.name,
        workspaceId: after.workspaceId,
        notice,
      });
      return;
    }
    const messenger = withRetries(deps.messenger, policy);
    for (const admin of admins) {
      try {
        await messenger.directMessage(admin, noticeMessage(notice, after, admin));
      } catch (error) {
        deps.logger.error("could not tell an admin about a source", {
          source: after.name,
          platform: admin.platform,
          error: errorText(error),
        });
      }
    }
  };
}

export function noticeMessage(notice: SourceNotice, source: SourceState, admin: Pick<Recipient, "platform">): Message {
  const command = `${commandPrefix(admin.platform)} sources`;
  if (notice === "recovered")
    return makeMessage(
      [
        { type: "section", text: `The source ${source.name} (${source.kind}) syncs again: its last sync succeeded.` },
        { type: "context", text: `\`${command}\` shows every source's freshness.` },
      ],
      { visibility: "private" },
    );
  return makeMessage(
    [
      {
        type: "section",
        text:
          `The source ${source.name} (${source.kind}) started failing: its numbers stay as of its last ` +
          "successful sync until it syncs again. Tandem retries it on its schedule and tells you once it recovers.",
      },
      { type: "context", text: clip(`Reason: ${source.lastFailure ?? "unknown"}`, LIMITS.textChars) },
      {
        type: "context",
        text: `\`${command}\` shows every source's state; \`tandem sources sync ${source.name}\` tries it now.`,
      },
    ],
    { visibility: "private" },
  );
}
