#!/usr/bin/env node
// The `tandem` command. TypeScript sources run through tsx, so a fresh
// `npm install` is all a machine needs (no build step before first use).
import { register } from "tsx/esm/api";

register();
const { runCli } = await import("../main/cli.ts");
process.exitCode = await runCli(process.argv.slice(2));
