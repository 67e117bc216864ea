// Vendor records shaped as the vendors' documentation shows them (field names, value
// formats, int64 as strings, dates without offsets), for the fakes and the mapping tests.

/** Salesforce REST: a Lead as /query returns it (date-times with "+0000", no colon). */
export const salesforceLead = (id: string, fields: Record<string, unknown> = {}) => ({
  attributes: { type: "Lead", url: `/services/data/v62.0/sobjects/Lead/${id}` },
  Id: id,
  CreatedDate: "2026-09-14T10:30:00.000+0000",
  LeadSource: "Partner Referral",
  ConvertedOpportunityId: null,
  SystemModstamp: "2026-09-14T10:30:00.000+0000",
  IsDeleted: false,
  ...fields,
});

/** Salesforce REST: an Opportunity (CloseDate is a date, Amount a number or null). */
export const salesforceOpportunity = (id: string, fields: Record<string, unknown> = {}) => ({
  attributes: { type: "Opportunity", url: `/services/data/v62.0/sobjects/Opportunity/${id}` },
  Id: id,
  CreatedDate: "2026-09-15T08:00:00.000+0000",
  CloseDate: "2026-09-30",
  IsClosed: false,
  IsWon: false,
  Amount: 7500,
  Type: "New Business",
  SystemModstamp: "2026-09-15T08:00:00.000+0000",
  IsDeleted: false,
  ...fields,
});

/** Google Ads REST searchStream: one row (costMicros an int64 string, enums as names). */
export const googleAdsRow = (date: string, channelType: string, costMicros: string, campaignId = "8765432109") => ({
  campaign: { resourceName: `customers/1234567890/campaigns/${campaignId}`, advertisingChannelType: channelType },
  metrics: { costMicros },
  segments: { date },
  customer: { resourceName: "customers/1234567890", currencyCode: "USD" },
});

/** Meta Marketing API insights with time_increment=1: spend is a decimal string. */
export const metaInsight = (date: string, spend: string, currency = "USD") => ({
  spend,
  account_currency: currency,
  date_start: date,
  date_stop: date,
});
