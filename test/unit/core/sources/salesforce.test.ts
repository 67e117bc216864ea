import { describe, expect, it } from "vitest";
import {
  convertedLeads,
  mapSalesforceLead,
  mapSalesforceOpportunity,
  soqlChangedSince,
  soqlConvertedLeads,
} from "../../../../src/core/sources/salesforce.ts";
import { salesforceLead, salesforceOpportunity } from "../../../fakes/vendors/examples.ts";

const mapping = { source: "sfdc", zone: "America/New_York", mqlField: "MQL_Date__c", sqlField: "SQL_Date__c" };

describe("Salesforce leads", () => {
  it("yield a lead at CreatedDate with LeadSource as a lower-case channel, spaces as _", () => {
    const record = mapSalesforceLead(salesforceLead("00Q5e000001AbCdEAA"), mapping);
    expect(record.key).toBe("sfdc:lead:00Q5e000001AbCdEAA");
    expect(record.facts).toEqual([
      {
        occurredMs: Date.parse("2026-09-14T10:30:00Z"),
        kind: "lead",
        entityId: "00Q5e000001AbCdEAA",
        value: null,
        channel: "partner_referral",
        department: null,
        segment: null,
        externalId: "sfdc:lead:00Q5e000001AbCdEAA:lead",
      },
    ]);
    expect(record.skipped).toEqual([]);
  });

  it("yield mql and sql at the configured fields: a date is midnight in the workspace zone, a date-time its instant", () => {
    const lead = salesforceLead("00Q1", { MQL_Date__c: "2026-09-20", SQL_Date__c: "2026-09-21T15:00:00.000+0000" });
    const facts = mapSalesforceLead(lead, mapping).facts;
    expect(facts.map((f) => [f.kind, f.externalId, new Date(f.occurredMs).toISOString()])).toEqual([
      ["lead", "sfdc:lead:00Q1:lead", "2026-09-14T10:30:00.000Z"],
      ["mql", "sfdc:lead:00Q1:mql", "2026-09-20T04:00:00.000Z"],
      ["sql", "sfdc:lead:00Q1:sql", "2026-09-21T15:00:00.000Z"],
    ]);
    expect(facts.every((f) => f.entityId === "00Q1")).toBe(true);
  });

  it("yield no mql or sql when those fields are empty or not configured, and no channel without LeadSource", () => {
    const lead = salesforceLead("00Q2", { LeadSource: null, MQL_Date__c: null, SQL_Date__c: "2026-09-22" });
    expect(mapSalesforceLead(lead, mapping).facts.map((f) => [f.kind, f.channel])).toEqual([
      ["lead", null],
      ["sql", null],
    ]);
    expect(mapSalesforceLead(lead, { source: "sfdc", zone: "UTC" }).facts.map((f) => f.kind)).toEqual(["lead"]);
  });

  it("yield nothing once deleted, so their facts go", () => {
    const record = mapSalesforceLead(salesforceLead("00Q3", { IsDeleted: true }), mapping);
    expect(record).toEqual({ key: "sfdc:lead:00Q3", facts: [], skipped: [] });
  });

  it("report a date that cannot be read and keep the facts that can", () => {
    const record = mapSalesforceLead(salesforceLead("00Q4", { MQL_Date__c: "next tuesday" }), mapping);
    expect(record.facts.map((f) => f.kind)).toEqual(["lead"]);
    expect(record.skipped).toEqual([expect.stringMatching(/^mql not counted: MQL_Date__c: expected an ISO 8601/)]);
  });
});

describe("Salesforce opportunities", () => {
  it("yield an opportunity at CreatedDate, attributed to the lead converted into it", () => {
    const record = mapSalesforceOpportunity(salesforceOpportunity("0065e00000AbCdE"), "00Q1", mapping);
    expect(record.key).toBe("sfdc:opportunity:0065e00000AbCdE");
    expect(record.facts).toEqual([
      expect.objectContaining({
        kind: "opportunity",
        entityId: "00Q1",
        occurredMs: Date.parse("2026-09-15T08:00:00Z"),
        externalId: "sfdc:opportunity:0065e00000AbCdE:opportunity",
      }),
    ]);
  });

  it("without a converted lead, are their own entity", () => {
    const record = mapSalesforceOpportunity(salesforceOpportunity("006A"), undefined, mapping);
    expect(record.facts[0]?.entityId).toBe("opportunity-006A");
  });

  it("once won, yield won at CloseDate midnight in the workspace zone with Amount, New Business as new", () => {
    const won = salesforceOpportunity("006B", { IsClosed: true, IsWon: true, Amount: 12500.5, Type: "New Business" });
    const fact = mapSalesforceOpportunity(won, "00Q9", mapping).facts[1];
    expect(fact).toEqual({
      occurredMs: Date.parse("2026-09-30T04:00:00Z"),
      kind: "won",
      entityId: "00Q9",
      value: 12500.5,
      channel: null,
      department: null,
      segment: "new",
      externalId: "sfdc:opportunity:006B:won",
    });
  });

  it("take an empty Type as new business and any other Type as an upsell", () => {
    const segment = (Type: unknown) =>
      mapSalesforceOpportunity(salesforceOpportunity("006C", { IsClosed: true, IsWon: true, Type }), undefined, mapping)
        .facts[1]?.segment;
    expect(segment(null)).toBe("new");
    expect(segment("")).toBe("new");
    expect(segment("Existing Customer - Upgrade")).toBe("upsell");
    expect(segment("Existing Customer - Replacement")).toBe("upsell");
  });

  it("once closed and not won, yield lost at CloseDate", () => {
    const lost = salesforceOpportunity("006D", { IsClosed: true, IsWon: false, CloseDate: "2026-10-01" });
    expect(
      mapSalesforceOpportunity(lost, undefined, mapping).facts.map((f) => [f.kind, f.externalId, f.value]),
    ).toEqual([
      ["opportunity", "sfdc:opportunity:006D:opportunity", null],
      ["lost", "sfdc:opportunity:006D:lost", null],
    ]);
    expect(mapSalesforceOpportunity(lost, undefined, mapping).facts[1]?.occurredMs).toBe(
      Date.parse("2026-10-01T04:00:00Z"),
    );
  });

  it("while open, yield neither won nor lost", () => {
    const open = salesforceOpportunity("006E", { IsClosed: false, IsWon: false });
    expect(mapSalesforceOpportunity(open, undefined, mapping).facts.map((f) => f.kind)).toEqual(["opportunity"]);
  });

  it("skip and report a won without Amount, keeping the opportunity", () => {
    const won = salesforceOpportunity("006F", { IsClosed: true, IsWon: true, Amount: null });
    const record = mapSalesforceOpportunity(won, undefined, mapping);
    expect(record.facts.map((f) => f.kind)).toEqual(["opportunity"]);
    expect(record.skipped).toEqual(["won not counted: Amount is empty"]);
  });

  it("carry the record's currency in a multi-currency org", () => {
    const record = mapSalesforceOpportunity(
      salesforceOpportunity("006G", { CurrencyIsoCode: "EUR" }),
      undefined,
      mapping,
    );
    expect(record.currency).toBe("EUR");
    expect(mapSalesforceOpportunity(salesforceOpportunity("006H"), undefined, mapping).currency).toBeUndefined();
  });
});

describe("Salesforce queries", () => {
  it("pick the lowest lead Id converted into each opportunity", () => {
    const map = convertedLeads([
      salesforceLead("00Q9", { ConvertedOpportunityId: "006A" }),
      salesforceLead("00Q2", { ConvertedOpportunityId: "006A" }),
      salesforceLead("00Q5", { ConvertedOpportunityId: "006B" }),
      salesforceLead("00Q1"),
    ]);
    expect([...map]).toEqual([
      ["006A", "00Q2"],
      ["006B", "00Q5"],
    ]);
  });

  it("read changes since a SystemModstamp, oldest first, and everything without one", () => {
    expect(soqlChangedSince("Lead", ["Id", "CreatedDate"], Date.parse("2026-09-14T10:30:00.123Z"))).toBe(
      "SELECT Id, CreatedDate FROM Lead WHERE SystemModstamp >= 2026-09-14T10:30:00Z ORDER BY SystemModstamp ASC",
    );
    expect(soqlChangedSince("Lead", ["Id"], undefined)).toBe("SELECT Id FROM Lead ORDER BY SystemModstamp ASC");
  });

  it("quote only well-formed ids into the converted-lead query", () => {
    expect(soqlConvertedLeads(["0065e00000AbCdEAAA", "x' OR Id != '"])).toBe(
      "SELECT Id, ConvertedOpportunityId FROM Lead WHERE ConvertedOpportunityId IN ('0065e00000AbCdEAAA')",
    );
  });
});
