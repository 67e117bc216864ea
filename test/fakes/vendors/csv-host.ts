// A fake host of a published spreadsheet: `/pub?output=csv` answers 307 to the CSV
// itself, as Google Sheets' "Publish to the web" link does, and the CSV is served
// with text/csv. The test sets the text.
import { startVendorServer, type VendorServer } from "./vendor-server.ts";

export type FakeCsvHost = VendorServer & { csv: string; publishedUrl: string };

export async function startFakeCsvHost(csv = ""): Promise<FakeCsvHost> {
  const fake = (await startVendorServer(
    (method, url) =>
      method !== "GET"
        ? undefined
        : url.pathname === "/pub"
          ? "published"
          : url.pathname === "/export.csv"
            ? "csv"
            : undefined,
    (call, reply, res) => {
      if (call.route === "published") return reply(307, "", { location: "/export.csv" });
      res.writeHead(200, { "content-type": "text/csv; charset=utf-8" });
      res.end(fake.csv);
    },
    () => "<html><body>Sorry, unable to open the file at present.</body></html>",
  )) as FakeCsvHost;
  return Object.assign(fake, { csv, publishedUrl: `${fake.url}/pub?output=csv` });
}
