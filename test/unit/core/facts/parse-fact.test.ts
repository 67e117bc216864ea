import fc from "fast-check";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import {
  FACT_FIELDS,
  type FieldError,
  MIN_YEAR,
  parseFact,
  parseOccurredAt,
  plainInstantMs,
} from "../../../../src/core/facts/fact.ts";

const UTC = "UTC";
const base = { occurred_at: "2026-09-14T10:30:00Z", kind: "lead", entity_id: "e1" };

function errorsOf(raw: Record<string, unknown>, zone = UTC): FieldError[] {
  const result = parseFact(raw, zone);
  if (result.ok) throw new Error(`expected errors, got ${JSON.stringify(result.fact)}`);
  return result.errors;
}

function factOf(raw: Record<string, unknown>, zone = UTC) {
  const result = parseFact(raw, zone);
  if (!result.ok) throw new Error(`expected a fact, got ${JSON.stringify(result.errors)}`);
  return result.fact;
}

const fields = (errors: FieldError[]) => errors.map((error) => error.field);

describe("parseFact: required fields", () => {
  it("accepts a minimal lead", () => {
    expect(factOf(base)).toEqual({
      occurredMs: Date.parse("2026-09-14T10:30:00Z"),
      kind: "lead",
      entityId: "e1",
      value: null,
      channel: null,
      department: null,
      segment: null,
      externalId: null,
    });
  });

  it("requires occurred_at and kind, reporting both at once", () => {
    const errors = errorsOf({ entity_id: "e1" });
    expect(errors).toEqual([
      { field: "occurred_at", message: "required" },
      { field: "kind", message: "required" },
    ]);
  });

  it("treats blank strings as missing", () => {
    expect(fields(errorsOf({ occurred_at: "  ", kind: "", entity_id: "e1" }))).toEqual(["occurred_at", "kind"]);
  });

  it("requires entity_id for every kind but spend", () => {
    for (const kind of ["lead", "mql", "sql", "opportunity", "won", "lost", "mrr", "nps", "csat"]) {
      const errors = errorsOf({ occurred_at: "2026-09-14", kind, value: 5 });
      expect(errors).toContainEqual({ field: "entity_id", message: `required for kind ${kind}` });
    }
    expect(
      factOf({ occurred_at: "2026-09-14", kind: "spend", value: 10, department: "marketing" }).entityId,
    ).toBeNull();
  });

  it("requires a department for spend", () => {
    expect(errorsOf({ occurred_at: "2026-09-14", kind: "spend", value: 10 })).toEqual([
      { field: "department", message: "required for kind spend (marketing, sales, …)" },
    ]);
  });

  it("refuses text fields over 200 characters", () => {
    const long = "x".repeat(201);
    expect(fields(errorsOf({ ...base, entity_id: long, channel: long, external_id: long }))).toEqual([
      "entity_id",
      "channel",
      "external_id",
    ]);
    expect(factOf({ ...base, entity_id: "x".repeat(200) }).entityId).toHaveLength(200);
  });
});

describe("parseFact: kinds", () => {
  it("accepts every kind, in any case", () => {
    expect(factOf({ ...base, kind: "MQL" }).kind).toBe("mql");
    expect(factOf({ ...base, kind: " Opportunity " }).kind).toBe("opportunity");
  });

  it("names the allowed kinds when the kind is unknown", () => {
    expect(errorsOf({ ...base, kind: "signup" })).toEqual([
      {
        field: "kind",
        message: 'expected one of lead, mql, sql, opportunity, won, lost, spend, mrr, nps, csat, got "signup"',
      },
    ]);
  });
});

describe("parseFact: values per kind", () => {
  it("requires a value for won, spend, mrr, nps and csat", () => {
    for (const kind of ["won", "spend", "mrr", "nps", "csat"]) {
      const errors = errorsOf({ ...base, kind, department: "marketing" });
      expect(errors).toEqual([{ field: "value", message: `required for kind ${kind}` }]);
    }
  });

  it("does not require a value for stage kinds, but keeps one given", () => {
    expect(factOf({ ...base, kind: "lost" }).value).toBeNull();
    expect(factOf({ ...base, kind: "opportunity", value: "1200.50" }).value).toBe(1200.5);
  });

  it("refuses negative amounts for won, spend and mrr", () => {
    for (const kind of ["won", "spend", "mrr"]) {
      const errors = errorsOf({ ...base, kind, value: -1, department: "sales" });
      expect(errors).toEqual([{ field: "value", message: `must be ≥ 0 for kind ${kind}, got -1` }]);
    }
    expect(factOf({ ...base, kind: "mrr", value: 0 }).value).toBe(0);
  });

  it("takes numbers as JSON numbers or plain decimal text only", () => {
    expect(factOf({ ...base, kind: "won", value: "1e3" }).value).toBe(1000);
    expect(factOf({ ...base, kind: "won", value: " +12.5 " }).value).toBe(12.5);
    expect(errorsOf({ ...base, kind: "won", value: "0x10" })).toEqual([
      { field: "value", message: 'expected a number, got "0x10"' },
    ]);
    expect(errorsOf({ ...base, kind: "won", value: "12,5" })[0]?.field).toBe("value");
    expect(errorsOf({ ...base, kind: "won", value: Number.POSITIVE_INFINITY })).toEqual([
      { field: "value", message: "expected a finite number" },
    ]);
    expect(errorsOf({ ...base, kind: "won", value: true })).toEqual([
      { field: "value", message: "expected a number, got boolean" },
    ]);
  });

  it("wants nps as an integer 0–10", () => {
    expect(factOf({ ...base, kind: "nps", value: 0 }).value).toBe(0);
    expect(factOf({ ...base, kind: "nps", value: "10" }).value).toBe(10);
    for (const bad of [-1, 11, 7.5]) {
      expect(errorsOf({ ...base, kind: "nps", value: bad })).toEqual([
        { field: "value", message: `must be an integer 0–10 for kind nps, got ${bad}` },
      ]);
    }
  });

  it("wants csat between 1 and 5", () => {
    expect(factOf({ ...base, kind: "csat", value: 1 }).value).toBe(1);
    expect(factOf({ ...base, kind: "csat", value: "4.5" }).value).toBe(4.5);
    for (const bad of [0, 5.5]) {
      expect(errorsOf({ ...base, kind: "csat", value: bad })).toEqual([
        { field: "value", message: `must be between 1 and 5 for kind csat, got ${bad}` },
      ]);
    }
  });
});

describe("parseFact: segment, channel, department, external_id", () => {
  it("defaults a won deal's segment to new and keeps upsell / cross_sell", () => {
    expect(factOf({ ...base, kind: "won", value: 10 }).segment).toBe("new");
    expect(factOf({ ...base, kind: "won", value: 10, segment: "Upsell" }).segment).toBe("upsell");
    expect(factOf({ ...base, kind: "won", value: 10, segment: "cross_sell" }).segment).toBe("cross_sell");
  });

  it("allows a segment only on won facts", () => {
    expect(errorsOf({ ...base, kind: "lead", segment: "upsell" })).toEqual([
      { field: "segment", message: "only applies to kind won, not lead" },
    ]);
  });

  it("refuses an unknown segment", () => {
    expect(errorsOf({ ...base, kind: "won", value: 1, segment: "renewal" })).toEqual([
      { field: "segment", message: 'expected one of new, upsell, cross_sell, got "renewal"' },
    ]);
  });

  it("stores channels in lower case, so Paid_Search and paid_search are one channel", () => {
    expect(factOf({ ...base, channel: "Paid_Search" }).channel).toBe("paid_search");
    expect(factOf({ ...base, channel: " WEBINAR " }).channel).toBe("webinar");
    expect(factOf({ ...base, channel: "" }).channel).toBeNull();
  });

  it("lower-cases departments and checks their shape", () => {
    expect(factOf({ ...base, kind: "spend", value: 1, department: "Marketing" }).department).toBe("marketing");
    expect(errorsOf({ ...base, kind: "spend", value: 1, department: "Customer Success" })).toEqual([
      {
        field: "department",
        message: 'expected a department key like marketing or sales, got "customer success"',
      },
    ]);
  });

  it("keeps external_id as given (trimmed) and numbers as text", () => {
    expect(factOf({ ...base, external_id: " crm-42 " }).externalId).toBe("crm-42");
    expect(factOf({ ...base, external_id: 42 }).externalId).toBe("42");
    expect(factOf({ ...base, entity_id: 7 }).entityId).toBe("7");
  });
});

describe("parseFact: unknown fields", () => {
  it("names each unknown field and the known ones", () => {
    const errors = errorsOf({ ...base, amount: 5, Kind: "lead" });
    expect(errors).toEqual([
      { field: "amount", message: `unknown field (expected ${FACT_FIELDS.join(", ")})` },
      { field: "Kind", message: `unknown field (expected ${FACT_FIELDS.join(", ")})` },
    ]);
  });

  it("reports every problem of a row together", () => {
    const errors = errorsOf({ occurred_at: "yesterday", kind: "nps", value: 12, segment: "new", extra: 1 });
    expect(fields(errors)).toEqual(["occurred_at", "entity_id", "value", "segment", "extra"]);
  });
});

describe("parseFact: time", () => {
  it("reads a bare date as midnight in the workspace zone", () => {
    const newYork = factOf({ ...base, occurred_at: "2026-09-14" }, "America/New_York");
    expect(new Date(newYork.occurredMs).toISOString()).toBe("2026-09-14T04:00:00.000Z");
    const winter = factOf({ ...base, occurred_at: "2026-01-14" }, "America/New_York");
    expect(new Date(winter.occurredMs).toISOString()).toBe("2026-01-14T05:00:00.000Z");
    expect(new Date(factOf({ ...base, occurred_at: "2026-09-14" }).occurredMs).toISOString()).toBe(
      "2026-09-14T00:00:00.000Z",
    );
  });

  it("keeps a bare date per zone apart (the cache is per zone)", () => {
    const berlin = parseOccurredAt("2026-03-29", "Europe/Berlin");
    const tokyo = parseOccurredAt("2026-03-29", "Asia/Tokyo");
    expect(berlin).toBe(Date.parse("2026-03-28T23:00:00Z"));
    expect(tokyo).toBe(Date.parse("2026-03-28T15:00:00Z"));
  });

  it("reads instants with Z or an offset, with or without seconds and fractions", () => {
    expect(parseOccurredAt("2026-09-14T10:30:00Z", UTC)).toBe(Date.parse("2026-09-14T10:30:00Z"));
    expect(parseOccurredAt("2026-09-14T10:30:00+02:00", UTC)).toBe(Date.parse("2026-09-14T08:30:00Z"));
    expect(parseOccurredAt("2026-09-14T10:30-0530", UTC)).toBe(Date.parse("2026-09-14T16:00:00Z"));
    expect(parseOccurredAt("2026-09-14 10:30:00.123456Z", UTC)).toBe(Date.parse("2026-09-14T10:30:00.123Z"));
    expect(parseOccurredAt("2026-09-14t10:30:00z", UTC)).toBe(Date.parse("2026-09-14T10:30:00Z"));
  });

  it("ignores the workspace zone for instants", () => {
    expect(parseOccurredAt("2026-09-14T10:30:00Z", "Asia/Tokyo")).toBe(Date.parse("2026-09-14T10:30:00Z"));
  });

  it("refuses local date-times without an offset, and impossible dates", () => {
    expect(parseOccurredAt("2026-09-14T10:30:00", UTC)).toMatch(/^expected an ISO 8601 instant with offset/);
    expect(parseOccurredAt("14/09/2026", UTC)).toMatch(/^expected an ISO 8601 instant/);
    expect(parseOccurredAt("2026-02-30", UTC)).toBe('not a real date: "2026-02-30"');
    expect(parseOccurredAt("2026-02-30T10:00:00Z", UTC)).toBe('not a real date-time: "2026-02-30T10:00:00Z"');
    expect(parseOccurredAt("2026-09-14T25:00:00Z", UTC)).toBe('not a real date-time: "2026-09-14T25:00:00Z"');
    expect(errorsOf({ ...base, occurred_at: "2026-13-01" })).toEqual([
      { field: "occurred_at", message: 'not a real date: "2026-13-01"' },
    ]);
  });

  it("refuses UTC offsets beyond ±14:00 (the widest real zones) on the fast path and luxon's", () => {
    // +14:01 and +05:60 have ordinary parts (the fast path); +25:00 goes to luxon
    for (const offset of ["+25:00", "-25:00", "+14:01", "-14:30", "+15", "+05:60", "+9959"]) {
      expect(parseOccurredAt(`2026-09-14T10:30:00${offset}`, UTC)).toBe(
        `UTC offset ${offset} is out of range (-14:00 to +14:00)`,
      );
    }
    expect(errorsOf({ ...base, occurred_at: "2026-09-14T10:30+25:00" })).toEqual([
      { field: "occurred_at", message: "UTC offset +25:00 is out of range (-14:00 to +14:00)" },
    ]);
    expect(parseOccurredAt("2026-09-14T10:30:00+14:00", UTC)).toBe(Date.parse("2026-09-13T20:30:00Z"));
    expect(parseOccurredAt("2026-09-14T10:30:00-14:00", UTC)).toBe(Date.parse("2026-09-15T00:30:00Z"));
    expect(parseOccurredAt("2026-09-14T10:30:00-1200", UTC)).toBe(Date.parse("2026-09-14T22:30:00Z"));
  });

  it("refuses years before 1900, as instants and as bare dates", () => {
    expect(parseOccurredAt("0000-01-01T00:00:00Z", UTC)).toBe("year 0000 is out of range (1900 to 9999)");
    expect(parseOccurredAt("0000-01-01", UTC)).toBe("year 0000 is out of range (1900 to 9999)");
    expect(parseOccurredAt("0000-02-30T25:00:00+25:00", UTC)).toBe("year 0000 is out of range (1900 to 9999)");
    expect(parseOccurredAt("1899-12-31T23:59:59Z", UTC)).toBe("year 1899 is out of range (1900 to 9999)");
    expect(parseOccurredAt("1900-01-01T00:00:00Z", UTC)).toBe(Date.UTC(1900, 0, 1));
    expect(parseOccurredAt("1900-01-01", UTC)).toBe(Date.UTC(1900, 0, 1));
    expect(parseOccurredAt("9999-12-31T23:59:59Z", UTC)).toBe(Date.UTC(9999, 11, 31, 23, 59, 59));
  });

  it("computes ordinary instants exactly as luxon does (the fast path)", () => {
    const two = (n: number) => String(n).padStart(2, "0");
    const instant = fc
      .record({
        year: fc.integer({ min: 0, max: 9999 }),
        month: fc.integer({ min: 0, max: 13 }),
        day: fc.integer({ min: 0, max: 32 }),
        hour: fc.integer({ min: 0, max: 24 }),
        minute: fc.integer({ min: 0, max: 60 }),
        second: fc.option(fc.integer({ min: 0, max: 60 })),
        fraction: fc.option(fc.stringMatching(/^\d{1,9}$/)),
        offset: fc.oneof(
          fc.constant({ text: "Z", inRange: true }),
          fc.constant({ text: "z", inRange: true }),
          fc
            .record({
              sign: fc.constantFrom("+", "-"),
              hours: fc.integer({ min: 0, max: 25 }),
              minutes: fc.option(fc.integer({ min: 0, max: 60 })),
              colon: fc.boolean(),
            })
            .map(({ sign, hours, minutes, colon }) => ({
              text:
                minutes === null ? `${sign}${two(hours)}` : `${sign}${two(hours)}${colon ? ":" : ""}${two(minutes)}`,
              inRange: (minutes ?? 0) < 60 && hours * 60 + (minutes ?? 0) <= 14 * 60,
            })),
        ),
        separator: fc.constantFrom("T", " "),
      })
      .map((p) => {
        const seconds = p.second === null ? "" : `:${two(p.second)}${p.fraction === null ? "" : `.${p.fraction}`}`;
        const year = String(p.year).padStart(4, "0");
        const text = `${year}-${two(p.month)}-${two(p.day)}${p.separator}${two(p.hour)}:${two(p.minute)}${seconds}${p.offset.text}`;
        // years before 1900 and offsets beyond ±14:00 are refused before luxon is asked
        const refused =
          p.year < MIN_YEAR
            ? `year ${year} is out of range (1900 to 9999)`
            : p.offset.inRange
              ? null
              : `UTC offset ${p.offset.text} is out of range (-14:00 to +14:00)`;
        return { text, refused };
      });
    fc.assert(
      fc.property(instant, ({ text, refused }) => {
        const viaLuxon = DateTime.fromISO(text.replace(" ", "T"), { setZone: true });
        const expected = viaLuxon.isValid ? viaLuxon.toMillis() : `not a real date-time: ${JSON.stringify(text)}`;
        expect(parseOccurredAt(text, UTC)).toBe(refused ?? expected);
        const fast = plainInstantMs(text);
        if (fast !== undefined) expect(fast).toBe(viaLuxon.toMillis());
      }),
      { numRuns: 3000 },
    );
  });
});
