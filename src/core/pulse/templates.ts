// Ready-made pulses from the seed articles' qualitative indicators: "regular feedback
// loops, joint planning sessions, and shared goals", surveying "perceived alignment and
// collaboration effectiveness", and the lead hand-off where "sales blam[es] marketing for
// low-quality leads and marketing blam[es] sales for failing to close deals". The
// hand-off pulse is reciprocal: both teams rate each side's work, and the results show
// the gap between how a team rates itself and how the others rate it.
import type { QuestionSpecInput } from "./types.ts";

export type PulseTemplate = {
  key: string;
  title: string;
  description: string;
  questions: QuestionSpecInput[];
};

export const TEMPLATES: PulseTemplate[] = [
  {
    key: "handoff",
    title: "Lead hand-off: how did it go this week?",
    description: "Reciprocal: sales and marketing both rate marketing's leads and sales' follow-up.",
    questions: [
      {
        text: "The leads marketing handed to sales this week were good quality.",
        kind: "agree5",
        tag: "handoff_quality",
        aboutDepartment: "marketing",
      },
      {
        text: "Sales followed up on marketing's leads quickly and well this week.",
        kind: "agree5",
        tag: "handoff_quality",
        aboutDepartment: "sales",
      },
      {
        text: "Sales and marketing agree on what makes a qualified lead.",
        kind: "agree5",
        tag: "shared_goals",
      },
      { text: "Sales and marketing worked well together this week.", kind: "agree5", tag: "collaboration" },
    ],
  },
  {
    key: "alignment",
    title: "Weekly alignment check",
    description: "Perceived alignment and collaboration across marketing, sales and product.",
    questions: [
      { text: "Marketing, sales and product worked well together this week.", kind: "agree5", tag: "collaboration" },
      { text: "I got what I needed from the other teams in time.", kind: "agree5", tag: "communication" },
      {
        text: "When I give another team feedback, I hear back and see it acted on.",
        kind: "agree5",
        tag: "communication",
      },
      { text: "I know which shared goals my work contributes to.", kind: "agree5", tag: "shared_goals" },
      { text: "What one thing would make working across teams easier?", kind: "text", tag: "communication" },
    ],
  },
  {
    key: "planning",
    title: "Joint planning and shared goals",
    description: "Joint planning sessions, one set of numbers, and shared goals.",
    questions: [
      { text: "Our joint planning sessions end in decisions we act on.", kind: "agree5", tag: "collaboration" },
      { text: "We work from one set of numbers that every team trusts.", kind: "agree5", tag: "shared_goals" },
      { text: "Did a hand-off between teams go wrong this week?", kind: "yesno", tag: "handoff_quality" },
      {
        text: "How likely are you to recommend working with the other teams to a new colleague?",
        kind: "scale10",
        tag: "team_nps",
      },
    ],
  },
  {
    key: "feedback",
    title: "Customer feedback loop",
    description: "Whether what customers tell sales and marketing reaches product, and back.",
    questions: [
      {
        text: "Product hears what customers tell sales and marketing.",
        kind: "agree5",
        tag: "communication",
        aboutDepartment: "product",
      },
      {
        text: "Sales and marketing know what product is shipping and why.",
        kind: "agree5",
        tag: "communication",
      },
      { text: "Product, sales and marketing worked well together this week.", kind: "agree5", tag: "collaboration" },
    ],
  },
];

export function findTemplate(key: string): PulseTemplate | null {
  const wanted = key.trim().toLowerCase();
  return TEMPLATES.find((template) => template.key === wanted) ?? null;
}
