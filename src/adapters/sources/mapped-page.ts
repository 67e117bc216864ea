// Turns mapped vendor records into a page for the sync engine. A record whose money is
// in another currency than the workspace's is converted at the config's fixed rate, or
// skipped whole and reported (SOURCES.md, "Money is one currency"). Reasons why a
// record left some facts out are reported under its key; the facts it does yield stay.
import type { MappedRecord } from "../../core/sources/mapped-record.ts";
import { toWorkspaceAmount } from "../../core/sources/money.ts";
import type { SkippedRecord, SourcePage, SourceRecord } from "../../core/sources/reader.ts";
import type { ReaderContext } from "./reader-context.ts";

const MONEY_KINDS = new Set(["won", "spend", "mrr"]);

export function toPage(mapped: MappedRecord[], ctx: ReaderContext, cursor: string | null): SourcePage {
  const records: SourceRecord[] = [];
  const skipped: SkippedRecord[] = [];
  for (const record of mapped) {
    const converted = inWorkspaceCurrency(record, ctx);
    if (typeof converted === "string") {
      records.push({ key: record.key, facts: [] });
      skipped.push({ key: record.key, reason: converted });
      continue;
    }
    records.push({ key: record.key, facts: converted });
    for (const reason of record.skipped) skipped.push({ key: record.key, reason });
  }
  return { records, skipped, cursor };
}

function inWorkspaceCurrency(record: MappedRecord, ctx: ReaderContext): MappedRecord["facts"] | string {
  const currency = record.currency;
  if (currency === undefined || !record.facts.some((f) => MONEY_KINDS.has(f.kind))) return record.facts;
  const facts = [];
  for (const fact of record.facts) {
    if (!MONEY_KINDS.has(fact.kind) || fact.value === null) {
      facts.push(fact);
      continue;
    }
    const amount = toWorkspaceAmount(fact.value, currency, ctx);
    if (typeof amount === "string") return amount;
    facts.push({ ...fact, value: amount });
  }
  return facts;
}
