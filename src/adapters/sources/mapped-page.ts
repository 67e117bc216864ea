// Turns mapped vendor records into a page for the sync engine: money facts of a
// record in another currency are converted by the config's fixed rate, or left out
// and reported; every reason a fact was left out becomes a skipped entry. A skipped
// entry of a record that still yields facts is keyed "<record key>:<fact kind>", so
// the facts it does yield stay.
import { FACT_KINDS, type Fact } from "../../core/facts/fact.ts";
import type { MappedRecord } from "../../core/sources/mapped-record.ts";
import { toWorkspaceAmount } from "../../core/sources/money.ts";
import type { SkippedRecord, SourcePage, SourceRecord } from "../../core/sources/reader.ts";
import type { ReaderContext } from "./reader-context.ts";

const MONEY_KINDS = new Set(["won", "spend", "mrr"]);

export function toPage(mapped: MappedRecord[], ctx: ReaderContext, cursor: string | null): SourcePage {
  const records: SourceRecord[] = [];
  const skipped: SkippedRecord[] = [];
  for (const record of mapped) {
    const reasons = [...record.skipped];
    let facts: Fact[] = record.facts;
    if (record.currency !== undefined) {
      const currency = record.currency;
      facts = [];
      for (const fact of record.facts) {
        if (!MONEY_KINDS.has(fact.kind) || fact.value === null) {
          facts.push(fact);
          continue;
        }
        const amount = toWorkspaceAmount(fact.value, currency, ctx);
        if (typeof amount === "number") facts.push({ ...fact, value: amount });
        else reasons.push(`${fact.kind} not counted: ${amount}`);
      }
    }
    records.push({ key: record.key, facts });
    for (const reason of reasons) skipped.push({ key: skippedKey(record.key, facts.length > 0, reason), reason });
  }
  return { records, skipped, cursor };
}

function skippedKey(key: string, yieldsFacts: boolean, reason: string): string {
  if (!yieldsFacts) return key;
  const kind = reason.split(" ", 1)[0] ?? "";
  return (FACT_KINDS as readonly string[]).includes(kind) ? `${key}:${kind}` : `${key}:partial`;
}
