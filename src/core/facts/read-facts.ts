// Readers that turn a byte stream (a file, a request body) into numbered raw rows for
// importFacts: CSV (header row; columns are the fact fields), NDJSON (one object a
// line), or a JSON document (an array of facts, or {"facts": [...]}). All of them
// stream: a file of millions of rows never sits whole in memory. Line numbers are
// physical lines, counted from 1, of the line where a record starts.
import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { StringDecoder } from "node:string_decoder";
import { type CsvError, Parser } from "csv-parse";
import { asName, quoted } from "../messages/user-text.ts";
import { FACT_FIELDS } from "./fact.ts";
import type { RawRow } from "./import-facts.ts";

export type FactFormat = "csv" | "ndjson" | "json";
type Chunks = AsyncIterable<Buffer | string> | Iterable<Buffer | string>;

const REQUIRED_COLUMNS = ["occurred_at", "kind"];
// One record larger than this is surely a quote left open, not data.
const MAX_RECORD_BYTES = 1024 * 1024;

/** The format a file name promises, if its extension says. */
export function formatFromName(name: string): FactFormat | undefined {
  const lower = name.toLowerCase();
  if (lower.endsWith(".csv")) return "csv";
  if (lower.endsWith(".ndjson") || lower.endsWith(".jsonl")) return "ndjson";
  if (lower.endsWith(".json")) return "json";
  return undefined;
}

/**
 * Guesses the format from the first bytes: `[` opens a JSON document; `{` opens NDJSON
 * when the first line is a whole object, a JSON document otherwise; anything else is CSV.
 */
export function sniffFormat(head: string): FactFormat {
  const text = head.replace(/^\uFEFF/, "").trimStart();
  if (text.startsWith("[")) return "json";
  if (!text.startsWith("{")) return "csv";
  const firstLine = text.split(/\r?\n/, 1)[0] ?? "";
  try {
    const parsed: unknown = JSON.parse(firstLine);
    return typeof parsed === "object" && parsed !== null && !("facts" in parsed) ? "ndjson" : "json";
  } catch {
    return "json";
  }
}

/**
 * Reads facts in the given format, or the one the name's extension promises (for
 * `.json`, and without a name, the content decides: see sniffFormat).
 */
export function readFacts(source: Chunks, options: { name?: string; format?: FactFormat } = {}): AsyncIterable<RawRow> {
  const format = options.format ?? (options.name ? formatFromName(options.name) : undefined);
  // A known format reads straight through: one async layer less per row.
  if (format === "csv") return readCsvFacts(source);
  if (format === "ndjson") return readNdjsonFacts(source);
  return (async function* sniffed() {
    const peeked = await peek(source, 64 * 1024);
    const guess = sniffFormat(peeked.head);
    if (format === undefined && guess === "csv") yield* readCsvFacts(peeked.chunks);
    else if (guess === "ndjson") yield* readNdjsonFacts(peeked.chunks);
    else yield* readJsonDocumentFacts(peeked.chunks);
  })();
}

/** Reads at least `bytes` (or everything) and hands back a stream that still starts at the beginning. */
async function peek(source: Chunks, bytes: number): Promise<{ head: string; chunks: Chunks }> {
  const iterator = Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : source[Symbol.iterator]();
  const taken: (Buffer | string)[] = [];
  let size = 0;
  let done = false;
  while (size < bytes) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    taken.push(next.value);
    size += next.value.length;
  }
  const head = taken.map((chunk) => (typeof chunk === "string" ? chunk : chunk.toString("utf8"))).join("");
  async function* replay() {
    yield* taken;
    if (done) return;
    for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) yield next.value;
  }
  return { head, chunks: replay() };
}

// csv-parse's `info` option costs a snapshot object per record (it halves the
// parser's speed); reading `info.lines` as each record is pushed is nearly free.
// Records come out as { end, fields }: `end` is the line the record ends on.
// Records csv-parse skips for an error (wrong column count, bad quoting) come out,
// in order, as { error } through the same stream.
type CsvItem = { end: number; fields: string[] } | { error: CsvError };

class NumberedCsvParser extends Parser {
  constructor() {
    super({
      bom: true,
      skip_empty_lines: true,
      relax_column_count: false,
      skip_records_with_error: true,
      max_record_size: MAX_RECORD_BYTES,
    });
    // csv-parse emits "skip" synchronously while parsing, so the error lands between
    // the records before and after it.
    this.on("skip", (error: CsvError) => super.push({ error } satisfies CsvItem));
  }

  override push(chunk: unknown, encoding?: BufferEncoding): boolean {
    if (Array.isArray(chunk)) return super.push({ end: this.info.lines, fields: chunk } satisfies CsvItem);
    return super.push(chunk, encoding);
  }
}

/**
 * Maps csv-parse's line count (the line a record ends on) to physical lines and finds
 * where each record starts. csv-parse counts a CRLF inside a quoted field as two
 * lines (CR and LF each), so the two drift apart by one for every such CRLF.
 */
class LineTracker {
  private previousRaw = 0;
  private overcount = 0;
  private lastEnd = 0;

  /** Where a record csv-parse could not delimit (a quote left open) starts: after the last one. */
  afterLast(): number {
    return this.lastEnd + 1;
  }

  /** The physical line a record starts on, given csv-parse's end line and the record's fields. */
  start(rawEnd: number, fields: readonly unknown[]): number {
    // Right after the previous record: the record cannot span lines, no need to scan it.
    const adjacent = rawEnd === this.previousRaw + 1;
    this.previousRaw = rawEnd;
    if (adjacent) {
      this.lastEnd = rawEnd - this.overcount;
      return this.lastEnd;
    }
    let breaks = 0;
    for (const field of fields) {
      if (typeof field !== "string") continue;
      for (let i = 0; i < field.length; i++) {
        const code = field.charCodeAt(i);
        if (code === 10) breaks++;
        else if (code === 13) {
          breaks++;
          if (field.charCodeAt(i + 1) === 10) {
            i++;
            this.overcount++;
          }
        }
      }
    }
    this.lastEnd = rawEnd - this.overcount;
    return this.lastEnd - breaks;
  }
}

function csvProblem(error: CsvError, columns: number): string {
  if (error.code === "CSV_RECORD_INCONSISTENT_FIELDS_LENGTH") {
    const got = Array.isArray(error.record) ? error.record.length : "a different number of";
    return `expected ${columns} columns as in the header, got ${got}`;
  }
  if (error.code === "CSV_QUOTE_NOT_CLOSED") return "a quoted field is never closed";
  if (error.code === "CSV_MAX_RECORD_SIZE") return `record longer than ${MAX_RECORD_BYTES} bytes (a quote left open?)`;
  return `malformed CSV: ${error.message}`;
}

function checkHeader(header: string[]): { columns: string[]; problem?: string } {
  const columns = header.map((name) => name.trim().toLowerCase());
  const known = FACT_FIELDS as readonly string[];
  const unknown = columns.filter((name) => !known.includes(name));
  const missing = REQUIRED_COLUMNS.filter((name) => !columns.includes(name));
  const repeated = columns.filter((name, i) => columns.indexOf(name) !== i);
  const problems: string[] = [];
  if (unknown.length > 0)
    problems.push(`unknown column${unknown.length > 1 ? "s" : ""} ${unknown.map((n) => quoted(n)).join(", ")}`);
  if (missing.length > 0)
    problems.push(`missing required column${missing.length > 1 ? "s" : ""} ${missing.join(", ")}`);
  if (repeated.length > 0)
    problems.push(`repeated column${repeated.length > 1 ? "s" : ""} ${repeated.map(asName).join(", ")}`);
  if (problems.length === 0) return { columns };
  return { columns, problem: `${problems.join("; ")} (the columns are ${FACT_FIELDS.join(", ")})` };
}

/** CSV with a header row naming fact fields; quoting, a BOM and CRLF line ends are fine. */
export async function* readCsvFacts(source: Chunks): AsyncGenerator<RawRow> {
  const parser = new NumberedCsvParser();
  // Errors of the source or the parser surface through the iteration below.
  const piping = pipeline(Readable.from(source), parser).catch(() => {});
  let columns: string[] | null = null;
  const lines = new LineTracker();
  let lastErrorLine = 0;
  try {
    for await (const item of parser as AsyncIterable<CsvItem>) {
      if ("error" in item) {
        const error = item.error;
        const line =
          Array.isArray(error.record) && typeof error.lines === "number"
            ? lines.start(error.lines, error.record)
            : lines.afterLast();
        // One bad record can trip several checks; report it once.
        if (line === lastErrorLine) continue;
        lastErrorLine = line;
        if (columns === null) yield { line, errors: [{ field: "header", message: csvProblem(error, 0) }], fatal: true };
        else yield { line, errors: [{ field: "record", message: csvProblem(error, columns.length) }] };
        continue;
      }
      const line = lines.start(item.end, item.fields);
      if (columns === null) {
        const header = checkHeader(item.fields);
        if (header.problem !== undefined) {
          yield { line, errors: [{ field: "header", message: header.problem }], fatal: true };
          return;
        }
        columns = header.columns;
        continue;
      }
      const record: Record<string, unknown> = {};
      for (let i = 0; i < columns.length; i++) record[columns[i] as string] = item.fields[i];
      yield { line, record };
    }
  } finally {
    parser.destroy();
    await piping;
  }
}

/** One JSON object a line; blank lines are skipped. */
export async function* readNdjsonFacts(source: Chunks): AsyncGenerator<RawRow> {
  const input = Readable.from(source);
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let line = 0;
  try {
    for await (const raw of lines) {
      line++;
      const text = line === 1 ? raw.replace(/^\uFEFF/, "") : raw;
      if (text.trim() === "") continue;
      yield parseItem(text, line);
    }
  } finally {
    lines.close();
    input.destroy();
  }
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return `a ${typeof value}`;
}

function parseItem(text: string, line: number): RawRow {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { line, errors: [{ field: "record", message: `not valid JSON (${(error as Error).message})` }] };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return { line, errors: [{ field: "record", message: `expected a JSON object, got ${describe(value)}` }] };
  return { line, record: value as Record<string, unknown> };
}

/**
 * A JSON document: an array of fact objects, or {"facts": [...]}. Streamed: a small
 * scanner finds where each item starts and ends (tracking strings and nesting), and
 * each item is parsed on its own, so the document never sits whole in memory.
 */
export async function* readJsonDocumentFacts(source: Chunks): AsyncGenerator<RawRow> {
  const decoder = new StringDecoder("utf8");
  // The document's outer structure, outside items: what is expected next.
  type Expect = "open" | "factsKey" | "colon" | "factsArray" | "item" | "commaOrEnd" | "closeObject" | "end";
  let expect: Expect = "open";
  let wrapped = false;
  let line = 1;
  let first = true;
  // Inside an item:
  let item = "";
  let itemLine = 0;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let scalar = false;
  let keyText = "";

  const fail = (message: string): RawRow => ({ line, errors: [{ field: "document", message }], fatal: true });

  for await (const chunk of source) {
    let text = typeof chunk === "string" ? chunk : decoder.write(chunk);
    if (first) {
      text = text.replace(/^\uFEFF/, "");
      first = false;
    }
    let itemStart = depth > 0 || scalar ? 0 : -1;
    for (let i = 0; i < text.length; i++) {
      const c = text[i] as string;
      if (depth > 0 || scalar) {
        // inside an item
        if (inString) {
          if (escaped) escaped = false;
          else if (c === "\\") escaped = true;
          else if (c === '"') inString = false;
          else if (c === "\n") line++;
          continue;
        }
        if (c === '"') {
          inString = true;
          continue;
        }
        if (c === "\n") line++;
        if (scalar) {
          if (c === "," || c === "]" || c === " " || c === "\t" || c === "\r" || c === "\n") {
            item += text.slice(itemStart, i);
            yield parseItem(item, itemLine);
            item = "";
            scalar = false;
            expect = "commaOrEnd";
            i--; // let the structure see this character
            if (c === "\n") line--;
          }
          continue;
        }
        if (c === "{" || c === "[") depth++;
        else if (c === "}" || c === "]") {
          depth--;
          if (depth === 0) {
            item += text.slice(itemStart, i + 1);
            yield parseItem(item, itemLine);
            item = "";
            expect = "commaOrEnd";
          }
        }
        continue;
      }
      if (expect === "factsKey" && keyText !== "") {
        // reading the key of {"facts": ...}
        keyText += c;
        if (c === '"' && keyText.length > 1) {
          if (keyText !== '"facts"') {
            yield fail(`expected {"facts": [...]}, found the key ${keyText}`);
            return;
          }
          expect = "colon";
          keyText = "";
        }
        continue;
      }
      if (c === "\n") {
        line++;
        continue;
      }
      if (c === " " || c === "\t" || c === "\r") continue;
      switch (expect) {
        case "open":
          if (c === "[") expect = "item";
          else if (c === "{") {
            wrapped = true;
            expect = "factsKey";
          } else {
            yield fail('expected a JSON array of facts or {"facts": [...]}');
            return;
          }
          break;
        case "factsKey":
          if (c !== '"') {
            yield fail('expected {"facts": [...]}');
            return;
          }
          keyText = '"';
          break;
        case "colon":
          if (c !== ":") {
            yield fail('expected {"facts": [...]}');
            return;
          }
          expect = "factsArray";
          break;
        case "factsArray":
          if (c !== "[") {
            yield fail('"facts" must be an array');
            return;
          }
          expect = "item";
          break;
        case "item":
          if (c === "]") {
            expect = wrapped ? "closeObject" : "end";
            break;
          }
          itemStart = i;
          itemLine = line;
          if (c === "{" || c === "[") depth = 1;
          else if (c === '"') {
            scalar = true;
            inString = true;
          } else scalar = true;
          break;
        case "commaOrEnd":
          if (c === ",") expect = "item";
          else if (c === "]") expect = wrapped ? "closeObject" : "end";
          else {
            yield fail(`expected "," or "]" between facts, found ${quoted(c)}`);
            return;
          }
          break;
        case "closeObject":
          if (c !== "}") {
            yield fail('expected the end of {"facts": [...]}');
            return;
          }
          expect = "end";
          break;
        case "end":
          yield fail(`unexpected ${quoted(c)} after the end of the document`);
          return;
      }
    }
    if (depth > 0 || scalar) item += text.slice(itemStart);
  }
  if (scalar) {
    yield parseItem(item, itemLine);
    expect = "commaOrEnd";
  }
  if (expect !== "end") yield fail("the document ends early (unclosed array or object)");
}
