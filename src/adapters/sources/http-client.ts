// STUB until the sources foundation lands (take main's on merge).
export class SourceHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}
type Req = {
  method: "GET" | "POST";
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  form?: Record<string, string>;
  maxBytes?: number;
};
async function send(req: Req): Promise<Response> {
  const headers: Record<string, string> = { ...(req.headers ?? {}) };
  let body: string | undefined;
  if (req.form) {
    body = new URLSearchParams(req.form).toString();
    headers["content-type"] = "application/x-www-form-urlencoded";
  } else if (req.body !== undefined) {
    body = JSON.stringify(req.body);
    headers["content-type"] = "application/json";
  }
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(req.url, { method: req.method, headers, body });
    if ((res.status === 429 || res.status >= 500) && attempt < 3) {
      await new Promise((r) => setTimeout(r, 10));
      continue;
    }
    if (!res.ok)
      throw new SourceHttpError(
        res.status,
        `${new URL(req.url).host} answered ${res.status}: ${(await res.text()).slice(0, 200)}`,
      );
    return res;
  }
}
export type SourceHttp = { json<T>(req: Req): Promise<T>; text(req: Req): Promise<string> };
export const stubHttp: SourceHttp = {
  json: async <T>(req: Req) => (await (await send(req)).json()) as T,
  text: async (req: Req) => (await send(req)).text(),
};
