// The registry these machines reach lacks some other platforms' builds of optional
// native packages (Biome, the canvas), so npm leaves them out of package-lock.json and
// `npm ci` then refuses the lock. This adds the missing optional entries (metadata from
// the registry, else os/cpu from the package name) so npm ci skips them by platform.
// Run after any `npm install`: `npm run lock:platforms`.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
const file = process.argv[2] ?? "package-lock.json";
const lock = JSON.parse(readFileSync(file, "utf8"));
const pkgs = lock.packages;
let added = 0;
for (const [path, entry] of Object.entries(pkgs)) {
  for (const [name, spec] of Object.entries(entry.optionalDependencies ?? {})) {
    const base = path === "" ? "" : `${path}/`;
    const candidates = [`${base}node_modules/${name}`, `node_modules/${name}`];
    if (candidates.some((c) => pkgs[c])) continue;
    let meta;
    try {
      const info = JSON.parse(execFileSync("npm", ["view", `${name}@${spec}`, "--json", "version", "os", "cpu", "libc", "dist.integrity", "license", "engines"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }));
      meta = Array.isArray(info) ? info[info.length - 1] : info;
    } catch {
      // not on this registry: the platform is in the name
      const os = ["android", "darwin", "linux", "win32", "freebsd"].find((o) => name.includes(`-${o}-`));
      const cpu = ["arm64", "x64", "riscv64", "ia32", "arm"].find((c) => new RegExp(`-${c}(-|$)`).test(name));
      const libc = /-musl$/.test(name) ? "musl" : /-(gnu|gnueabihf)$/.test(name) && os === "linux" ? "glibc" : undefined;
      meta = { version: spec.replace(/^[\^~]/, ""), os, cpu, libc };
      console.log("guessed", name, JSON.stringify(meta));
    }
    const record = { version: meta.version };
    if (meta["dist.integrity"]) record.integrity = meta["dist.integrity"];
    if (meta.license) record.license = meta.license;
    if (meta.cpu) record.cpu = [].concat(meta.cpu);
    if (meta.os) record.os = [].concat(meta.os);
    if (meta.libc) record.libc = [].concat(meta.libc);
    if (meta.engines) record.engines = meta.engines;
    record.optional = true;
    if (entry.dev || (path !== "" && entry.dev)) record.dev = true;
    pkgs[`node_modules/${name}`] = record;
    added++;
    console.log("added", name, meta.version);
  }
}
const sorted = Object.fromEntries(Object.entries(pkgs).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a.localeCompare(b))));
lock.packages = sorted;
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log("total added", added);
