// Placeholder until the command lands; replaced by its implementation.
import { AppError, ErrorCode } from "../../../core/errors.ts";
import type { CliCommand } from "../io.ts";

export const demoCommand: CliCommand = {
  name: "demo",
  usage: "tandem demo",
  summary: "",
  async run() {
    throw new AppError(ErrorCode.Unavailable, "tandem demo is not available yet");
  },
};
