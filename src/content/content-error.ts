/** A content file that cannot be used; the message names the file, the path inside it and the problem. */
export class ContentError extends Error {
  readonly code = 'invalid_content';
  constructor(
    readonly file: string,
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${file}: ${path || '(root)'}: ${problem}`);
    this.name = 'ContentError';
  }
}

/** Formats a path of keys and indexes the way a reader finds it in the file: a.b[2].c */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}
