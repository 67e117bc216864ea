// A fake host of a published spreadsheet: `/pub?output=csv` answers 307 to the CSV
// itself, as Google Sheets' "Publish to the web" link does, and the CSV is served as
// text/csv. The test sets the text, and can make the next requests fail.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export type FakeCsvHost = {
  url: string;
  publishedUrl: string;
  csv: string;
  /** paths requested, in order */
  requests: string[];
  /** the next requests answer these statuses, one each */
  fail(...statuses: number[]): void;
  close(): Promise<void>;
};

export async function startFakeCsvHost(csv = ""): Promise<FakeCsvHost> {
  const failures: number[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    host.requests.push(url.pathname);
    const failure = failures.shift();
    if (failure !== undefined) {
      res.writeHead(failure, { "content-type": "text/html" });
      res.end("<html><body>Sorry, unable to open the file at present.</body></html>");
    } else if (url.pathname === "/pub" && url.searchParams.get("output") === "csv") {
      res.writeHead(307, { location: "/export.csv" });
      res.end();
    } else if (url.pathname === "/export.csv") {
      res.writeHead(200, { "content-type": "text/csv; charset=utf-8" });
      res.end(host.csv);
    } else {
      res.writeHead(404, { "content-type": "text/html" });
      res.end("<html><body>Not Found</body></html>");
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const host: FakeCsvHost = {
    url,
    publishedUrl: `${url}/pub?output=csv`,
    csv,
    requests: [],
    fail: (...statuses) => failures.push(...statuses),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return host;
}
