#!/usr/bin/env node
// `npm run build` (and the last step of `npm install`): bundles the `tandem` command into
// dist/cli with esbuild, one chunk per lazily loaded command, so a run starts without
// transpiling TypeScript. Packages stay external (node_modules is resolved as usual). The
// manifest records every input's size and mtime; fresh-build.mjs compares them at start.
// A failed build only warns: `tandem` then runs the sources through tsx, as before.
import { mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { BUILD_DIR, MANIFEST } from "./fresh-build.mjs";

const root = path.resolve(import.meta.dirname, "..", "..");

/** esbuild comes with tsx (a dependency); resolved through it in case it is not hoisted. */
async function loadEsbuild() {
  const require = createRequire(import.meta.url);
  try {
    return await import(require.resolve("esbuild"));
  } catch {
    return await import(createRequire(require.resolve("tsx/package.json")).resolve("esbuild"));
  }
}

export async function buildCli(buildDir = BUILD_DIR) {
  const outdir = path.join(root, buildDir);
  const esbuild = await loadEsbuild();
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: { cli: "src/main/cli.ts" },
    outdir,
    // chunks beside the entry: src/store/migrate.ts finds prisma/ two folders up, as in src/
    chunkNames: "[name]-[hash]",
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    packages: "external",
    sourcemap: "linked",
    metafile: true,
    logLevel: "warning",
  });
  const inputs = {};
  for (const file of Object.keys(result.metafile.inputs)) {
    const { mtimeMs, size } = statSync(path.join(root, file));
    inputs[file] = { mtimeMs, size };
  }
  writeFileSync(path.join(outdir, MANIFEST), JSON.stringify({ entry: "cli.js", inputs }));
  return { outdir, inputs: Object.keys(inputs).length, metafile: result.metafile };
}

if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  try {
    const { outdir, inputs } = await buildCli();
    console.log(`tandem: built ${path.relative(root, outdir)} from ${inputs} sources`);
  } catch (error) {
    console.warn(`tandem: build failed, the command will run the sources through tsx: ${error.message}`);
  }
}
