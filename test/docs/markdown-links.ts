/**
 * Reads the links out of a Markdown file and the anchors its headings make, the way GitHub renders
 * them, so that a test can check every link of the documentation resolves inside the repository.
 */

export interface MarkdownLink {
  /** 1-based line of the link in its file. */
  line: number;
  /** The target as written: `docs/api.md#routes`, `#health-and-readiness`, `https://…`. */
  target: string;
}

const FENCE = /^\s*(```|~~~)/;
// [text](target "title") and ![alt](target); the text may hold one level of brackets ([`x`][y] is rare here).
const INLINE_LINK = /!?\[(?:[^\][]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g;
// [id]: target at the start of a line (reference definitions).
const REFERENCE_DEFINITION = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/;
// <img src="…"> and <a href="…"> in the Markdown's inline HTML.
const HTML_LINK = /<(?:img|a|source)\b[^>]*?\b(?:src|href)="([^"]+)"/g;
const CODE_SPAN = /(`+)[^`]*?\1/g;

/** Every link of a Markdown text outside code blocks and code spans. */
export function markdownLinks(text: string): MarkdownLink[] {
  const links: MarkdownLink[] = [];
  let inFence = false;
  text.split('\n').forEach((raw, index) => {
    if (FENCE.test(raw)) {
      inFence = !inFence;
      return;
    }
    if (inFence) return;
    const line = raw.replace(CODE_SPAN, (span) => ' '.repeat(span.length));
    const definition = REFERENCE_DEFINITION.exec(line);
    if (definition?.[1]) links.push({ line: index + 1, target: definition[1] });
    for (const pattern of [INLINE_LINK, HTML_LINK]) {
      for (const match of line.matchAll(pattern)) {
        if (match[1]) links.push({ line: index + 1, target: match[1] });
      }
    }
  });
  return links;
}

/**
 * The anchors a Markdown text's headings get on GitHub: lower case, punctuation dropped, spaces to
 * hyphens, a repeated heading suffixed -1, -2, …; plus explicit `<a id="…">` / `<a name="…">`.
 */
export function markdownAnchors(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let inFence = false;
  for (const line of text.split('\n')) {
    if (FENCE.test(line)) {
      inFence = !inFence;
      continue;
    }
    if (inFence) continue;
    for (const match of line.matchAll(/<a\b[^>]*?\b(?:id|name)="([^"]+)"/g)) {
      if (match[1]) anchors.add(match[1]);
    }
    const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading?.[1]) continue;
    const slug = headingSlug(heading[1]);
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** GitHub's anchor for one heading's text. */
export function headingSlug(heading: string): string {
  return heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // a link in a heading keeps only its text
    .replace(/<[^>]+>/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M} _-]/gu, '')
    .replace(/ /g, '-');
}
