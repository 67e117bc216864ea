// What a kind's mapping makes of one vendor record: the facts it yields now (an
// empty list removes the facts it yielded before) and why any of its facts were
// left out. `key` is "<source>:<record type>:<record id>"; each fact's external_id
// is the key plus ":<fact kind>" (plus a part telling apart several facts of a kind).
import { type Fact, type FactKind, parseOccurredAt, type Segment } from "../facts/fact.ts";
import { quoted } from "../messages/user-text.ts";

export type MappedRecord = {
  key: string;
  facts: Fact[];
  /** why facts this record would otherwise yield were left out */
  skipped: string[];
  /** ISO 4217 code the record's money is in, when the vendor says */
  currency?: string;
};

/** A fact of a source record, every optional field empty unless given. */
export function sourceFact(
  externalId: string,
  kind: FactKind,
  occurredMs: number,
  fields: { entityId?: string; value?: number; channel?: string; department?: string; segment?: Segment } = {},
): Fact {
  return {
    occurredMs,
    kind,
    entityId: fields.entityId ?? null,
    value: fields.value ?? null,
    channel: fields.channel ?? null,
    department: fields.department ?? null,
    segment: fields.segment ?? (kind === "won" ? "new" : null),
    externalId,
  };
}

/** A vendor's date-time (with offset) or date (midnight in `zone`) in epoch ms, or why not. */
export function vendorInstant(field: string, raw: unknown, zone: string): number | string {
  if (typeof raw !== "string" || raw.trim() === "") return `${field} is empty`;
  const parsed = parseOccurredAt(raw, zone);
  return typeof parsed === "number" ? parsed : `${field}: ${parsed}`;
}

/** A channel name as facts store it: lower case, runs of spaces as "_" ("Partner Referral" → partner_referral). */
export function channelName(raw: unknown): string | undefined {
  if (typeof raw !== "string") return undefined;
  const name = raw.trim().toLowerCase().replace(/\s+/g, "_");
  return name === "" ? undefined : name.slice(0, 200);
}

/** A money amount a vendor sent as a number or a decimal string, or why it is not one. */
export function vendorAmount(field: string, raw: unknown): number | string {
  const value = typeof raw === "number" ? raw : typeof raw === "string" && raw.trim() !== "" ? Number(raw) : Number.NaN;
  if (!Number.isFinite(value))
    return raw === null || raw === undefined ? `${field} is empty` : `${field} is not a number: ${quoted(String(raw))}`;
  if (value < 0) return `${field} is negative: ${value}`;
  return value;
}
