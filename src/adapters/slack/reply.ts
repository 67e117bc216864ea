// Slack allows 3 s to acknowledge a command. Most answers are ready well before
// that and go out in the acknowledgement itself (one round trip, nothing to lose);
// a slower one is acknowledged empty at the budget, or the moment the event loop is about
// to block on an aggregate (SQLite), and follows through response_url.
import type { BlockingSignal } from "../../core/blocking-signal.ts";
import type { Message } from "../../core/messages/model.ts";
import { toSlack } from "../../render/slack/render.ts";

export type Reply = { response_type: "ephemeral" | "in_channel"; text: string; blocks: unknown[] };

/** A neutral message's visibility as Slack's response_type: private unless it says channel. */
export function responseType(message: Message): Reply["response_type"] {
  return message.visibility === "channel" ? "in_channel" : "ephemeral";
}

/** A reply through response_url only the person who clicked sees, leaving the clicked message as it is. */
export function privateReply(message: Message) {
  return { response_type: "ephemeral" as const, replace_original: false, ...toSlack(message) };
}

export async function ackWithinBudget(options: {
  /** started only after an immediate ack when there is no budget */
  work: () => Promise<Reply>;
  budgetMs: number;
  ack(reply?: Reply): Promise<void>;
  /** absent when the request carried no response_url: then the answer must ride in the ack */
  respond?: (reply: Reply) => Promise<unknown>;
  /** warned before blocking work starts: the acknowledgement cannot wait for it */
  blocking?: BlockingSignal | undefined;
}): Promise<"in-ack" | "via-respond"> {
  if (!options.respond) {
    await options.ack(await options.work());
    return "in-ack";
  }
  if (options.budgetMs > 0) {
    const work = options.work();
    const late = Symbol("late");
    let timer: NodeJS.Timeout | undefined;
    let stopListening = () => {};
    const budget = new Promise<typeof late>((resolve) => {
      timer = setTimeout(() => resolve(late), options.budgetMs);
      if (options.blocking) stopListening = options.blocking.listen(() => resolve(late));
    });
    const first = await Promise.race([work, budget]);
    clearTimeout(timer);
    stopListening();
    if (first !== late) {
      await options.ack(first);
      return "in-ack";
    }
    await options.ack();
    await options.respond(await work);
    return "via-respond";
  }
  await options.ack();
  await options.respond(await options.work());
  return "via-respond";
}
