import { describe, expect, it } from "vitest";
import type { RawRow } from "../../../../src/core/facts/import-facts.ts";
import { createRowMapper } from "../../../../src/core/sources/fact-rows.ts";

const row = (line: number, record: Record<string, unknown>): RawRow => ({ line, record });
const lead = { occurred_at: "2026-09-14", kind: "lead", entity_id: "c-1", channel: "Webinar" };

describe("rows in the import format", () => {
  it("become one record each, named by the source and the row's external_id", () => {
    const map = createRowMapper({ source: "wh", zone: "UTC", requireExternalId: true });
    expect(map(row(1, { ...lead, external_id: "lead-1" }))).toEqual({
      ok: true,
      record: {
        key: "wh:row:lead-1",
        skipped: [],
        facts: [
          {
            occurredMs: Date.parse("2026-09-14T00:00:00Z"),
            kind: "lead",
            entityId: "c-1",
            value: null,
            channel: "webinar",
            department: null,
            segment: null,
            externalId: "wh:row:lead-1:lead",
          },
        ],
      },
    });
  });

  it("are validated as tandem import validates them, every problem named with its line", () => {
    const map = createRowMapper({ source: "wh", zone: "UTC", requireExternalId: true });
    expect(map(row(7, { occurred_at: "2026-09-14T10:00", kind: "won", entity_id: "c-1", value: "-3" }))).toEqual({
      ok: false,
      errors: [
        { line: 7, field: "occurred_at", message: expect.stringContaining("expected an ISO 8601 instant with offset") },
        { line: 7, field: "value", message: "must be ≥ 0 for kind won, got -3" },
        { line: 7, field: "external_id", message: "required: it names the row from one sync to the next" },
      ],
    });
  });

  it("pass on the problems a reader found", () => {
    const map = createRowMapper({ source: "wh", zone: "UTC", requireExternalId: false });
    expect(map({ line: 3, errors: [{ field: "row", message: "expected 3 columns" }] })).toEqual({
      ok: false,
      errors: [{ line: 3, field: "row", message: "expected 3 columns" }],
    });
  });

  it("refuse an external_id seen on an earlier row", () => {
    const map = createRowMapper({ source: "wh", zone: "UTC", requireExternalId: true });
    map(row(2, { ...lead, external_id: "x" }));
    expect(map(row(5, { ...lead, external_id: "x" }))).toEqual({
      ok: false,
      errors: [{ line: 5, field: "external_id", message: '"x" repeats the one of line 2' }],
    });
  });

  it("leave out the cursor column, which is no fact field", () => {
    const map = createRowMapper({ source: "wh", zone: "UTC", requireExternalId: true, ignore: ["updated_at"] });
    const outcome = map(row(1, { ...lead, external_id: "a", updated_at: "2026-09-14 10:00:00+00" }));
    expect(outcome.ok).toBe(true);
  });

  it("without an external_id, are named by their content: the same row keeps its name, twins are told apart", () => {
    const key = (
      line: number,
      record: Record<string, unknown>,
      map = createRowMapper({ source: "s", zone: "UTC", requireExternalId: false }),
    ) => {
      const outcome = map(row(line, record));
      return outcome.ok ? outcome.record.key : outcome.errors;
    };
    const first = key(1, lead);
    expect(first).toMatch(/^s:row:sha-[0-9a-f]{20}$/);
    expect(key(9, lead)).toBe(first);
    expect(key(1, { ...lead, channel: "seo" })).not.toBe(first);
    const map = createRowMapper({ source: "s", zone: "UTC", requireExternalId: false });
    expect(key(1, lead, map)).toBe(first);
    expect(key(2, lead, map)).toBe(`${first}-2`);
  });
});
