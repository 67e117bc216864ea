// Real data does not mix with the demo company's by accident: an import, an ingest call
// or a source sync into a workspace that still holds demo facts or demo targets stops
// with one line saying how to remove them, or how to keep them deliberately. Every
// writer of real facts calls refuseWhileDemoData before writing.
import { AppError, ErrorCode } from "../errors.ts";

/** Whether the workspace still holds any demo fact or demo target (store/demo-data.ts). */
export type DemoDataProbe = (workspaceId: number) => Promise<boolean>;

export const DEMO_DATA_REFUSAL =
  "this workspace still holds the demo company's data: remove it with `tandem demo remove` (your own facts, targets and tokens stay), " +
  "or keep it deliberately with TANDEM_KEEP_DEMO=true (tandem import: --keep-demo)";

export async function refuseWhileDemoData(
  probe: DemoDataProbe,
  workspaceId: number,
  options: { keepDemo?: boolean | undefined } = {},
): Promise<void> {
  if (options.keepDemo) return;
  if (await probe(workspaceId)) throw new AppError(ErrorCode.Conflict, DEMO_DATA_REFUSAL);
}
