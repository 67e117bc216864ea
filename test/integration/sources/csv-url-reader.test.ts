// The csv_url kind against a fake published sheet: the redirect Google Sheets answers,
// rows validated as `tandem import` validates a file, rows named by content or external_id.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createCsvUrlReader } from "../../../src/adapters/sources/csv-url.ts";
import type { SourcePage, SourceReader } from "../../../src/core/sources/reader.ts";
import { type FakeCsvHost, startFakeCsvHost } from "../../fakes/vendors/csv-host.ts";
import { testReaderContext } from "../../helpers/source-context.ts";

async function readAll(reader: SourceReader) {
  const pages: SourcePage[] = [];
  for await (const page of reader.pages(null, { full: false, nowMs: Date.now() })) pages.push(page);
  return pages;
}

describe("a csv_url source", () => {
  let sheet: FakeCsvHost;
  beforeEach(async () => {
    sheet = await startFakeCsvHost();
  });
  afterEach(async () => {
    await sheet.close();
  });
  const reader = (settings: Record<string, unknown> = {}) =>
    createCsvUrlReader(testReaderContext({ name: "sheet", settings: { url: sheet.publishedUrl, ...settings } }));

  it("follows the published link's redirect and reads every row, covering the whole source", async () => {
    sheet.csv = [
      "occurred_at,kind,entity_id,value,department,external_id",
      "2026-09-14,spend,,1200,marketing,sep-fair",
      "2026-09-15T09:00:00Z,lead,c-1,,,",
    ].join("\r\n");
    const csv = reader();
    expect(csv.coverage(null, { full: false, nowMs: 0 })).toEqual({ kind: "all" });
    const records = (await readAll(csv)).flatMap((p) => p.records);
    expect(records.map((r) => r.key)).toEqual([
      "sheet:row:sep-fair",
      expect.stringMatching(/^sheet:row:sha-[0-9a-f]{20}$/),
    ]);
    expect(records[0]?.facts).toEqual([
      {
        occurredMs: Date.parse("2026-09-14T00:00:00Z"),
        kind: "spend",
        entityId: null,
        value: 1200,
        channel: null,
        department: "marketing",
        segment: null,
        externalId: "sheet:row:sep-fair:spend",
      },
    ]);
    expect(sheet.requests).toEqual(["/pub", "/export.csv"]);
  });

  it("writes nothing when a row is invalid, naming every bad line", async () => {
    sheet.csv = ["occurred_at,kind,entity_id", "2026-09-14,lead,c-1", "yesterday,lead,c-2", "2026-09-14,lead,"].join(
      "\n",
    );
    const pages: SourcePage[] = [];
    const error = await (async () => {
      for await (const page of reader().pages(null, { full: false, nowMs: 0 })) pages.push(page);
    })().catch((e: Error) => e);
    expect(String(error)).toContain("2 invalid CSV rows, nothing written");
    expect(String(error)).toContain("line 3: occurred_at: expected an ISO 8601 instant");
    expect(String(error)).toContain("line 4: entity_id: required for kind lead");
    expect(pages).toEqual([]);
  });

  it("refuses a header it does not know, as tandem import does, even with skip_invalid", async () => {
    sheet.csv = "Record ID,Create Date,Lifecycle Stage\n1,2026-09-14,lead\n";
    const error = await readAll(reader({ skip_invalid: true })).catch((e: Error) => e);
    expect(String(error)).toContain('line 1: header: unknown columns "record id", "create date", "lifecycle stage"');
  });

  it("with skip_invalid, reads the valid rows and reports the others", async () => {
    sheet.csv = ["occurred_at,kind,entity_id,external_id", "2026-09-14,lead,c-1,a", "2026-09-14,signup,c-2,b"].join(
      "\n",
    );
    const pages = await readAll(reader({ skip_invalid: true }));
    expect(pages.flatMap((p) => p.records.map((r) => r.key))).toEqual(["sheet:row:a"]);
    expect(pages.flatMap((p) => p.skipped)).toEqual([
      { key: "sheet:row:b", reason: expect.stringMatching(/^line 3: kind: /) },
    ]);
  });

  it("reads the URL from url_env, and refuses a plain-http URL to another machine", async () => {
    sheet.csv = "occurred_at,kind,entity_id\n2026-09-14,lead,c-1\n";
    process.env.SHEET_URL = sheet.publishedUrl;
    expect((await readAll(reader({ url: undefined, url_env: "SHEET_URL" }))).flatMap((p) => p.records)).toHaveLength(1);
    process.env.SHEET_URL = "http://sheets.example.com/pub?output=csv";
    const error = await readAll(reader({ url: undefined, url_env: "SHEET_URL" })).catch((e: Error) => e);
    delete process.env.SHEET_URL;
    expect(String(error)).toContain("the CSV URL in SHEET_URL: expected an https:// URL");
  });

  it("says what the host answered when the sheet is not published", async () => {
    sheet.fail(404);
    const error = await readAll(reader()).catch((e: Error) => e);
    expect(String(error)).toMatch(/404/);
  });
});
