// The App Home tab: the user's department scorecard (or a prompt to join one), the
// shared metrics, upcoming digests and open pulses. Built from neutral messages and
// rendered like every other answer; the view is capped at Slack's 100 blocks.
import { DateTime } from "luxon";
import { clip, type Message } from "../../core/messages/model.ts";
import { escapeMrkdwn, type SlackBlock, toSlack } from "../../render/slack/render.ts";
import type { DigestSchedule, OpenPulse } from "../../store/app-home.ts";

export const HOME_BLOCK_LIMIT = 100;

const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

/** The next time a digest schedule fires after `now` (biweekly/monthly: the next matching weekday). */
export function nextDigestAt(schedule: DigestSchedule, now: Date): DateTime {
  const [hour = 9, minute = 0] = schedule.time.split(":").map(Number);
  const local = DateTime.fromJSDate(now, { zone: schedule.timezone });
  let candidate = local.set({ hour, minute, second: 0, millisecond: 0 });
  const days = (schedule.dayOfWeek - candidate.weekday + 7) % 7;
  candidate = candidate.plus({ days });
  if (candidate <= local) candidate = candidate.plus({ weeks: 1 });
  return candidate;
}

const header = (text: string): SlackBlock => ({ type: "header", text: { type: "plain_text", text } });
const section = (text: string): SlackBlock => ({ type: "section", text: { type: "mrkdwn", text } });
const SECTION_CHARS = 3_000;

/** One line per item, as few sections as Slack's 3,000 characters a section allow. */
function sections(lines: string[]): SlackBlock[] {
  const chunks: string[] = [];
  for (const line of lines) {
    const last = chunks.length - 1;
    const current = chunks[last];
    if (current !== undefined && current.length + 1 + line.length <= SECTION_CHARS)
      chunks[last] = `${current}\n${line}`;
    else chunks.push(line.slice(0, SECTION_CHARS));
  }
  return chunks.map(section);
}
/** Slack links `<#C123>` to the channel; ids are letters and digits, anything else is left as text */
const channel = (id: string) => (/^[A-Z0-9]+$/.test(id) ? `<#${id}>` : escapeMrkdwn(id));

// Slack-specific (channel links), so built as blocks rather than neutral messages.
export function digestBlocks(schedules: DigestSchedule[], now: Date): SlackBlock[] {
  if (schedules.length === 0) {
    return [
      header("Upcoming digests"),
      section("No digest yet. Type `/kpi digest subscribe` in a channel to get one there every week."),
    ];
  }
  const lines = schedules.map((schedule) => {
    const next = nextDigestAt(schedule, now).setLocale("en-US");
    const day = WEEKDAYS[schedule.dayOfWeek - 1] ?? `day ${schedule.dayOfWeek}`;
    return (
      `${channel(schedule.channelId)}: ${escapeMrkdwn(schedule.cadence)} on ${day} at ${escapeMrkdwn(schedule.time)} ` +
      `(${escapeMrkdwn(schedule.timezone)}), next *${next.toFormat("ccc d LLL HH:mm")}*`
    );
  });
  return [header("Upcoming digests"), ...sections(lines)];
}

export function pulseBlocks(pulses: OpenPulse[], zone: string): SlackBlock[] {
  if (pulses.length === 0) {
    return [header("Open pulses"), section('No pulse is open. `/pulse "QUESTION"` asks a channel.')];
  }
  const lines = pulses.map((pulse) => {
    const closes = DateTime.fromJSDate(pulse.closesAt, { zone }).setLocale("en-US").toFormat("ccc d LLL HH:mm");
    return `*${escapeMrkdwn(clip(pulse.title, 150))}* in ${channel(pulse.channelId)}, closes ${closes}`;
  });
  return [header("Open pulses"), ...sections(lines)];
}

/** Lays the parts out one after another, separated by dividers, within the block cap. */
export function homeView(parts: (Message | SlackBlock[])[]): { type: "home"; blocks: SlackBlock[] } {
  const blocks: SlackBlock[] = [];
  for (const part of parts) {
    const rendered = Array.isArray(part) ? part : toSlack(part).blocks;
    const needed = rendered.length + (blocks.length > 0 ? 1 : 0);
    if (blocks.length + needed > HOME_BLOCK_LIMIT) break;
    if (blocks.length > 0) blocks.push({ type: "divider" });
    blocks.push(...rendered);
  }
  return { type: "home", blocks };
}
