// `tandem token create NAME | list | revoke NAME`: bearer tokens for POST /api/v1/facts.
// `create` prints the token alone on stdout (so `TOKEN=$(tandem token create ci)`
// works) and the note that it will not be shown again on stderr.
import { openContext } from "../../../app/context.ts";
import { AppError, ErrorCode } from "../../../core/errors.ts";
import { createTokenRepository, type IngestTokenInfo } from "../../../store/token-repository.ts";
import type { CliCommand, CliIo } from "../io.ts";

const USAGE = "tandem token create NAME | tandem token list | tandem token revoke NAME  [--workspace ID]";

function parseArgs(args: string[]): { action: string; name?: string; workspaceId?: number } {
  const positional: string[] = [];
  let workspaceId: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === "--workspace") {
      const id = Number(args[++i]);
      if (!Number.isInteger(id) || id <= 0)
        throw new AppError(ErrorCode.InvalidInput, `--workspace expects a workspace id\nusage: ${USAGE}`);
      workspaceId = id;
    } else if (arg.startsWith("--"))
      throw new AppError(ErrorCode.InvalidInput, `unknown option ${arg}\nusage: ${USAGE}`);
    else positional.push(arg);
  }
  const [action, name, extra] = positional;
  const needsName = action === "create" || action === "revoke";
  if (action === undefined || !["create", "list", "revoke"].includes(action))
    throw new AppError(ErrorCode.InvalidInput, `usage: ${USAGE}`);
  if (needsName && name === undefined)
    throw new AppError(ErrorCode.InvalidInput, `token ${action} needs a NAME\nusage: ${USAGE}`);
  if ((needsName ? extra : name) !== undefined) throw new AppError(ErrorCode.InvalidInput, `usage: ${USAGE}`);
  return { action, name, workspaceId };
}

const when = (date: Date | null) => (date === null ? "never" : date.toISOString().replace(/\.\d{3}Z$/, "Z"));

function printList(tokens: IngestTokenInfo[], io: CliIo): void {
  if (tokens.length === 0) {
    io.out("no ingest tokens (create one: tandem token create NAME)");
    return;
  }
  const rows = tokens.map((token) => [
    token.name,
    `${token.prefix}…`,
    when(token.createdAt),
    when(token.lastUsedAt),
    token.revokedAt === null ? "active" : `revoked ${when(token.revokedAt)}`,
  ]);
  const header = ["NAME", "TOKEN", "CREATED", "LAST USED", "STATUS"];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] as string).length)),
  );
  for (const row of [header, ...rows])
    io.out(
      row
        .map((cell, column) => cell.padEnd(widths[column] as number))
        .join("  ")
        .trimEnd(),
    );
}

export const tokenCommand: CliCommand = {
  name: "token",
  usage: USAGE,
  summary: "ingest API tokens",
  async run(args, io) {
    const { action, name, workspaceId } = parseArgs(args);
    const ctx = await openContext();
    try {
      let workspace = ctx.workspace.id;
      if (workspaceId !== undefined && workspaceId !== workspace) {
        const found = await ctx.db.prisma.workspace.findUnique({ where: { id: workspaceId } });
        if (found === null) throw new AppError(ErrorCode.NotFound, `no workspace with id ${workspaceId}`);
        workspace = found.id;
      }
      const tokens = createTokenRepository(ctx.db.prisma, ctx.clock);
      if (action === "create") {
        const created = await tokens.create(workspace, name as string);
        io.out(created.token);
        io.err(
          `Created ingest token ${JSON.stringify(created.info.name)}. Copy it now: it is stored hashed and will not be shown again.\n` +
            `Send facts with: Authorization: Bearer ${created.info.prefix}…  to POST /api/v1/facts`,
        );
      } else if (action === "list") printList(await tokens.list(workspace), io);
      else {
        const revoked = await tokens.revoke(workspace, name as string);
        io.out(revoked ? `revoked token ${name}` : `token ${name} was already revoked`);
      }
      return 0;
    } finally {
      await ctx.close();
    }
  },
};
