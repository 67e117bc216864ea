// Output streams for CLI commands, injectable so tests capture them.
export type CliIo = {
  out(text: string): void;
  err(text: string): void;
};

export const processIo: CliIo = {
  out: (text) => process.stdout.write(text.endsWith("\n") ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith("\n") ? text : `${text}\n`),
};

export type CliCommand = {
  name: string;
  usage: string;
  summary: string;
  /** returns the process exit code */
  run(args: string[], io: CliIo): Promise<number>;
};
