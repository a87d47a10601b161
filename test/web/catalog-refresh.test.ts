import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  CATALOG_REFRESH_MS,
  CATALOG_REFRESH_PUSH_MS,
  CatalogRefresh,
} from '../../src/web/panel/catalog-refresh.js';

describe('the panel reads the catalog', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const refresh = (random = 0.5) => {
    const reads: number[] = [];
    const catalog = new CatalogRefresh(
      () => reads.push(Date.now()),
      () => random,
    );
    catalog.start();
    return { catalog, reads };
  };

  it('every minute without broadcasts', () => {
    const { catalog, reads } = refresh();
    catalog.noteRead();
    vi.advanceTimersByTime(5 * CATALOG_REFRESH_MS);
    expect(reads).toHaveLength(5);
    catalog.stop();
  });

  it('every 10 minutes with broadcasts, and within 3 s of a broadcast saying the rules changed', () => {
    const { catalog, reads } = refresh(0.5);
    catalog.setPush(true);
    catalog.noteRead();
    vi.advanceTimersByTime(CATALOG_REFRESH_PUSH_MS - CATALOG_REFRESH_MS);
    expect(reads).toHaveLength(0);
    const toldAt = Date.now();
    catalog.told();
    vi.advanceTimersByTime(3_000);
    expect(reads).toEqual([toldAt + 1_500]);
    // The slow read counts from the last read.
    vi.advanceTimersByTime(CATALOG_REFRESH_PUSH_MS + CATALOG_REFRESH_MS);
    expect(reads).toHaveLength(2);
    catalog.stop();
  });

  it('when a tab opens, unless it was read a moment ago', () => {
    const { catalog, reads } = refresh();
    catalog.readNow();
    catalog.readIfStale();
    expect(reads).toHaveLength(1);
    vi.advanceTimersByTime(2_000);
    catalog.readIfStale();
    expect(reads).toHaveLength(2);
    catalog.stop();
  });
});
