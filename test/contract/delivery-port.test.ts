// The delivery port's contract suite, run against every implementation: the Slack
// messenger (Slack's Web API faked), the Teams messenger (the Bot Connector faked) and
// the test fake the use-case tests post through.
import { createSlackMessenger } from "../../src/adapters/slack/slack-messenger.ts";
import { createTeamsMessenger } from "../../src/adapters/teams/teams-messenger.ts";
import { DeliveryError } from "../../src/core/delivery/delivery-error.ts";
import type { Logger } from "../../src/core/ports.ts";
import { CHANNEL, cardOf, cardText, PERSONAL, startTeamsTestServer } from "../e2e/teams/teams-server.ts";
import { createFakeMessenger } from "../fakes/fake-messenger.ts";
import { startFakeSlackDelivery } from "../fakes/slack-delivery-api.ts";
import { type Delivered, deliveryPortContract, RETRY_AFTER_SECONDS } from "./delivery-port.contract.ts";

const quiet: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

deliveryPortContract("Slack", async () => {
  const slack = await startFakeSlackDelivery();
  slack.notMemberOf.add("C_OUT");
  const messenger = createSlackMessenger({ slackApiUrl: slack.apiUrl, logger: quiet, botToken: async () => "xoxb-c" });
  const target = { platform: "slack" as const, workspaceId: 1, channelId: "C123" };
  return {
    messenger,
    target,
    outsider: { ...target, channelId: "C_OUT" },
    recipient: { platform: "slack", workspaceId: 1, userId: "U42" },
    // chat.postMessage to a user id lands in the app's direct messages with them
    directChannel: "U42",
    delivered: () =>
      slack.calls.flatMap((call): Delivered[] => {
        if (call.failed) return [];
        const args = call.args as Record<string, string | undefined>;
        const threadId = args.thread_ts ?? null;
        if (call.method === "chat.postMessage") {
          return [{ kind: "message", channelId: String(args.channel), threadId, text: String(args.text) }];
        }
        if (call.method === "chat.update") {
          return [
            { kind: "edit", channelId: String(args.channel), messageId: String(args.ts), text: String(args.text) },
          ];
        }
        if (call.method === "files.completeUploadExternal") {
          const [file] = call.args.files as { title: string }[];
          return [{ kind: "file", channelId: String(args.channel_id), threadId, filename: file?.title ?? "" }];
        }
        return [];
      }),
    fail(failure) {
      slack.fail(
        "chat.postMessage",
        failure === "rate-limited"
          ? { status: 429, retryAfterSeconds: RETRY_AFTER_SECONDS }
          : failure === "unavailable"
            ? { status: 503 }
            : { error: "not_in_channel" },
      );
    },
    attempts: () => slack.callsTo("chat.postMessage").length,
    close: () => slack.close(),
  };
});

deliveryPortContract("Teams", async () => {
  const server = await startTeamsTestServer("sqlite");
  // Teams tells the bot about a channel and a personal chat the first time it hears from them.
  await server.ask("help", { conversation: CHANNEL });
  await server.ask("help", { conversation: PERSONAL, mention: false });
  const since = server.connector.calls.length;
  let turns = 0;
  const messenger = createTeamsMessenger({
    // every proactive turn is one attempt of the messenger's
    adapter: {
      continueConversationAsync: (...args: Parameters<typeof server.teams.adapter.continueConversationAsync>) => {
        turns += 1;
        return server.teams.adapter.continueConversationAsync(...args);
      },
    },
    appId: "",
    prisma: server.ctx.db.prisma,
    logger: quiet,
  });
  const target = {
    platform: "teams" as const,
    workspaceId: server.ctx.workspace.id,
    channelId: "19:general@thread.tacv2",
  };
  return {
    messenger,
    target,
    outsider: { ...target, channelId: "19:elsewhere@thread.tacv2" },
    recipient: { platform: "teams", workspaceId: server.ctx.workspace.id, userId: "aad-ana" },
    directChannel: PERSONAL.id,
    delivered: () =>
      server.connector.calls.slice(since).flatMap((call): Delivered[] => {
        const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/?]+))?/.exec(call.path);
        if (!match?.[1]) return [];
        const [channelId = "", threadId = null] = decodeURIComponent(match[1]).split(";messageid=");
        if (call.method === "PUT") {
          return [{ kind: "edit", channelId, messageId: match[2] ?? "", text: cardText(cardOf(call.body)) }];
        }
        const image = (call.body.attachments as { contentType: string; name?: string }[] | undefined)?.find(
          (attachment) => attachment.contentType === "image/png",
        );
        if (image) return [{ kind: "file", channelId, threadId, filename: image.name ?? "" }];
        return [{ kind: "message", channelId, threadId, text: cardText(cardOf(call.body)) }];
      }),
    fail(failure) {
      // botbuilder's connector client retries a 429 or 503 that carries a Retry-After by
      // itself, three times (here after retry-after-ms, 1 ms): the fourth failure is the
      // one the messenger sees.
      if (failure === "rate-limited") {
        server.connector.failNext(4, 429, { "retry-after": String(RETRY_AFTER_SECONDS), "retry-after-ms": "1" });
      } else if (failure === "unavailable") {
        server.connector.failNext(4, 503, { "retry-after-ms": "1" });
      } else {
        server.connector.failNext(1, 403);
      }
    },
    attempts: () => turns,
    close: () => server.stop(),
  };
});

deliveryPortContract("the test fake", async () => {
  const fake = createFakeMessenger();
  const target = { platform: "slack" as const, workspaceId: 1, channelId: "C1" };
  fake.notInChannel.add("C_OUT");
  const failures = {
    "rate-limited": () =>
      new DeliveryError("rate limited", { status: 429, retryAfterMs: RETRY_AFTER_SECONDS * 1000, code: "ratelimited" }),
    unavailable: () => new DeliveryError("unavailable", { status: 503 }),
    refused: () => new DeliveryError("not in channel", { status: 403, code: "not_in_channel" }),
  };
  return {
    messenger: fake,
    target,
    outsider: { ...target, channelId: "C_OUT" },
    recipient: { platform: "slack", workspaceId: 1, userId: "U42" },
    directChannel: "U42",
    delivered: () =>
      [
        ...fake.posts.flatMap((post) => [
          {
            order: post.order,
            delivered: {
              kind: "message",
              channelId: post.target.channelId,
              threadId: post.target.threadId ?? null,
              text: post.message.text,
            } as Delivered,
          },
          // the fake keeps a post's attachments on the post: they followed in its thread
          ...post.attachments.map((attachment) => ({
            order: post.order,
            delivered: {
              kind: "file",
              channelId: post.target.channelId,
              threadId: post.target.threadId ?? post.messageId,
              filename: attachment.filename,
            } as Delivered,
          })),
        ]),
        ...fake.updates.map((update) => ({
          order: update.order,
          delivered: {
            kind: "edit",
            channelId: update.target.channelId,
            messageId: update.target.messageId,
            text: update.message.text,
          } as Delivered,
        })),
        ...fake.uploads.map((upload) => ({
          order: upload.order,
          delivered: {
            kind: "file",
            channelId: upload.target.channelId,
            threadId: upload.target.threadId ?? null,
            filename: upload.attachment.filename,
          } as Delivered,
        })),
        ...fake.directMessages.map((dm) => ({
          order: dm.order,
          delivered: {
            kind: "message",
            channelId: dm.target.userId,
            threadId: null,
            text: dm.message.text,
          } as Delivered,
        })),
      ]
        .sort((a, b) => a.order - b.order)
        .map((entry) => entry.delivered),
    fail: (failure) => fake.failPosts(failures[failure]()),
    attempts: () => fake.attempts,
    close: async () => {},
  };
});
