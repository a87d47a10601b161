import { createDevExt } from './dev-shim.js';

// The part of the Twitch Extension helper (window.Twitch.ext) that Holdout uses.

export interface TwitchAuth {
  channelId: string;
  clientId: string;
  /** The extension JWT: send it to the API as a bearer token. */
  token: string;
  /** The opaque user id: U… for a logged-in viewer, A… for a logged-out one. */
  userId: string;
  helixToken?: string;
}

export interface TwitchContext {
  theme?: 'light' | 'dark';
  [field: string]: unknown;
}

/** A Bits product as Twitch.ext.bits.getProducts describes it. */
export interface BitsProduct {
  sku: string;
  displayName: string;
  cost: { amount: string; type: 'bits' };
  inDevelopment?: boolean;
}

/** What Twitch.ext.bits.onTransactionComplete hands the panel. */
export interface BitsTransaction {
  transactionID: string;
  product: BitsProduct;
  userId: string;
  displayName: string;
  /** 'current_user' on the panel of the viewer who bought it; 'other' on every other panel. */
  initiator: string;
  /** The JWT the backend verifies with the extension secret. */
  transactionReceipt: string;
}

/** Twitch.ext.bits: Bits in Extensions. */
export interface TwitchBits {
  getProducts(): Promise<BitsProduct[]>;
  useBits(sku: string): void;
  onTransactionComplete(callback: (transaction: BitsTransaction) => void): void;
  onTransactionCancelled(callback: () => void): void;
}

export interface TwitchExt {
  onAuthorized(callback: (auth: TwitchAuth) => void): void;
  onContext(callback: (context: TwitchContext, changed: string[]) => void): void;
  onVisibilityChanged(callback: (isVisible: boolean, context: unknown) => void): void;
  onError?(callback: (error: unknown) => void): void;
  actions: { requestIdShare(): void };
  /** Extension PubSub: `listen('broadcast', …)` hears what the backend broadcasts to the channel. */
  listen?(target: string, callback: (target: string, contentType: string, message: string) => void): void;
  bits?: TwitchBits;
  viewer?: { isLinked: boolean; role: string };
}

declare global {
  interface Window {
    Twitch?: { ext?: TwitchExt };
  }
}

/**
 * True when the page runs inside Twitch: the helper loaded and Twitch framed the page (its CDN host,
 * or the query Twitch appends in local test mode). Anywhere else the helper never authorizes.
 */
function onTwitch(): boolean {
  if (!window.Twitch?.ext) return false;
  if (location.hostname.endsWith('.ext-twitch.tv')) return true;
  const query = new URLSearchParams(location.search);
  return query.has('platform') && query.has('anchor');
}

/** The helper's window.Twitch.ext, which every page for Twitch loads first. */
function helperExt(): TwitchExt {
  const ext = window.Twitch?.ext;
  if (!ext) throw new Error('the Twitch extension helper (twitch-ext.min.js) did not load');
  return ext;
}

/**
 * window.Twitch.ext on Twitch; off Twitch, the development shim that signs in with development tokens.
 * The package for Twitch is built with VITE_HOLDOUT_EXTENSION true: the shim's branch is dead code there,
 * and the bundler leaves the shim (and every mention of /dev/token) out of it.
 */
export function twitchExt(): TwitchExt {
  return import.meta.env.VITE_HOLDOUT_EXTENSION ? helperExt() : onTwitch() ? helperExt() : createDevExt();
}

/** The `role` claim of an extension token (read, not verified: the API verifies it). */
export function roleOf(token: string): string {
  try {
    const payload = token.split('.')[1] ?? '';
    const json = atob(payload.replaceAll('-', '+').replaceAll('_', '/'));
    return (JSON.parse(json) as { role?: string }).role ?? 'viewer';
  } catch {
    return 'viewer';
  }
}

export const isLoggedIn = (auth: TwitchAuth | null): boolean => auth !== null && !auth.userId.startsWith('A');
