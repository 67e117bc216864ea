// Placeholder until the command lands; replaced by its implementation.
import { AppError, ErrorCode } from "../../../core/errors.ts";
import type { CliCommand } from "../io.ts";

export const configCommand: CliCommand = {
  name: "config",
  usage: "tandem config",
  summary: "",
  async run() {
    throw new AppError(ErrorCode.Unavailable, "tandem config is not available yet");
  },
};
