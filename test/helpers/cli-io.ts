// Captures what a CLI command prints, for tests that call runCli in-process.
import type { CliIo } from "../../src/adapters/cli/io.ts";

export type Captured = CliIo & { stdout: string; stderr: string };

export function captureIo(): Captured {
  const io: Captured = {
    stdout: "",
    stderr: "",
    out: (text) => {
      io.stdout += `${text}\n`;
    },
    err: (text) => {
      io.stderr += `${text}\n`;
    },
  };
  return io;
}
