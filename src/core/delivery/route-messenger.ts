// One Messenger over the platforms' own: each delivery goes to the messenger of its
// target's platform. A platform this Tandem does not serve is refused for good (501).

import type { Platform } from "../platform.ts";
import { DeliveryError } from "./delivery-error.ts";
import type { Messenger } from "./ports.ts";

export function routeMessenger(byPlatform: Partial<Record<Platform, Messenger>>): Messenger {
  const pick = (platform: Platform): Messenger => {
    const messenger = byPlatform[platform];
    if (!messenger) {
      throw new DeliveryError(`${platform} is not configured in this Tandem, so it cannot post there`, {
        status: 501,
        code: "platform_not_configured",
      });
    }
    return messenger;
  };
  return {
    post: async (target, message, attachments) => pick(target.platform).post(target, message, attachments),
    update: async (posted, message) => pick(posted.platform).update(posted, message),
    directMessage: async (recipient, message) => pick(recipient.platform).directMessage(recipient, message),
    upload: async (target, attachment) => pick(target.platform).upload(target, attachment),
    async canPost(target) {
      const messenger = byPlatform[target.platform];
      if (!messenger) return { ok: false, hint: `${target.platform} is not configured in this Tandem.` };
      return messenger.canPost(target);
    },
    async countAudience(target) {
      return (await byPlatform[target.platform]?.countAudience?.(target)) ?? null;
    },
  };
}
