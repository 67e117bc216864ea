// Placeholder until the command lands; replaced by its implementation.
import { AppError, ErrorCode } from "../../../core/errors.ts";
import type { CliCommand } from "../io.ts";

export const importCommand: CliCommand = {
  name: "import",
  usage: "tandem import",
  summary: "",
  async run() {
    throw new AppError(ErrorCode.Unavailable, "tandem import is not available yet");
  },
};
