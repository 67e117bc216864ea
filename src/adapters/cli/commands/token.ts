// Placeholder until the command lands; replaced by its implementation.
import { AppError, ErrorCode } from "../../../core/errors.ts";
import type { CliCommand } from "../io.ts";

export const tokenCommand: CliCommand = {
  name: "token",
  usage: "tandem token",
  summary: "",
  async run() {
    throw new AppError(ErrorCode.Unavailable, "tandem token is not available yet");
  },
};
