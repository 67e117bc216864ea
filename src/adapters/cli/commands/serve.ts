// Placeholder until the command lands; replaced by its implementation.
import { AppError, ErrorCode } from "../../../core/errors.ts";
import type { CliCommand } from "../io.ts";

export const serveCommand: CliCommand = {
  name: "serve",
  usage: "tandem serve",
  summary: "",
  async run() {
    throw new AppError(ErrorCode.Unavailable, "tandem serve is not available yet");
  },
};
