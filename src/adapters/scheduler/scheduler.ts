// One node-cron task ticking every minute; each tick runs every registered job (the
// digest's runDueDigests, later the pulse feature's due work) with the injected clock's
// time. The cron task only says "now": what is due is decided from the database, so a
// tick at start-up catches up whatever came due while Tandem was down, and several
// replicas ticking at once are safe (the jobs claim their work). Within one process a
// tick never overlaps the previous one: a tick that finds one in flight is skipped.
import { createTask } from "node-cron";
import { describeError } from "../../core/describe-error.ts";
import type { Clock, Logger } from "../../core/ports.ts";

export type SchedulerJob = (now: Date) => Promise<unknown>;

export type Scheduler = {
  /** registers a job under a unique name; jobs run in the order they were added */
  add(name: string, job: SchedulerJob): void;
  /** schedules the cron task and runs a first tick at once (the catch-up); resolves when that tick is done */
  start(): Promise<void>;
  /** stops ticking and waits for a tick in flight to finish */
  stop(): Promise<void>;
  /** runs every job once, now; while a tick is in flight, returns that tick instead of starting another */
  tick(): Promise<void>;
};

/** The part of node-cron's task the scheduler uses, injectable so tests can tick by hand. */
export type CronTask = { start(): void | Promise<void>; stop(): void | Promise<void> };
export type CronFactory = (expression: string, run: () => Promise<void>) => CronTask;

export const EVERY_MINUTE = "* * * * *";

function nodeCron(logger: Logger): CronFactory {
  return (expression, run) =>
    createTask(expression, run, {
      name: "tandem-scheduler",
      // our own guard below covers the start-up tick too; this one keeps node-cron quiet about it
      noOverlap: true,
      logger: {
        info: (message) => logger.debug(`node-cron: ${message}`),
        warn: (message) => logger.warn(`node-cron: ${message}`),
        error: (message, error) => logger.error(`node-cron: ${String(message)}`, error ? { error: String(error) } : {}),
        debug: (message) => logger.debug(`node-cron: ${String(message)}`),
      },
    });
}

export function createScheduler(deps: {
  clock: Clock;
  logger: Logger;
  expression?: string;
  cron?: CronFactory;
}): Scheduler {
  const jobs: { name: string; job: SchedulerJob }[] = [];
  const cron = (deps.cron ?? nodeCron(deps.logger))(deps.expression ?? EVERY_MINUTE, () => tick());
  let inFlight: Promise<void> | null = null;
  let started = false;

  async function runJobs(): Promise<void> {
    const now = deps.clock.now();
    for (const { name, job } of jobs) {
      try {
        await job(now);
      } catch (error) {
        // one job's failure must not keep the others (or the next tick) from running
        deps.logger.error("scheduled job failed", { job: name, error: describeError(error) });
      }
    }
  }

  function tick(): Promise<void> {
    if (inFlight) {
      deps.logger.debug("scheduler tick skipped: the previous one is still running");
      return inFlight;
    }
    inFlight = runJobs().finally(() => {
      inFlight = null;
    });
    return inFlight;
  }

  return {
    add(name, job) {
      if (jobs.some((entry) => entry.name === name)) throw new Error(`scheduler: a job named ${name} is already added`);
      jobs.push({ name, job });
    },
    async start() {
      if (started) return;
      started = true;
      await cron.start();
      await tick();
    },
    async stop() {
      if (!started) return;
      started = false;
      await cron.stop();
      await inFlight;
    },
    tick,
  };
}
