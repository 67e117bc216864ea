// A ReaderContext for testing one kind's reader on its own: the real polite HTTP
// client without its waits (retries sleep 1 ms, no request spacing), secrets from
// process.env, the workspace's zone and currency as given.
import { createSourceHttp, type SourceHttp } from "../../src/adapters/sources/http-client.ts";
import type { ReaderContext } from "../../src/adapters/sources/reader-context.ts";

export function testSourceHttp(vendor = "Vendor"): SourceHttp {
  return createSourceHttp({
    vendor,
    requestsPerSecond: 1000,
    retry: { randomize: false, minTimeoutMs: 1, maxTimeoutMs: 1, sleep: async () => {} },
  });
}

export function testReaderContext(options: {
  name: string;
  /** the entry's keys besides name and kind; undefined values are left out */
  settings: Record<string, unknown>;
  baseUrl?: string;
  zone?: string;
  currency?: string;
  rates?: Record<string, number>;
}): ReaderContext {
  const settings = Object.fromEntries(Object.entries(options.settings).filter(([, value]) => value !== undefined));
  return {
    name: options.name,
    settings,
    baseUrl: options.baseUrl ?? "https://vendor.invalid",
    secret(key) {
      const variable = settings[key];
      const value = typeof variable === "string" ? process.env[variable] : undefined;
      if (value === undefined) throw new Error(`${options.name}: the environment variable named by ${key} is not set`);
      return value;
    },
    http: testSourceHttp(),
    zone: options.zone ?? "UTC",
    currency: options.currency ?? "USD",
    rates: options.rates ?? {},
  };
}
