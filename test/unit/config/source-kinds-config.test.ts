// The config keys of the salesforce, google_ads, meta_ads, sql and csv_url kinds, with
// the errors every config key has: line, key path, what was expected, did you mean.
import { describe, expect, it } from "vitest";
import { validateMetricsConfig } from "../../../src/config/metrics-config.ts";
import { toSourceDefinition } from "../../../src/config/sources-config.ts";

const file = (...lines: string[]) => ["version: 1", "currency: USD", "sources:", ...lines].join("\n");
const errorsOf = (text: string): string[] => {
  const result = validateMetricsConfig(text);
  if (result.ok) throw new Error("expected the config to be rejected");
  return result.errors;
};
const sourcesOf = (text: string) => {
  const result = validateMetricsConfig(text);
  if (!result.ok) throw new Error(result.errors.join("\n"));
  return result.config.sources.map(toSourceDefinition);
};

describe("the config keys of the other source kinds", () => {
  it("accept a worked example of every kind", () => {
    const sources = sourcesOf(
      file(
        "  - name: sfdc",
        "    kind: salesforce",
        "    instance_url: https://acme.my.salesforce.com",
        "    client_id_env: SALESFORCE_CLIENT_ID",
        "    client_secret_env: SALESFORCE_CLIENT_SECRET",
        "    mql_field: MQL_Date__c",
        "    sql_field: SQL_Date__c",
        "  - name: google",
        "    kind: google_ads",
        "    customer_id: 123-456-7890",
        "    developer_token_env: GOOGLE_ADS_DEVELOPER_TOKEN",
        "    client_id_env: GOOGLE_ADS_CLIENT_ID",
        "    client_secret_env: GOOGLE_ADS_CLIENT_SECRET",
        "    refresh_token_env: GOOGLE_ADS_REFRESH_TOKEN",
        "    lookback_days: 14",
        "  - name: meta",
        "    kind: meta_ads",
        "    account_id: act_1234567890",
        "    token_env: META_ADS_TOKEN",
        "  - name: warehouse",
        "    kind: sql",
        "    url_env: WAREHOUSE_URL",
        "    query: SELECT * FROM marts.facts WHERE updated_at > $1",
        "    cursor_column: updated_at",
        "  - name: sheet",
        "    kind: csv_url",
        "    url: https://docs.google.com/spreadsheets/d/e/2PACX-1/pub?output=csv",
        "    skip_invalid: true",
      ),
    );
    expect(sources.map((s) => s.kind)).toEqual(["salesforce", "google_ads", "meta_ads", "sql", "csv_url"]);
    expect(sources[1]?.settings.customer_id).toBe("123-456-7890");
  });

  it("refuse a secret written inline, naming the key to use instead", () => {
    expect(
      errorsOf(
        file(
          "  - name: sfdc", // 4
          "    kind: salesforce",
          "    instance_url: https://acme.my.salesforce.com",
          "    client_id_env: SALESFORCE_CLIENT_ID",
          "    client_secret: 9F3A0C55E1B", // 8
        ),
      ),
    ).toEqual([
      "line 4: sources[0].client_secret_env: the client-credentials flow needs both client_id_env and client_secret_env",
      "line 8: sources[0].client_secret: secrets are never written in the config: put it in an environment variable and name that variable here (client_secret_env: SALESFORCE_TOKEN)",
    ]);
  });

  it("say how a Salesforce or Google Ads source may sign in when it names no way", () => {
    const errors = errorsOf(
      file(
        "  - name: sfdc",
        "    kind: salesforce",
        "    instance_url: https://acme.my.salesforce.com",
        "  - name: google",
        "    kind: google_ads",
        "    customer_id: 1234567890", // a number in YAML is fine
        "    developer_token_env: GOOGLE_ADS_DEVELOPER_TOKEN",
        "    refresh_token_env: GOOGLE_ADS_REFRESH_TOKEN",
      ),
    );
    expect(errors[0]).toMatch(
      /^line 4: sources\[0\]: name how to sign in: token_env \(an access token\), or client_id_env/,
    );
    expect(errors.slice(1)).toEqual([
      "line 7: sources[1].client_id_env: the refresh-token flow needs client_id_env, client_secret_env, refresh_token_env",
      "line 7: sources[1].client_secret_env: the refresh-token flow needs client_id_env, client_secret_env, refresh_token_env",
    ]);
  });

  it("name each malformed value with what was expected", () => {
    const errors = errorsOf(
      file(
        "  - name: google", // 4
        "    kind: google_ads",
        "    customer_id: 12345", // 6
        "    developer_token_env: dev-token", // 7
        "    token_env: GOOGLE_ADS_TOKEN",
        "    lookback_days: 120", // 9
        "  - name: meta", // 10
        "    kind: meta_ads",
        "    account_id: my-account", // 12
        "    token_env: META_ADS_TOKEN",
        "    start_date: 2026-13-01", // 14
      ),
    );
    expect(errors).toEqual([
      "line 6: sources[0].customer_id: expected the customer id as Google Ads shows it, like 123-456-7890",
      "line 7: sources[0].developer_token_env: expected the NAME of an environment variable in capitals (like HUBSPOT_TOKEN), not the secret itself",
      "line 9: sources[0].lookback_days: lookback_days is at most 90",
      "line 12: sources[1].account_id: expected the ad account id, digits (act_ in front is fine)",
      "line 14: sources[1].start_date: expected a date such as 2026-01-01",
    ]);
  });

  it("suggest the key meant by a typo", () => {
    expect(
      errorsOf(
        file(
          "  - name: sfdc",
          "    kind: salesforce",
          "    instance_url: https://acme.my.salesforce.com",
          "    token_env: SALESFORCE_TOKEN",
          "    mql_feild: MQL_Date__c", // 8
        ),
      )[0],
    ).toMatch(/^line 8: sources\[0\]\.mql_feild: unknown key \(did you mean mql_field\?\)/);
  });

  it("take one read-only statement for sql, and an https URL for csv_url", () => {
    expect(
      errorsOf(
        file(
          "  - name: wh",
          "    kind: sql",
          "    url_env: WAREHOUSE_URL",
          "    query: DELETE FROM facts", // 7
          "  - name: wh2",
          "    kind: sql",
          "    url_env: WAREHOUSE_URL",
          "    query: SELECT 1; DROP TABLE facts", // 11
          "  - name: sheet",
          "    kind: csv_url",
          "    url: http://sheets.example.com/facts.csv", // 14
          "  - name: sheet2", // 15
          "    kind: csv_url",
        ),
      ),
    ).toEqual([
      "line 7: sources[0].query: expected one SELECT (or WITH … SELECT) statement: the source only reads",
      "line 11: sources[1].query: one statement only: remove what follows the ;",
      "line 14: sources[2].url: expected an https:// URL",
      "line 15: sources[3]: name the CSV with url (its URL) or url_env (a variable holding it), one of the two",
    ]);
  });
});
