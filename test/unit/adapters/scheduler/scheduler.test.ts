import { describe, expect, it } from "vitest";
import { type CronFactory, createScheduler } from "../../../../src/adapters/scheduler/scheduler.ts";
import type { Logger } from "../../../../src/core/ports.ts";

function logger(): Logger & { errors: string[] } {
  const errors: string[] = [];
  return {
    errors,
    debug: () => {},
    info: () => {},
    warn: () => {},
    error: (message, fields) => errors.push(`${message} ${JSON.stringify(fields ?? {})}`),
  };
}

/** A cron that ticks only when the test says so. */
function manualCron(): CronFactory & { fire(): Promise<void>; started: boolean; expression: string } {
  let run: (() => Promise<void>) | null = null;
  const factory = ((expression: string, fn: () => Promise<void>) => {
    factory.expression = expression;
    run = fn;
    return {
      start: () => {
        factory.started = true;
      },
      stop: () => {
        factory.started = false;
      },
    };
  }) as CronFactory & { fire(): Promise<void>; started: boolean; expression: string };
  factory.started = false;
  factory.expression = "";
  factory.fire = async () => {
    if (factory.started && run) await run();
  };
  return factory;
}

const clock = { now: () => new Date("2026-03-09T13:00:00Z") };

describe("the scheduler", () => {
  it("ticks every minute, and catches up with a first tick at start", async () => {
    const cron = manualCron();
    const seen: string[] = [];
    const scheduler = createScheduler({ clock, logger: logger(), cron });
    scheduler.add("digests", async (now) => {
      seen.push(now.toISOString());
    });
    await scheduler.start();
    expect(cron.expression).toBe("* * * * *");
    expect(seen).toEqual(["2026-03-09T13:00:00.000Z"]);
    await cron.fire();
    expect(seen).toHaveLength(2);
    await scheduler.stop();
    await cron.fire();
    expect(seen).toHaveLength(2);
  });

  it("never runs two ticks at once in one process", async () => {
    const cron = manualCron();
    let release: () => void = () => {};
    let runs = 0;
    const scheduler = createScheduler({ clock, logger: logger(), cron });
    scheduler.add("slow", async () => {
      runs++;
      await new Promise<void>((resolve) => {
        release = resolve;
      });
    });
    const first = scheduler.start();
    await Promise.resolve();
    const overlapping = [cron.fire(), scheduler.tick(), cron.fire()];
    expect(runs).toBe(1);
    release();
    await Promise.all([first, ...overlapping]);
    expect(runs).toBe(1);
    const next = scheduler.tick();
    release();
    await next;
    expect(runs).toBe(2);
    await scheduler.stop();
  });

  it("runs every job in turn, and one job's failure neither stops the others nor the next tick", async () => {
    const cron = manualCron();
    const log = logger();
    const order: string[] = [];
    const scheduler = createScheduler({ clock, logger: log, cron });
    scheduler.add("digests", async () => {
      order.push("digests");
      throw new Error("database down");
    });
    scheduler.add("pulses", async () => {
      order.push("pulses");
    });
    expect(() => scheduler.add("pulses", async () => {})).toThrow(/already added/);
    await scheduler.start();
    await cron.fire();
    expect(order).toEqual(["digests", "pulses", "digests", "pulses"]);
    expect(log.errors).toHaveLength(2);
    expect(log.errors[0]).toContain("database down");
    await scheduler.stop();
  });

  it("drives its jobs from node-cron itself", async () => {
    const ticks: Date[] = [];
    // every second, so the test need not wait a minute
    const scheduler = createScheduler({
      clock: { now: () => new Date() },
      logger: logger(),
      expression: "* * * * * *",
    });
    scheduler.add("count", async (now) => {
      ticks.push(now);
    });
    await scheduler.start();
    const until = Date.now() + 5_000;
    while (ticks.length < 3 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
    await scheduler.stop();
    expect(ticks.length).toBeGreaterThanOrEqual(3);
  });
});
