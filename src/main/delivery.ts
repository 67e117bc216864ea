// Each configured platform's messenger, built once from the environment: the delivery
// port every proactive post goes through (wrapped in withRetries by the use case that posts).

import { createSlackMessenger, installationBotTokens } from "../adapters/slack/slack-messenger.ts";
import type { AppContext } from "../app/context.ts";
import { createSecretBox } from "../core/crypto/secret-box.ts";
import type { Messenger } from "../core/delivery/ports.ts";
import { routeMessenger } from "../core/delivery/route-messenger.ts";
import type { ChatPlatform } from "../core/platform.ts";

type DeliveryContext = Pick<AppContext, "db" | "logger" | "env">;

export type Messengers = Partial<Record<ChatPlatform, Messenger>>;

/** Slack's messenger when Slack is configured (one bot token, or OAuth installations); else null. */
export function slackMessenger(ctx: DeliveryContext): Messenger | null {
  const { env, logger } = ctx;
  const base = { logger, ...(env.SLACK_API_URL ? { slackApiUrl: env.SLACK_API_URL } : {}) };
  if (env.SLACK_BOT_TOKEN) {
    const token = env.SLACK_BOT_TOKEN;
    return createSlackMessenger({ ...base, botToken: async () => token });
  }
  if (env.SLACK_CLIENT_ID && env.TANDEM_ENCRYPTION_KEY) {
    return createSlackMessenger({
      ...base,
      botToken: installationBotTokens(ctx.db.prisma, createSecretBox(env.TANDEM_ENCRYPTION_KEY)),
    });
  }
  return null;
}

/** The configured platforms' messengers: Slack's from the environment, Teams' when the server has its bot. */
export function platformMessengers(ctx: DeliveryContext, teams?: Messenger): Messengers {
  const slack = slackMessenger(ctx);
  return { ...(slack ? { slack } : {}), ...(teams ? { teams } : {}) };
}

/** One messenger for whichever platforms are configured; posting to another fails with a clear error. */
export function platformMessenger(ctx: DeliveryContext, teams?: Messenger): Messenger {
  return routeMessenger(platformMessengers(ctx, teams));
}
