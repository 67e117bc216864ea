// `npm run teams:package`: fills manifest/teams/manifest.json from the environment,
// validates it against Microsoft's published schema, and zips it with the icons into
// dist/tandem-teams.zip, ready to upload in Teams ("Upload a custom app").
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import AjvModule from "ajv-draft-04";
import { zipSync } from "fflate";

const root = path.resolve(import.meta.dirname, "..", "..", "..");
const manifestDir = path.join(root, "manifest", "teams");
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type PackageInput = { appId: string; publicUrl: string };

/** Every problem with the input at once, one line each, naming the variable. */
function inputProblems(input: PackageInput): string[] {
  const problems: string[] = [];
  if (!GUID.test(input.appId)) {
    problems.push(
      input.appId === ""
        ? "MicrosoftAppId: not set; expected the bot's app id (a GUID, from the Azure Bot resource)"
        : `MicrosoftAppId: expected the bot's app id (a GUID), got ${JSON.stringify(input.appId.slice(0, 60))}`,
    );
  }
  if (input.publicUrl === "") {
    problems.push("TANDEM_PUBLIC_URL: not set; expected the https URL Tandem is reachable at");
  } else if (!URL.canParse(input.publicUrl)) {
    problems.push(
      `TANDEM_PUBLIC_URL: expected the https URL Tandem is reachable at, got ${JSON.stringify(input.publicUrl.slice(0, 60))}`,
    );
  } else if (new URL(input.publicUrl).protocol !== "https:") {
    problems.push("TANDEM_PUBLIC_URL: Teams requires https");
  }
  return problems;
}

export function fillManifest(input: PackageInput): Record<string, unknown> {
  const problems = inputProblems(input);
  if (problems.length > 0) throw new Error(problems.join("\n"));
  const url = new URL(input.publicUrl);
  const base = url.toString().replace(/\/$/, "");
  const text = readFileSync(path.join(manifestDir, "manifest.json"), "utf8")
    .replaceAll("{{MICROSOFT_APP_ID}}", input.appId)
    .replaceAll("{{TANDEM_PUBLIC_URL}}", base);
  const manifest = JSON.parse(text) as Record<string, unknown>;
  manifest.validDomains = [url.host];
  return manifest;
}

/** Errors against the schema named by the manifest's manifestVersion (shipped in @microsoft/app-manifest). */
export function validateManifest(manifest: Record<string, unknown>): string[] {
  const require = createRequire(import.meta.url);
  const version = String(manifest.manifestVersion);
  const schema = require(`@microsoft/app-manifest/build/json-schemas/teams/v${version}/MicrosoftTeams.schema.json`);
  // Microsoft's schemas are JSON Schema draft-04; ajv-draft-04 is a CommonJS module
  // whose class is both the module and its default export.
  type AjvClass = new (
    options: object,
  ) => {
    compile(
      schema: object,
    ): ((data: unknown) => boolean) & { errors?: { instancePath: string; message?: string }[] | null };
  };
  const Ajv = ((AjvModule as unknown as { default?: AjvClass }).default ?? AjvModule) as unknown as AjvClass;
  // the formats Microsoft's schemas use, checked rather than ignored with a warning
  const ajv = new Ajv({ allErrors: true, strict: false, formats: { uri: (text: string) => URL.canParse(text) } });
  const validate = ajv.compile(schema);
  if (validate(manifest)) return [];
  return (validate.errors ?? []).map(
    (error: { instancePath: string; message?: string }) => `${error.instancePath || "/"}: ${error.message}`,
  );
}

export function buildPackage(input: PackageInput): Uint8Array {
  const manifest = fillManifest(input);
  const errors = validateManifest(manifest);
  if (errors.length > 0) throw new Error(`manifest/teams/manifest.json is not valid:\n${errors.join("\n")}`);
  return zipSync({
    "manifest.json": new TextEncoder().encode(JSON.stringify(manifest, null, 2)),
    "color.png": readFileSync(path.join(manifestDir, "color.png")),
    "outline.png": readFileSync(path.join(manifestDir, "outline.png")),
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  try {
    const zip = buildPackage({
      appId: process.env.MicrosoftAppId ?? "",
      publicUrl: process.env.TANDEM_PUBLIC_URL ?? "",
    });
    const out = path.join(root, "dist", "tandem-teams.zip");
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, zip);
    console.log(
      `wrote ${path.relative(process.cwd(), out)} (${zip.length} bytes): upload it in Teams → Apps → Manage your apps`,
    );
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}
