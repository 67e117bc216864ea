// STUB until the sources foundation lands (take main's on merge).
import type { SourceHttp } from "./http-client.ts";
export type ReaderContext = {
  name: string;
  settings: Record<string, unknown>;
  baseUrl: string;
  secret(envName: string): string;
  http: SourceHttp;
  zone: string;
  currency: string;
  rates: Record<string, number>;
};
