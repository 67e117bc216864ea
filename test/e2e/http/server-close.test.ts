// The HTTP server's close(), over real sockets: a request that arrives on a kept-alive
// connection once closing has begun never reaches its route; the request in flight
// finishes with `Connection: close` (so the client sends nothing more on it); close()
// resolves once the last answer is out, not at the kept-alive timeout.
import net from "node:net";
import { describe, expect, it } from "vitest";
import { createHttpServer } from "../../../src/adapters/http/server.ts";
import { createLogger } from "../../../src/core/logger.ts";

const request = (path: string) => `GET ${path} HTTP/1.1\r\nHost: tandem\r\n\r\n`;

describe("the HTTP server's close()", () => {
  it("processes no request that arrives on a kept-alive connection after close() began", async () => {
    let enterSlow: () => void = () => {};
    const slowEntered = new Promise<void>((resolve) => {
      enterSlow = resolve;
    });
    let releaseSlow: () => void = () => {};
    const slowReleased = new Promise<void>((resolve) => {
      releaseSlow = resolve;
    });
    const processed: string[] = [];
    const logged: string[] = [];
    const http = createHttpServer(
      [
        {
          method: "GET",
          path: "/slow",
          handler: async (_req, res) => {
            enterSlow();
            await slowReleased;
            processed.push("slow");
            res.end("slow done");
          },
        },
        {
          method: "GET",
          path: "/other",
          handler: (_req, res) => {
            processed.push("other");
            res.end("other done");
          },
        },
      ],
      { logger: createLogger("debug", (line) => logged.push(JSON.parse(line).msg)) },
    );
    const port = await http.listen(0, "127.0.0.1");

    const socket = net.connect(port, "127.0.0.1");
    let received = "";
    socket.on("data", (chunk: Buffer) => {
      received += chunk.toString("utf8");
    });
    const socketClosed = new Promise<void>((resolve) => socket.on("close", () => resolve()));
    socket.write(request("/slow"));
    await slowEntered;

    let closed = false;
    const closing = http.close(60_000).then(() => {
      closed = true;
    });
    // pipelined on the same kept-alive connection, after close() began
    socket.write(request("/other"));
    await new Promise<void>((resolve) => {
      const check = () => (logged.includes("request refused: shutting down") ? resolve() : setTimeout(check, 10));
      check();
    });
    expect(closed).toBe(false);

    releaseSlow();
    await closing;
    await socketClosed;
    expect(processed).toEqual(["slow"]);
    // the one answer on the connection: the request in flight, with the connection closed after it
    expect(received).toMatch(/^HTTP\/1\.1 200 /);
    expect(received).toMatch(/\r\nconnection: close\r\n/i);
    expect(received).toMatch(/slow done$/);
  });
});
