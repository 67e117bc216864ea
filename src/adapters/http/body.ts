// Reading request bodies with a hard size limit, so one oversized request cannot
// exhaust memory.
import type { IncomingMessage, ServerResponse } from "node:http";
import { AppError, ErrorCode } from "../../core/errors.ts";

export const MB = 1024 * 1024;

export async function readBody(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limitBytes) {
    req.resume();
    throw new AppError(ErrorCode.PayloadTooLarge, `request body over ${Math.round(limitBytes / MB)} MB`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limitBytes) {
      req.resume();
      throw new AppError(ErrorCode.PayloadTooLarge, `request body over ${Math.round(limitBytes / MB)} MB`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}

export function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  contentType = "text/plain; charset=utf-8",
): void {
  res.writeHead(status, { "content-type": contentType, "content-length": Buffer.byteLength(text) });
  res.end(text);
}

const STATUS_BY_CODE: Record<string, number> = {
  invalid_input: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unavailable: 503,
  internal: 500,
};

export function statusForError(error: unknown): number {
  return error instanceof AppError ? (STATUS_BY_CODE[error.code] ?? 500) : 500;
}
