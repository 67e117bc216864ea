import { describe, expect, it } from "vitest";
import { metricDetailMessage, snapshotMessage } from "../../../src/core/messages/build-kpi-messages.ts";
import { makeMessage } from "../../../src/core/messages/model.ts";
import { toPlainText } from "../../../src/render/text/render.ts";
import { fixtureMessages } from "./all-messages.ts";
import { catalog, def, metrics, september, series, snapshot } from "./fixtures.ts";

describe("plain-text renderer", () => {
  it.each(fixtureMessages())("lays out the %s message as before", (_name, message) => {
    expect(toPlainText(message)).toMatchSnapshot();
  });

  it("draws a breakdown as █ bars proportional to the values", () => {
    const text = toPlainText(
      metricDetailMessage(metrics.revenueByChannel, def("revenue_by_channel"), september, series),
    );
    expect(text).toMatch(/paid_search +█{20} +€60,000 \(38%\)/);
    expect(text).toMatch(/webinar +█{15} +€45,000 \(29%\)/);
    expect(text).toMatch(/unknown +█{3} +€7,500 \(5%\)/);
  });

  it("aligns the scorecard's values in one column", () => {
    const lines = toPlainText(snapshotMessage(snapshot, catalog)).split("\n");
    const ends = ["1,240", "31.4%", "€157,500", "38.3 days", "3.2×", "n/a"].map((value) => {
      const line = lines.find((l) => l.includes(`  ${value}`)) ?? "";
      return line.indexOf(`  ${value}`) + 2 + value.length;
    });
    expect(new Set(ends).size).toBe(1);
  });

  it("carries the same facts as the fallback text", () => {
    const message = snapshotMessage(snapshot, catalog);
    const text = toPlainText(message);
    for (const fact of [
      "€1,235",
      "▼ 11.8% (better)",
      "target €1,300",
      "on track",
      "31.4%",
      "▼ 3.6 pp (worse)",
      "n/a",
    ]) {
      expect(message.text).toContain(fact);
      expect(text).toContain(fact);
    }
  });

  it("prints what a button-only message offers nothing for, and an image by its alt text", () => {
    const text = toPlainText(
      makeMessage([
        { type: "image", url: "https://example.com/x.png", altText: "MQL to SQL rate, 8 months" },
        { type: "choices", id: "p", prompt: "*Rate* it", options: [{ label: "1", value: "1" }] },
      ]),
    );
    expect(text).toBe("[chart] MQL to SQL rate, 8 months\nRate it\n  [1]");
  });
});
