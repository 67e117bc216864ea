import { unzipSync } from "fflate";
import { describe, expect, it, vi } from "vitest";
import { buildPackage, fillManifest, validateManifest } from "../../../../src/adapters/teams/package-app.ts";

const input = { appId: "0b7c1a2e-3d4f-4a5b-8c6d-7e8f9a0b1c2d", publicUrl: "https://tandem.example.com" };

describe("Teams app package", () => {
  it("fills the manifest from the environment and passes Microsoft's published schema", () => {
    const manifest = fillManifest(input);
    expect(manifest.id).toBe(input.appId);
    expect((manifest.bots as { botId: string }[])[0]?.botId).toBe(input.appId);
    expect(manifest.validDomains).toEqual(["tandem.example.com"]);
    expect(validateManifest(manifest)).toEqual([]);
  });

  it("reports schema violations", () => {
    const manifest = fillManifest(input);
    delete manifest.icons;
    manifest.accentColor = "purple";
    const errors = validateManifest(manifest);
    expect(errors.some((error) => error.includes("icons"))).toBe(true);
    expect(errors.some((error) => error.startsWith("/accentColor"))).toBe(true);
  });

  it("zips the manifest with both icons", () => {
    const files = unzipSync(buildPackage(input));
    expect(Object.keys(files).sort()).toEqual(["color.png", "manifest.json", "outline.png"]);
    const png = files["color.png"];
    expect(png && Array.from(png.slice(1, 4))).toEqual([0x50, 0x4e, 0x47]);
  });

  it("refuses a missing app id or a plain-http URL with a message naming the variable", () => {
    expect(() => fillManifest({ ...input, appId: "" })).toThrow(/^MicrosoftAppId: /);
    expect(() => fillManifest({ ...input, publicUrl: "http://tandem.example.com" })).toThrow(/^TANDEM_PUBLIC_URL: /);
  });

  it("names every missing variable at once", () => {
    expect(() => fillManifest({ appId: "", publicUrl: "" })).toThrow(
      "MicrosoftAppId: not set; expected the bot's app id (a GUID, from the Azure Bot resource)\n" +
        "TANDEM_PUBLIC_URL: not set; expected the https URL Tandem is reachable at",
    );
    expect(() => fillManifest({ appId: "bot", publicUrl: "tandem.example.com" })).toThrow(
      /^MicrosoftAppId: expected .*\nTANDEM_PUBLIC_URL: expected the https URL Tandem is reachable at, got "tandem.example.com"$/,
    );
  });

  it("checks the schema's uri fields instead of warning that it cannot", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    try {
      const manifest = fillManifest(input);
      expect(validateManifest(manifest)).toEqual([]);
      manifest.$schema = "not a uri";
      expect(validateManifest(manifest)).toContain('/$schema: must match format "uri"');
      expect([...warn.mock.calls, ...log.mock.calls]).toEqual([]);
    } finally {
      warn.mockRestore();
      log.mockRestore();
    }
  });

  it("points the privacy and terms links at the pages Tandem serves", () => {
    const developer = fillManifest(input).developer as Record<string, string>;
    expect(developer.privacyUrl).toBe("https://tandem.example.com/privacy");
    expect(developer.termsOfUseUrl).toBe("https://tandem.example.com/terms");
  });
});
