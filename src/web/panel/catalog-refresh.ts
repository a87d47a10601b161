/** Without broadcasts the panel reads the catalog (the channel's rules) again this often, in ms. */
export const CATALOG_REFRESH_MS = 60_000;
/**
 * With broadcasts a change of the rules is announced; this slow read covers a lost notice (as the
 * poll's 30 s fallback does for the poll), in ms.
 */
export const CATALOG_REFRESH_PUSH_MS = 600_000;
/** A read asked for (a tab opened) is skipped within this long of the last one, in ms: it costs a database read. */
const CATALOG_FRESH_MS = 2_000;
/** After a notice that the rules changed, every panel of the channel reads within this spread, in ms. */
const SETTINGS_SPREAD_MS = 3_000;

/**
 * When the panel reads the catalog: at once when told (a new viewer, a tab opened, a broadcast saying
 * the rules changed, spread so a channel's panels do not come at once), and otherwise every minute,
 * or every 10 minutes while broadcasts tell it.
 */
export class CatalogRefresh {
  private readAt = 0;
  private push = false;
  private interval: ReturnType<typeof setInterval> | undefined;
  private toldTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly random: () => number;

  constructor(
    private readonly read: () => void,
    random?: () => number,
  ) {
    this.random = random ?? Math.random;
  }

  start(): void {
    clearInterval(this.interval);
    this.interval = setInterval(() => {
      if (Date.now() - this.readAt >= (this.push ? CATALOG_REFRESH_PUSH_MS : CATALOG_REFRESH_MS))
        this.readNow();
    }, CATALOG_REFRESH_MS);
  }

  stop(): void {
    clearInterval(this.interval);
    clearTimeout(this.toldTimer);
    this.interval = undefined;
  }

  /** Broadcasts are on: the rules' changes are announced. */
  setPush(on: boolean): void {
    this.push = on;
  }

  /** Reads now, whatever the last read. */
  readNow(): void {
    this.readAt = Date.now();
    this.read();
  }

  /**
   * The caller read it itself (the first read, which also learns whether broadcasts are on), at `at`
   * (the bench starts its panels at random points of their timed reads, as a channel's viewers are).
   */
  noteRead(at: number = Date.now()): void {
    this.readAt = at;
  }

  /** Reads unless the last read is a moment old. */
  readIfStale(): void {
    if (Date.now() - this.readAt >= CATALOG_FRESH_MS) this.readNow();
  }

  /** A broadcast said the rules changed. */
  told(): void {
    clearTimeout(this.toldTimer);
    this.toldTimer = setTimeout(() => this.readNow(), this.random() * SETTINGS_SPREAD_MS);
  }
}
