// A bench child's own peak RSS. process.resourceUsage().maxRSS cannot tell it: Linux
// keeps the high-water mark across fork and exec, so a child started by a parent holding
// ten million generated facts reports the parent's memory as its own. Sampled instead.

const SAMPLE_EVERY_MS = 100;

/** Starts sampling; the returned function gives the peak so far, in MB. */
export function peakRss(): () => number {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, SAMPLE_EVERY_MS);
  timer.unref();
  return () => {
    peak = Math.max(peak, process.memoryUsage.rss());
    return Math.round(peak / 1024 / 1024);
  };
}
