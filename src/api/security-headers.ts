import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/** One year, in seconds: browsers keep using HTTPS for the API's host that long. */
const HSTS_MAX_AGE_SECONDS = 365 * 24 * 60 * 60;

/**
 * Where the extension's pages may be framed: Twitch's site (the panel under the stream, the
 * dashboard's config page), Twitch's extension hosts, and our own local play page.
 */
export const PAGE_FRAME_ANCESTORS = "'self' https://*.twitch.tv https://*.ext-twitch.tv";

/**
 * Security headers on every response (@fastify/helmet), set for a JSON API that Twitch's extension
 * iframe calls across origins:
 * - a CSP that lets a JSON answer load nothing and be framed by nobody (the pages served in
 *   development set their own, see web-routes.ts); X-Frame-Options is left out because it cannot
 *   name Twitch as an allowed parent, and CSP frame-ancestors supersedes it;
 * - `nosniff`, so a JSON body is never run as a script or a page;
 * - `Referrer-Policy: no-referrer`: a URL with a mission id never leaks onward;
 * - HSTS without includeSubDomains: the operator's other hosts are not ours to decide;
 * - Cross-Origin-Resource-Policy `cross-origin`: the panel on *.ext-twitch.tv reads these answers.
 */
export async function registerSecurityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
    },
    frameguard: false,
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: { maxAge: HSTS_MAX_AGE_SECONDS, includeSubDomains: false },
    crossOriginResourcePolicy: { policy: 'cross-origin' },
    // Answers are read by the Twitch page through CORS; no popup shares our window.
    crossOriginOpenerPolicy: { policy: 'same-origin' },
  });
}
