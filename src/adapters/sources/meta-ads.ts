// Reads daily account spend from Meta's Marketing API insights over the window (the
// last lookback_days before the day the previous sync reached, up to today), page by
// page through `paging.next`. The system user's token goes in the Authorization
// header; `paging.next` is followed only on the configured host.
import {
  DEFAULT_META_API_VERSION,
  type MetaInsight,
  mapMetaInsight,
  metaInsightsParams,
} from "../../core/sources/meta-ads.ts";
import type { SourceReader } from "../../core/sources/reader.ts";
import { adWindowOf } from "./ad-window-of.ts";
import { SourceHttpError } from "./http-client.ts";
import { toPage } from "./mapped-page.ts";
import type { ReaderContext } from "./reader-context.ts";

// Meta scores an app's calls per ad account over the last hour; a few a second stays well inside.
export const META_ADS_REQUESTS_PER_SECOND = 2;

type MetaSettings = { account_id: string; token_env: string; api_version?: string };
type InsightsAnswer = { data?: MetaInsight[]; paging?: { next?: string } };

export function createMetaAdsReader(ctx: ReaderContext): SourceReader {
  const settings = ctx.settings as MetaSettings;
  const base = new URL(ctx.baseUrl);
  const accountId = String(settings.account_id).replace(/^act_/, "");
  const path = `/v${settings.api_version ?? DEFAULT_META_API_VERSION}/act_${accountId}/insights`;

  return {
    coverage: (cursor, options) => {
      const window = adWindowOf(ctx, cursor, options);
      return { kind: "window", fromMs: window.startMs, toMs: window.endMs };
    },
    async *pages(cursor, options) {
      const window = adWindowOf(ctx, cursor, options);
      const headers = { authorization: `Bearer ${ctx.secret("token_env")}` };
      const first = new URL(path, base);
      for (const [name, value] of Object.entries(metaInsightsParams(window.from, window.to)))
        first.searchParams.set(name, value);
      let next: URL | undefined = first;
      while (next !== undefined) {
        let answer: InsightsAnswer;
        try {
          answer = await ctx.http.json<InsightsAnswer>({ method: "GET", url: next.toString(), headers });
        } catch (error) {
          if (error instanceof SourceHttpError && (error.status === 401 || /\b190\b/.test(error.message)))
            throw new Error(
              `Meta refused the token in ${settings.token_env} (${error.status}): give it a system user token with ads_read`,
            );
          throw error;
        }
        const link = answer.paging?.next;
        next = typeof link === "string" ? new URL(link) : undefined;
        if (next !== undefined && next.origin !== base.origin)
          throw new Error(`Meta's paging.next leads to another host (${next.host}): not followed`);
        const records = (answer.data ?? []).map((insight) =>
          mapMetaInsight(insight, { source: ctx.name, zone: ctx.zone }),
        );
        yield toPage(records, ctx, next === undefined ? window.to : null);
      }
    },
  };
}
