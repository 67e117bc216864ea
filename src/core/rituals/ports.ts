// What the ritual use cases need from the store (src/store/rituals.ts) and the chat.
import type { Platform } from "../platform.ts";
import type { AnsweringDeps } from "../pulse/ports.ts";
import type { Ritual, Tally, WhyReason } from "./types.ts";

export type RitualStore = {
  /** creates the ritual unless one exists for (workspace, platform, channel, metric, period) */
  open(input: {
    workspaceId: number;
    platform: Platform;
    channelId: string;
    threadId: string | null;
    metricKey: string;
    periodKey: string;
  }): Promise<{ ritual: Ritual; created: boolean }>;
  get(ritualId: number): Promise<Ritual | null>;
  /** one vote per voter key, changeable: an upsert on (ritual, voter key) */
  vote(input: { ritualId: number; voterKey: string; reason: WhyReason }): Promise<{ previous: WhyReason | null }>;
  tally(ritualId: number): Promise<Tally>;
  tallies(ritualIds: number[]): Promise<Map<number, Tally>>;
  /** compare-and-set open → decided; false when it was decided already */
  decide(input: { ritualId: number; decision: string; decidedBy: string; now: Date }): Promise<boolean>;
  list(workspaceId: number, limit: number): Promise<Ritual[]>;
  departments(workspaceId: number): Promise<{ key: string; name: string }[]>;
  audit(entry: { workspaceId: number; actor: string; action: string; detail?: Record<string, unknown> }): Promise<void>;
};

export type RitualDeps = AnsweringDeps & { store: RitualStore };
