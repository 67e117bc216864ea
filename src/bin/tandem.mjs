#!/usr/bin/env node
// The `tandem` command. It runs the bundle `npm install` builds (dist/cli) while that is
// as new as the sources, so a run starts without transpiling; otherwise (a source edited
// since, or no build) it runs the TypeScript sources through tsx, never stale code.
import path from "node:path";
import { freshBuild } from "./fresh-build.mjs";

const built = freshBuild(path.resolve(import.meta.dirname, "..", ".."));
let cli;
if (built) {
  cli = await import(built);
} else {
  (await import("tsx/esm/api")).register();
  cli = await import("../main/cli.ts");
}
process.exitCode = await cli.runCli(process.argv.slice(2));
