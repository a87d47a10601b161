// Its own module, free of import.meta.env: the poll scheduler (and bench/panel-requests.ts, which runs
// the panel's real scheduler in Node) import it without the page's configuration.

/** A failed call, in words a viewer can read: the API's problem+json `detail`, or what went wrong. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** For 429: how long to wait, in ms. */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = 'ApiProblem';
  }
}
