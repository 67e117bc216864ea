// A closed pulse's results, computed from its answers. Anonymity rules live here and in
// anonymity.ts: a question's figures appear only from `minGroupSize` answers on; a
// department's figure only when its group is that large AND the answers left out of the
// breakdown are none or at least as many (otherwise total minus the shown groups would
// give away the hidden ones); a team's rating of its own work next to everyone else's
// only when both sides have that many; free text only from that many answers, in
// alphabetical order so the order says nothing about who answered when.
import { publishableGroups } from "./anonymity.ts";
import type { Answer, Pulse, Question, QuestionKind } from "./types.ts";

export const AGREE_LABELS = ["Strongly disagree", "Disagree", "Neither", "Agree", "Strongly agree"] as const;

export type Group = { key: string | null; name: string; mean: number; count: number };

export type QuestionResult = {
  question: Question;
  answers: number;
  /** true when fewer than the minimum answered: nothing but the count is shown */
  hidden: boolean;
  /** numeric kinds: one row per possible answer, in scale order */
  distribution: { label: string; count: number }[] | null;
  /** numeric kinds: the mean answer (yes/no: the share of yes) */
  mean: number | null;
  /** departments (and "other") that may be shown; null when no safe breakdown of two or more groups exists */
  byDepartment: Group[] | null;
  /** questions about one department's work: its own rating against everyone else's */
  reciprocal: { about: { key: string; name: string }; self: Group; others: Group; gap: number } | null;
  /** free text, when enough came in */
  texts: string[] | null;
};

export type PulseResults = {
  pulse: Pulse;
  respondents: number;
  asked: number;
  /** respondents / asked, or null when nobody was counted as asked */
  participation: number | null;
  minGroupSize: number;
  questions: QuestionResult[];
};

export function isNumeric(kind: QuestionKind): boolean {
  return kind !== "text";
}

/** The answers a kind allows, in scale order: value and label. */
export function scaleOf(kind: QuestionKind): { value: number; label: string }[] {
  switch (kind) {
    case "agree5":
      return AGREE_LABELS.map((label, i) => ({ value: i + 1, label: `${i + 1} · ${label}` }));
    case "scale10":
      return Array.from({ length: 11 }, (_, i) => ({ value: i, label: String(i) }));
    case "yesno":
      return [
        { value: 1, label: "Yes" },
        { value: 0, label: "No" },
      ];
    case "text":
      return [];
  }
}

const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;

function group(key: string | null, name: string, values: number[]): Group {
  return { key, name, mean: mean(values), count: values.length };
}

/** Groups by department, merging the smallest shown group into the rest until the rest is safe. */
function safeBreakdown(answers: Answer[], min: number, nameOf: (key: string | null) => string): Group[] | null {
  const byKey = new Map<string | null, number[]>();
  for (const answer of answers) {
    if (answer.value === null) continue;
    const list = byKey.get(answer.department) ?? [];
    list.push(answer.value);
    byKey.set(answer.department, list);
  }
  const shown = publishableGroups(
    [...byKey.entries()].map(([key, values]): [string | null, number] => [key, values.length]),
    min,
  );
  const shownKeys = new Set(shown);
  const rest = answers.filter((a) => a.value !== null && !shownKeys.has(a.department)).map((a) => a.value as number);
  const groups = shown.map((key) => group(key, nameOf(key), byKey.get(key) ?? []));
  if (rest.length > 0) groups.push(group("other", shown.length > 0 ? "Everyone else" : "Everyone", rest));
  return groups.length >= 2 ? groups : null;
}

function reciprocalOf(
  question: Question,
  answers: Answer[],
  min: number,
  nameOf: (key: string | null) => string,
): QuestionResult["reciprocal"] {
  const about = question.aboutDepartment;
  if (!about) return null;
  const numeric = answers.filter((a) => a.value !== null);
  const self = numeric.filter((a) => a.department === about).map((a) => a.value as number);
  const others = numeric.filter((a) => a.department !== about).map((a) => a.value as number);
  if (self.length < min || others.length < min) return null;
  const selfGroup = group(about, nameOf(about), self);
  const othersGroup = group("others", "Everyone else", others);
  return {
    about: { key: about, name: nameOf(about) },
    self: selfGroup,
    others: othersGroup,
    gap: othersGroup.mean - selfGroup.mean,
  };
}

export function summarizePulse(
  pulse: Pulse,
  answers: Answer[],
  departments: { key: string; name: string }[],
): PulseResults {
  const min = pulse.minGroupSize;
  const names = new Map(departments.map((d) => [d.key, d.name]));
  const nameOf = (key: string | null) => (key === null ? "No department" : (names.get(key) ?? key));
  const respondents = new Set(answers.map((a) => a.respondent)).size;
  const asked = Math.max(pulse.askedCount, respondents);

  const questions = pulse.questions.map((question): QuestionResult => {
    const mine = answers.filter((a) => a.questionId === question.id);
    const hidden = mine.length < min;
    const base: QuestionResult = {
      question,
      answers: mine.length,
      hidden,
      distribution: null,
      mean: null,
      byDepartment: null,
      reciprocal: null,
      texts: null,
    };
    if (hidden) return base;
    if (!isNumeric(question.kind)) {
      const texts = mine
        .map((a) => (a.text ?? "").trim())
        .filter((t) => t !== "")
        .sort((a, b) => a.localeCompare(b, "en", { sensitivity: "base" }));
      return { ...base, texts };
    }
    const values = mine.map((a) => a.value).filter((v): v is number => v !== null);
    let byDepartment = safeBreakdown(mine, min, nameOf);
    const reciprocal = reciprocalOf(question, mine, min, nameOf);
    // Both are published only when the rated department is one of the breakdown's groups:
    // otherwise the two splits together could isolate a group under the minimum.
    if (reciprocal && byDepartment && !byDepartment.some((g) => g.key === reciprocal.about.key)) byDepartment = null;
    return {
      ...base,
      distribution: scaleOf(question.kind).map((option) => ({
        label: option.label,
        count: values.filter((v) => v === option.value).length,
      })),
      mean: values.length > 0 ? mean(values) : null,
      byDepartment,
      reciprocal,
    };
  });

  return {
    pulse,
    respondents,
    asked,
    participation: asked > 0 ? respondents / asked : null,
    minGroupSize: min,
    questions,
  };
}
