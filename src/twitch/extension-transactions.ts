import type { TwitchApi } from './twitch-api.js';

/** Get Extension Transactions returns at most this many per page. */
const PAGE_SIZE = 100;

/** One Bits in Extensions transaction as Helix reports it. */
export interface HelixExtensionTransaction {
  id: string;
  timestamp: string;
  broadcaster_id: string;
  broadcaster_login: string;
  broadcaster_name: string;
  user_id: string;
  user_login: string;
  user_name: string;
  product_type: 'BITS_IN_EXTENSION';
  product_data: {
    sku: string;
    domain: string;
    cost: { amount: number; type: 'bits' };
    inDevelopment: boolean;
    displayName: string;
    expiration: string;
    broadcast: boolean;
  };
}

interface Page {
  data: HelixExtensionTransaction[];
  pagination: { cursor?: string };
}

/**
 * Every transaction of the extension, page by page (GET /extensions/transactions with the app access
 * token), handed to `onPage` as it arrives so that a long history never sits in memory at once.
 */
export async function forEachExtensionTransaction(
  api: TwitchApi,
  onPage: (transactions: HelixExtensionTransaction[]) => Promise<void>,
): Promise<void> {
  let cursor: string | undefined;
  do {
    const query: [string, string][] = [
      ['extension_id', api.clientId],
      ['first', String(PAGE_SIZE)],
    ];
    if (cursor) query.push(['after', cursor]);
    const answer = await api.helix.call<Page>({
      method: 'GET',
      path: '/extensions/transactions',
      query,
      auth: { kind: 'app' },
    });
    const page = answer.body ?? { data: [], pagination: {} };
    if (page.data.length > 0) await onPage(page.data);
    cursor = page.data.length > 0 ? page.pagination.cursor : undefined;
  } while (cursor);
}
