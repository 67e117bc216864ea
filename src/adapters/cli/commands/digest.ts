// Placeholder until the command lands; replaced by its implementation.
import { AppError, ErrorCode } from "../../../core/errors.ts";
import type { CliCommand } from "../io.ts";

export const digestCommand: CliCommand = {
  name: "digest",
  usage: "tandem digest",
  summary: "",
  async run() {
    throw new AppError(ErrorCode.Unavailable, "tandem digest is not available yet");
  },
};
