// The `tandem` command runs dist/cli only while every source it was built from is unchanged.
import { mkdirSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { freshBuild } from "../../../src/bin/fresh-build.mjs";

describe("freshBuild", () => {
  let root: string;
  const manifest = () => path.join(root, "dist/cli/inputs.json");

  function record(files: string[]): void {
    const inputs = Object.fromEntries(
      files.map((file) => {
        const { mtimeMs, size } = statSync(path.join(root, file));
        return [file, { mtimeMs, size }];
      }),
    );
    writeFileSync(manifest(), JSON.stringify({ entry: "cli.js", inputs }));
  }

  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), "tandem-fresh-"));
    mkdirSync(path.join(root, "src/main"), { recursive: true });
    mkdirSync(path.join(root, "dist/cli"), { recursive: true });
    writeFileSync(path.join(root, "src/main/cli.ts"), "export const a = 1;\n");
    writeFileSync(path.join(root, "src/main/other.ts"), "export const b = 2;\n");
    record(["src/main/cli.ts", "src/main/other.ts"]);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("names the built entry while every input is as it was built", () => {
    expect(freshBuild(root)).toBe(path.join(root, "dist/cli/cli.js"));
  });

  it("is null without a build", () => {
    rmSync(manifest());
    expect(freshBuild(root)).toBeNull();
  });

  it("is null once a source is edited", () => {
    writeFileSync(path.join(root, "src/main/other.ts"), "export const b = 3;\n");
    utimesSync(path.join(root, "src/main/other.ts"), new Date(), new Date(Date.now() + 5_000));
    expect(freshBuild(root)).toBeNull();
  });

  it("is null when a source gets another modification time, even with the same size (a checkout)", () => {
    utimesSync(path.join(root, "src/main/cli.ts"), new Date(), new Date(Date.now() - 60_000));
    expect(freshBuild(root)).toBeNull();
  });

  it("is null when a source is gone", () => {
    rmSync(path.join(root, "src/main/other.ts"));
    expect(freshBuild(root)).toBeNull();
  });

  it("reads the build folder it is given", () => {
    expect(freshBuild(root, "dist/elsewhere")).toBeNull();
  });
});
