// Text people typed, as Tandem quotes it back. Control characters (a NUL, an escape
// sequence that would recolour a terminal, a bell) and the bidirectional overrides that
// can make text read differently than it is stored never reach an answer: every
// message is built by makeMessage, which passes all its text through
// withoutControlChars. Line breaks and tabs stay. Error texts that quote a value (the
// CLI, HTTP error bodies) use `quoted`: escaped and clipped, so a 10 MB field is not
// repeated back either.

// Control characters (C0 but \t and \n, DEL, C1) and Unicode's bidi controls (marks,
// embeddings, overrides, isolates: the "Trojan Source" characters).
const CONTROL = /(?![\t\n])[\p{Cc}\p{Bidi_Control}]/gu;
const HAS_CONTROL = /(?![\t\n])[\p{Cc}\p{Bidi_Control}]/u;

export function withoutControlChars(text: string): string {
  if (!HAS_CONTROL.test(text)) return text;
  return text.replace(/\r\n?/g, "\n").replace(CONTROL, "");
}

/** How much of a value an error message repeats. */
export const QUOTED_CHARS = 60;

function clipped(text: string, max: number): string {
  if (text.length <= max) return text;
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}

/** A value as an error message quotes it: JSON-escaped (so controls show as \u0000), at most QUOTED_CHARS long. */
export function quoted(text: string, max = QUOTED_CHARS): string {
  return JSON.stringify(clipped(text, max));
}

/** A word someone typed, as a chat answer quotes it: “word”, at most QUOTED_CHARS long. */
export function inQuotes(text: string, max = QUOTED_CHARS): string {
  return `“${clipped(withoutControlChars(text), max)}”`;
}

/** A name someone gave (a column, a field) as an error message shows it: as it is when plain, else quoted(). */
export function asName(text: string): string {
  return /^[\w .-]{1,60}$/.test(text) ? text : quoted(text);
}

/** Every string in a value (a message's blocks), without control characters; the same object when there were none. */
export function cleanStrings<T>(value: T): T {
  if (typeof value === "string") return withoutControlChars(value) as T;
  if (Array.isArray(value)) {
    const cleaned = value.map(cleanStrings);
    return (cleaned.every((item, i) => item === value[i]) ? value : cleaned) as T;
  }
  if (typeof value === "object" && value !== null) {
    let changed = false;
    const entries = Object.entries(value).map(([key, item]) => {
      const cleaned = cleanStrings(item);
      if (cleaned !== item) changed = true;
      return [key, cleaned] as const;
    });
    return (changed ? Object.fromEntries(entries) : value) as T;
  }
  return value;
}
