// Whether dist/cli (written by build.mjs at install time) still matches the sources it was
// built from. Plain JavaScript so the `tandem` command can ask before loading any TypeScript.
import { readFileSync, statSync } from "node:fs";
import path from "node:path";

export const BUILD_DIR = "dist/cli";
export const MANIFEST = "inputs.json";

/**
 * The built entry's path when every input the build read still has the size and
 * modification time it had then (an edit, a checkout or a regenerated Prisma client
 * changes one); null when there is no build or any input changed or is gone.
 */
export function freshBuild(root, buildDir = BUILD_DIR) {
  const dir = path.join(root, buildDir);
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(path.join(dir, MANIFEST), "utf8"));
  } catch {
    return null;
  }
  for (const [file, seen] of Object.entries(manifest.inputs)) {
    const now = statSync(path.join(root, file), { throwIfNoEntry: false });
    if (now === undefined || now.mtimeMs !== seen.mtimeMs || now.size !== seen.size) return null;
  }
  return path.join(dir, manifest.entry);
}
