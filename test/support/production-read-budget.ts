import { loadConfig } from '../../src/config.js';

/**
 * Production's per-viewer, per-endpoint read budget, from the configuration's defaults (the API
 * fixtures give tests far more): what the panel's and views' reading paces must stay inside.
 */
export const { RATE_LIMIT_READ, RATE_LIMIT_WINDOW_MS } = loadConfig({ NODE_ENV: 'test' });

/** The same budget per minute. */
export const READ_BUDGET_PER_MINUTE = (RATE_LIMIT_READ * 60_000) / RATE_LIMIT_WINDOW_MS;
