// STUB: a ReaderContext for reader tests.
import { stubHttp } from "../../src/adapters/sources/http-client.ts";
import type { ReaderContext } from "../../src/adapters/sources/reader-context.ts";

export function testReaderContext(options: {
  name: string;
  settings: Record<string, unknown>;
  baseUrl?: string;
  zone?: string;
  currency?: string;
  rates?: Record<string, number>;
}): ReaderContext {
  const settings = Object.fromEntries(Object.entries(options.settings).filter(([, v]) => v !== undefined));
  return {
    name: options.name,
    settings,
    baseUrl: options.baseUrl ?? "https://example.invalid",
    secret(name) {
      const value = process.env[name];
      if (!value) throw new Error(`${name} is not set`);
      return value;
    },
    http: stubHttp,
    zone: options.zone ?? "UTC",
    currency: options.currency ?? "USD",
    rates: options.rates ?? {},
  };
}
