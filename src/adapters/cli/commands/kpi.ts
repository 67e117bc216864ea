// Placeholder until the command lands; replaced by its implementation.
import { AppError, ErrorCode } from "../../../core/errors.ts";
import type { CliCommand } from "../io.ts";

export const kpiCommand: CliCommand = {
  name: "kpi",
  usage: "tandem kpi",
  summary: "",
  async run() {
    throw new AppError(ErrorCode.Unavailable, "tandem kpi is not available yet");
  },
};
