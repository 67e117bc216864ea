import { describe, expect, it } from "vitest";
import { listenError } from "../../../../src/adapters/http/server.ts";
import { AppError } from "../../../../src/core/errors.ts";

const errno = (code: string) => Object.assign(new Error(`listen ${code}`), { code });

describe("why the server cannot listen", () => {
  it("is one line naming the port and what to do, as AppError(invalid_input): exit code 1", () => {
    expect(listenError(errno("EADDRINUSE"), 3000)).toEqual(
      new AppError(
        "invalid_input",
        "port 3000 is already in use (another Tandem, or another program); set PORT to a free port",
      ),
    );
    expect(listenError(errno("EACCES"), 80).message).toBe(
      "not allowed to listen on port 80 (ports below 1024 need privileges); set PORT to another port, 1024 or above",
    );
    expect(listenError(errno("EACCES"), 8080, "10.0.0.1").message).toBe(
      "not allowed to listen on 10.0.0.1:8080; set PORT to another port, 1024 or above",
    );
    expect(listenError(errno("EADDRNOTAVAIL"), 3000, "10.9.9.9").message).toBe(
      "cannot listen on 10.9.9.9:3000: the address is not one of this machine's",
    );
    for (const code of ["EADDRINUSE", "EACCES", "EADDRNOTAVAIL"])
      expect(listenError(errno(code), 3000).message).not.toContain("\n");
  });

  it("leaves any other error as it is", () => {
    const other = errno("EMFILE");
    expect(listenError(other, 3000)).toBe(other);
  });
});
