// `npm run docs:examples`: the answers the README shows, generated from the demo company
// on a fresh database at a fixed moment, typed at the local console exactly as a person
// would. Each example fills the README's block between
//   <!-- docs:examples NAME -->  and  <!-- /docs:examples NAME -->
// and a test (test/integration/docs/readme-examples.test.ts) fails when the README no
// longer matches what the demo prints.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { answerLine } from "../adapters/console/console.ts";
import { openContext } from "../app/context.ts";
import { loadDemo } from "../app/load-demo.ts";
import { parseEnv } from "../config/env.ts";
import { createLogger } from "../core/logger.ts";
import { createChat } from "./chat.ts";

/** The moment the examples are taken at: the demo runs up to it. */
export const EXAMPLES_NOW = new Date("2026-12-02T09:00:00Z");

type Example = {
  name: string;
  lines: string[] /** an excerpt: at most this many lines of each answer */;
  maxLines?: number;
};

export const EXAMPLES: Example[] = [
  {
    name: "kpi",
    lines: ["/kpi cac 2026-10", "/kpi new revenue last week", "/kpi funnel", "/kpi 2026-10", "/kpi cac Q5"],
  },
  { name: "digest", lines: ["digest preview"], maxLines: 40 },
];

const README = path.resolve(import.meta.dirname, "..", "..", "README.md");

function excerpt(answer: string, maxLines: number | undefined): string {
  const lines = answer.split("\n");
  return maxLines === undefined || lines.length <= maxLines ? answer : [...lines.slice(0, maxLines), "…"].join("\n");
}

/** Every example's console transcript, from the demo loaded into a throwaway SQLite database. */
export async function renderExamples(): Promise<Map<string, string>> {
  const dir = mkdtempSync(path.join(tmpdir(), "tandem-examples-"));
  const logger = createLogger("silent");
  const clock = { now: () => EXAMPLES_NOW };
  const ctx = await openContext({
    env: parseEnv({ DATABASE_URL: `file:${path.join(dir, "demo.db")}`, LOG_LEVEL: "silent" }),
    clock,
    logger,
  });
  try {
    await loadDemo({ db: ctx.db, workspace: ctx.workspace, clock });
    // a fixed secret: nothing here answers a pulse, but the pulse services want one
    const chat = createChat(ctx, { secret: Buffer.alloc(32, 1) }).commands;
    const rendered = new Map<string, string>();
    for (const example of EXAMPLES) {
      const parts: string[] = [];
      for (const line of example.lines) {
        parts.push(`tandem> ${line}\n${excerpt(await answerLine(ctx, chat, line), example.maxLines)}`);
      }
      rendered.set(example.name, parts.join("\n\n"));
    }
    return rendered;
  } finally {
    await ctx.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const block = (name: string) =>
  new RegExp(`(<!-- docs:examples ${name} -->\\n)(?:[\\s\\S]*?\\n)?(<!-- /docs:examples ${name} -->)`);

/** The README with every example's block replaced; throws when a block's markers are missing. */
export function fillReadme(readme: string, examples: Map<string, string>): string {
  let text = readme;
  for (const [name, transcript] of examples) {
    if (!block(name).test(text)) throw new Error(`README.md has no <!-- docs:examples ${name} --> block`);
    text = text.replace(
      block(name),
      (_match, start: string, end: string) => `${start}\`\`\`\n${transcript}\n\`\`\`\n${end}`,
    );
  }
  return text;
}

export function readReadme(): string {
  return readFileSync(README, "utf8");
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const before = readReadme();
  const after = fillReadme(before, await renderExamples());
  if (after !== before) writeFileSync(README, after);
  console.log(after === before ? "README.md examples are up to date" : "README.md examples rewritten from the demo");
}
