// What a source kind's reader is built from (src/main/sources.ts builds it): the
// source's applied settings, where its API is, how to read a named secret, the polite
// HTTP client, and the workspace's zone and currency.
import type { MoneyContext } from "../../core/sources/money.ts";
import type { SourceReader } from "../../core/sources/reader.ts";
import type { SourceHttp } from "./http-client.ts";

export type ReaderContext = MoneyContext & {
  /** the source's name: the first part of its record keys and external ids */
  name: string;
  /** base_url, rates and the kind's own keys as applied (secrets only as variable names) */
  settings: Readonly<Record<string, unknown>>;
  /** base_url, or the vendor's public host; no trailing slash */
  baseUrl: string;
  /** the value of the environment variable a `*_env` key names; throws a clear error when it is unset */
  secret(key: string): string;
  http: SourceHttp;
  /** the workspace's time zone (dates without a time are midnight there) */
  zone: string;
};

export type ReaderFactory = (context: ReaderContext) => SourceReader;
