// A read of rows in the import format (sql, csv_url) that found invalid rows and so
// writes nothing: its message names every bad row, as `tandem import` does (up to
// MAX_LISTED, then a count of the rest).
import type { RowError } from "../../core/sources/fact-rows.ts";

const MAX_LISTED = 100;

export class InvalidRowsError extends Error {
  readonly errors: RowError[];

  constructor(badRows: number, errors: RowError[], unit: "row" | "line") {
    const listed = errors.slice(0, MAX_LISTED).map((e) => `${unit} ${e.line}: ${e.field}: ${e.message}`);
    const more = errors.length > MAX_LISTED ? [`… and ${errors.length - MAX_LISTED} more problems`] : [];
    super(
      [
        `${badRows} invalid ${unit === "row" ? "row" : "CSV row"}${badRows === 1 ? "" : "s"}, nothing written ` +
          "(fix them, or set skip_invalid: true to write the valid rows only):",
        ...listed,
        ...more,
      ].join("\n"),
    );
    this.name = "InvalidRowsError";
    this.errors = errors;
  }
}
