import { describe, expect, it } from "vitest";
import type { RawRow } from "../../../../src/core/facts/import-facts.ts";
import {
  formatFromName,
  readCsvFacts,
  readFacts,
  readJsonDocumentFacts,
  readNdjsonFacts,
  sniffFormat,
} from "../../../../src/core/facts/read-facts.ts";

async function collect(rows: AsyncIterable<RawRow>): Promise<RawRow[]> {
  const all: RawRow[] = [];
  for await (const row of rows) all.push(row);
  return all;
}

/** Feeds the text in small pieces, so records and UTF-8 characters straddle chunk boundaries. */
function chunked(text: string, size = 7): Buffer[] {
  const bytes = Buffer.from(text, "utf8");
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  return chunks;
}

const summary = (rows: RawRow[]) =>
  rows.map((row) =>
    "record" in row ? { line: row.line, record: row.record } : { line: row.line, errors: row.errors },
  );

const HEADER = "occurred_at,kind,entity_id,value,channel,department,segment,external_id";

describe("readCsvFacts", () => {
  it("maps columns to fact fields and numbers rows by physical line (header is line 1)", async () => {
    const rows = await collect(
      readCsvFacts(chunked(`${HEADER}\n2026-09-14,lead,e1,,webinar,,,x1\n2026-09-15,won,e1,100,,,upsell,\n`)),
    );
    expect(summary(rows)).toEqual([
      {
        line: 2,
        record: {
          occurred_at: "2026-09-14",
          kind: "lead",
          entity_id: "e1",
          value: "",
          channel: "webinar",
          department: "",
          segment: "",
          external_id: "x1",
        },
      },
      {
        line: 3,
        record: {
          occurred_at: "2026-09-15",
          kind: "won",
          entity_id: "e1",
          value: "100",
          channel: "",
          department: "",
          segment: "upsell",
          external_id: "",
        },
      },
    ]);
  });

  it("accepts a BOM, CRLF line ends, a header in any case and columns in any order", async () => {
    const text = "\uFEFFKind,Occurred_At,entity_id\r\nlead,2026-09-14,e1\r\nmql,2026-09-15,e1\r\n";
    const rows = await collect(readCsvFacts(chunked(text, 3)));
    expect(summary(rows)).toEqual([
      { line: 2, record: { kind: "lead", occurred_at: "2026-09-14", entity_id: "e1" } },
      { line: 3, record: { kind: "mql", occurred_at: "2026-09-15", entity_id: "e1" } },
    ]);
  });

  it("keeps quoted commas, quotes and newlines, and still numbers the lines right", async () => {
    const text = [
      "occurred_at,kind,entity_id,channel",
      '2026-09-14,lead,"Acme, Inc.",webinar',
      '2026-09-14,lead,"two\nline ""quoted""\r\nname",webinar',
      "2026-09-15,lead,e3,",
      "",
      '2026-09-16,lead,"ü-é ✓",x',
    ].join("\r\n");
    const rows = await collect(readCsvFacts(chunked(text, 5)));
    expect(summary(rows)).toEqual([
      { line: 2, record: { occurred_at: "2026-09-14", kind: "lead", entity_id: "Acme, Inc.", channel: "webinar" } },
      {
        line: 3,
        record: {
          occurred_at: "2026-09-14",
          kind: "lead",
          entity_id: 'two\nline "quoted"\r\nname',
          channel: "webinar",
        },
      },
      { line: 6, record: { occurred_at: "2026-09-15", kind: "lead", entity_id: "e3", channel: "" } },
      { line: 8, record: { occurred_at: "2026-09-16", kind: "lead", entity_id: "ü-é ✓", channel: "x" } },
    ]);
  });

  it("reports a row with the wrong number of columns on its own line, and goes on", async () => {
    const text = `occurred_at,kind,entity_id\n2026-09-14,lead\n"2026-09-14",lead,"a\nb",extra\n2026-09-15,lead,e2\n`;
    const rows = await collect(readCsvFacts(chunked(text)));
    expect(summary(rows)).toEqual([
      { line: 2, errors: [{ field: "record", message: "expected 3 columns as in the header, got 2" }] },
      { line: 3, errors: [{ field: "record", message: "expected 3 columns as in the header, got 4" }] },
      { line: 5, record: { occurred_at: "2026-09-15", kind: "lead", entity_id: "e2" } },
    ]);
  });

  it("reports a quote that is never closed on the line where its record starts", async () => {
    const text = `occurred_at,kind,entity_id\n2026-09-14,lead,e1\n2026-09-15,lead,"e2\n2026-09-16,lead,e3\n2026-09-17,lead,e4\n`;
    const rows = await collect(readCsvFacts(chunked(text)));
    expect(summary(rows)).toEqual([
      { line: 2, record: { occurred_at: "2026-09-14", kind: "lead", entity_id: "e1" } },
      { line: 3, errors: [{ field: "record", message: "a quoted field is never closed" }] },
    ]);
  });

  it("reports a header with unknown or missing columns once, as fatal, and reads no further", async () => {
    const rows = await collect(readCsvFacts(chunked("date,kind,amount,kind\n2026-09-14,lead,1,lead\n")));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ line: 1, fatal: true });
    const message =
      "errors" in (rows[0] as RawRow) ? (rows[0] as { errors: { message: string }[] }).errors[0]?.message : "";
    expect(message).toContain('unknown columns "date", "amount"');
    expect(message).toContain("missing required column occurred_at");
    expect(message).toContain("repeated column kind");
  });

  it("reads an empty file as no rows", async () => {
    expect(await collect(readCsvFacts([]))).toEqual([]);
    expect(await collect(readCsvFacts([`${HEADER}\n`]))).toEqual([]);
  });
});

describe("readNdjsonFacts", () => {
  it("reads one object a line, skipping blank lines, with CRLF and a BOM", async () => {
    const text = '\uFEFF{"kind":"lead","entity_id":"e1"}\r\n\r\n   \n{"kind":"won","value":10}\n';
    const rows = await collect(readNdjsonFacts(chunked(text, 4)));
    expect(summary(rows)).toEqual([
      { line: 1, record: { kind: "lead", entity_id: "e1" } },
      { line: 4, record: { kind: "won", value: 10 } },
    ]);
  });

  it("names a line that is not JSON, or not an object, and goes on", async () => {
    const text = '{"kind":"lead"}\n{"kind": lead}\n[1,2]\nnull\n"text"\n{"kind":"mql"}';
    const rows = await collect(readNdjsonFacts([text]));
    expect(rows.map((row) => row.line)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(summary(rows)[1]).toMatchObject({ line: 2, errors: [{ field: "record" }] });
    expect((summary(rows)[1] as { errors: { message: string }[] }).errors[0]?.message).toMatch(/^not valid JSON/);
    expect(summary(rows).slice(2, 5)).toEqual([
      { line: 3, errors: [{ field: "record", message: "expected a JSON object, got an array" }] },
      { line: 4, errors: [{ field: "record", message: "expected a JSON object, got null" }] },
      { line: 5, errors: [{ field: "record", message: "expected a JSON object, got a string" }] },
    ]);
    expect(summary(rows)[5]).toEqual({ line: 6, record: { kind: "mql" } });
  });
});

describe("readJsonDocumentFacts", () => {
  it("streams the items of an array, numbered by the line each starts on", async () => {
    const text = '[\n  {"kind": "lead", "entity_id": "a]}{\\"b"},\n  {"kind":\n "mql"}, 5\n]\n';
    const rows = await collect(readJsonDocumentFacts(chunked(text, 3)));
    expect(summary(rows)).toEqual([
      { line: 2, record: { kind: "lead", entity_id: 'a]}{"b' } },
      { line: 3, record: { kind: "mql" } },
      { line: 4, errors: [{ field: "record", message: "expected a JSON object, got a number" }] },
    ]);
  });

  it('reads {"facts": [...]} too', async () => {
    const rows = await collect(readJsonDocumentFacts(['{ "facts" : [ {"kind":"lead"} ] }']));
    expect(summary(rows)).toEqual([{ line: 1, record: { kind: "lead" } }]);
  });

  it("stops with a fatal problem when the document is not a list of facts", async () => {
    for (const text of ['{"rows": []}', "[{}", "[{} {}]", "[] []", "42"]) {
      const rows = await collect(readJsonDocumentFacts([text]));
      expect(rows.at(-1)).toMatchObject({ fatal: true, errors: [{ field: "document" }] });
    }
  });
});

describe("format detection", () => {
  it("trusts the extension", () => {
    expect(formatFromName("facts.CSV")).toBe("csv");
    expect(formatFromName("facts.ndjson")).toBe("ndjson");
    expect(formatFromName("facts.jsonl")).toBe("ndjson");
    expect(formatFromName("facts.json")).toBe("json");
    expect(formatFromName("facts.txt")).toBeUndefined();
  });

  it("sniffs the content otherwise", () => {
    expect(sniffFormat(`${HEADER}\n`)).toBe("csv");
    expect(sniffFormat('\uFEFF {"kind":"lead"}\n{"kind":"mql"}')).toBe("ndjson");
    expect(sniffFormat('{\n "facts": []\n}')).toBe("json");
    expect(sniffFormat('{"facts": [{"kind":"lead"}]}')).toBe("json");
    expect(sniffFormat("[]")).toBe("json");
  });

  it("reads a .json file holding NDJSON as NDJSON, and an unnamed stream by its content", async () => {
    const ndjson = '{"kind":"lead"}\n{"kind":"mql"}\n';
    expect((await collect(readFacts([ndjson], { name: "x.json" }))).map((row) => row.line)).toEqual([1, 2]);
    const csv = "occurred_at,kind\n2026-09-14,lead\n";
    expect(summary(await collect(readFacts(chunked(csv, 2))))).toEqual([
      { line: 2, record: { occurred_at: "2026-09-14", kind: "lead" } },
    ]);
  });
});
