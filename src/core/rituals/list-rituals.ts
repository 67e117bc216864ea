// `/kpi rituals`: the open rituals with their why-poll tally, and the decided ones.
import type { Message } from "../messages/model.ts";
import { ritualListMessage } from "./messages.ts";
import type { RitualDeps } from "./ports.ts";

export async function listRituals(
  deps: RitualDeps,
  request: { workspaceId: number; zone: string; nameOf: (metricKey: string) => string; limit?: number },
): Promise<Message> {
  const rituals = await deps.store.list(request.workspaceId, request.limit ?? 30);
  const tallies = await deps.store.tallies(rituals.filter((r) => r.status === "open").map((r) => r.id));
  return ritualListMessage({ rituals, tallies, nameOf: request.nameOf, zone: request.zone });
}
