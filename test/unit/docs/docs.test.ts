// The user documentation lives in the repository and stays true to it: every relative
// link in README.md and docs/ resolves to a file (and heading) inside the repository,
// nothing points at documents a clone does not have, and the reference pages name
// every metric, alias, fact field, environment variable and config key the code knows.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { EnvSchema } from "../../../src/config/env.ts";
import { MetricsConfigSchema } from "../../../src/config/metrics-config.ts";
import { FACT_FIELDS, FACT_KINDS } from "../../../src/core/facts/fact.ts";
import { BUILTIN_METRICS } from "../../../src/core/kpi/catalog.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
/** not the project's own text: dependencies, generated code, build output, local data */
const SKIPPED = new Set(["node_modules", ".git", "dist", "data", "coverage", "generated", "bench-results", "scratch"]);

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (SKIPPED.has(name)) return [];
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

const read = (path: string) => readFileSync(path, "utf8");
const docs = [join(ROOT, "README.md"), ...files(join(ROOT, "docs")).filter((path) => path.endsWith(".md"))];

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
function anchors(markdown: string): Set<string> {
  const out = new Set<string>();
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of markdown.split("\n")) {
    if (line.startsWith("```")) fenced = !fenced;
    const heading = fenced ? null : /^#{1,6}\s+(.*)$/.exec(line);
    if (!heading?.[1]) continue;
    const slug = heading[1]
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, "")
      .trim()
      .replace(/\s/g, "-");
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    out.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return out;
}

/** Markdown links [text](target) outside code, with the line they are on. */
function links(markdown: string): { target: string; line: number }[] {
  const out: { target: string; line: number }[] = [];
  let fenced = false;
  markdown.split("\n").forEach((line, i) => {
    if (line.startsWith("```")) fenced = !fenced;
    if (fenced) return;
    const prose = line.replace(/`[^`]*`/g, "");
    for (const match of prose.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      if (match[1]) out.push({ target: match[1], line: i + 1 });
    }
  });
  return out;
}

describe("the user documentation", () => {
  it("exists for metrics, facts and configuration", () => {
    for (const name of ["metrics.md", "facts.md", "configuration.md"]) {
      expect(existsSync(join(ROOT, "docs", name)), name).toBe(true);
    }
  });

  it.each(docs.map((path) => [relative(ROOT, path), path]))(
    "%s links only to files and headings inside the repository",
    (_name, path) => {
      const problems: string[] = [];
      for (const { target, line } of links(read(path))) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
        const [file = "", anchor] = target.split("#");
        const resolved = file === "" ? path : resolve(dirname(path), decodeURIComponent(file));
        const where = `${relative(ROOT, path)}:${line} → ${target}`;
        if (resolved !== ROOT && !resolved.startsWith(ROOT + sep)) problems.push(`${where}: outside the repository`);
        else if (!existsSync(resolved)) problems.push(`${where}: no such file`);
        else if (anchor && resolved.endsWith(".md") && !anchors(read(resolved)).has(anchor)) {
          problems.push(`${where}: no such heading`);
        }
      }
      expect(problems).toEqual([]);
    },
  );

  it("never sends a reader to documents a clone of the repository does not have", () => {
    const outside = ["..", "shared"].join("/");
    const mentions = files(ROOT)
      .filter((path) => /\.(md|ts|mts|mjs|js|json|ya?ml|prisma|sql|txt|sh)$/.test(path) || !path.includes("."))
      .filter((path) => read(path).includes(outside))
      .map((path) => relative(ROOT, path));
    expect(mentions).toEqual([]);
    const userFacing = [...docs, join(ROOT, "src/config/tandem.config.example.yaml")];
    for (const path of userFacing) {
      for (const name of ["KPI-DEFINITIONS.md", "CONTRACT.md", "DESIGN.md", "TOOLCHAIN.md"]) {
        expect(read(path), `${relative(ROOT, path)} mentions ${name}`).not.toContain(name);
      }
    }
  });

  it("names every built-in metric and every name it is known by", () => {
    const metrics = read(join(ROOT, "docs/metrics.md"));
    for (const metric of BUILTIN_METRICS) {
      expect(metrics, metric.key).toContain(`\`${metric.key}\``);
      for (const alias of metric.aliases) expect(metrics, `${metric.key}: ${alias}`).toContain(alias);
    }
  });

  it("describes every fact field and kind", () => {
    const facts = read(join(ROOT, "docs/facts.md"));
    for (const name of [...FACT_FIELDS, ...FACT_KINDS]) expect(facts, name).toContain(`| \`${name}\` |`);
  });

  it("lists every environment variable the code reads, and every key of tandem.config.yaml", () => {
    const configuration = read(join(ROOT, "docs/configuration.md"));
    for (const name of [...Object.keys(EnvSchema.shape), "TANDEM_PUBLIC_URL", "HOST"]) {
      expect(configuration, name).toContain(`\`${name}\``);
    }
    const fromCode = files(join(ROOT, "src"))
      .filter((path) => path.endsWith(".ts"))
      .flatMap((path) => [...read(path).matchAll(/process\.env\.([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1] ?? ""));
    for (const name of fromCode) expect(configuration, name).toContain(`\`${name}\``);
    for (const key of Object.keys(MetricsConfigSchema.shape)) {
      expect(configuration, key).toContain(`### \`${key}\``);
    }
  });

  it("opens the README with what Tandem is and the two commands, benchmarks further down", () => {
    const readme = read(join(ROOT, "README.md"));
    const firstSection = readme.split(/^## /m)[1] ?? "";
    expect(firstSection).toMatch(/^Start\n/);
    expect(firstSection).toContain("```\nnpm install\nnpm start\n```");
    const sections = [...readme.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    expect(sections.indexOf("Performance")).toBeGreaterThan(sections.indexOf("Start") + 3);
    expect(readme.slice(0, readme.indexOf("## Start"))).not.toMatch(/bench|rows\/s|p95/);
    expect(readme).not.toMatch(/these machines|this project's (2-core )?machine/);
  });
});
