// The inline markup section text may carry: *bold*, _italic_, `code`. Markers count
// only at word edges, so metric keys like lead_to_mql_rate and "2 * 3" stay literal.

export type Span = { text: string; style: "plain" | "bold" | "italic" | "code" };

const INLINE =
  /`([^`\n]+)`|(?<![\p{L}\p{N}*])\*(?!\s)([^*\n]+?)(?<!\s)\*(?![\p{L}\p{N}*])|(?<![\p{L}\p{N}_])_(?!\s)([^_\n]+?)(?<!\s)_(?![\p{L}\p{N}_])/gu;

/** Splits one line (or several) of markdown-lite into styled spans. */
export function parseInline(text: string): Span[] {
  const spans: Span[] = [];
  let last = 0;
  for (const match of text.matchAll(INLINE)) {
    const index = match.index ?? 0;
    if (index > last) spans.push({ text: text.slice(last, index), style: "plain" });
    if (match[1] !== undefined) spans.push({ text: match[1], style: "code" });
    else if (match[2] !== undefined) spans.push({ text: match[2], style: "bold" });
    else spans.push({ text: match[3] ?? "", style: "italic" });
    last = index + match[0].length;
  }
  if (last < text.length) spans.push({ text: text.slice(last), style: "plain" });
  return spans;
}

/** Markdown-lite without its markers, for plain text. */
export function stripInline(text: string): string {
  return parseInline(text)
    .map((span) => span.text)
    .join("");
}
