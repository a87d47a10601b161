# syntax=docker/dockerfile:1
# One image for every Holdout process. There is no default role: the command chooses it.
#   docker run … holdout:TAG api | worker | migrate | partitions archive --older-than 6 | …
# It holds the compiled dist/ and the production dependencies only: no TypeScript, no build tools, no
# PGlite (production refuses embedded mode), no web pages (Twitch's CDN serves the extension's).
# Deploying it, and the compose stack in deploy/: docs/operations.md.

ARG NODE_IMAGE=node:24-bookworm-slim

# Compile: every dependency, the sources, `npm run build:server` (esbuild; types are checked in CI).
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY tools ./tools
COPY src ./src
RUN npm run build:server

# What production imports: "dependencies" only (no devDependencies, no optional PGlite).
FROM ${NODE_IMAGE} AS production-dependencies
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --omit=optional --no-audit --no-fund && npm cache clean --force

FROM ${NODE_IMAGE}
# tini is PID 1: it passes SIGTERM on to Node and reaps orphans, as `docker run --init` would.
RUN apt-get update \
  && apt-get install -y --no-install-recommends tini=0.19.0-1+b3 \
  && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    METRICS_PORT=9464 \
    WORKER_METRICS_PORT=9464 \
    HOLDOUT_DATA_DIR=/var/lib/holdout \
    HOLDOUT_ARCHIVE_DIR=/var/lib/holdout/archive
WORKDIR /app
COPY --from=production-dependencies /app/node_modules ./node_modules
COPY package.json ./
COPY bin ./bin
COPY --from=build /app/dist ./dist
RUN mkdir -p /var/lib/holdout/archive && chown -R node:node /var/lib/holdout
USER node
# api: the API on PORT, /metrics on METRICS_PORT (publish only PORT); worker: /metrics and /healthz on
# WORKER_METRICS_PORT.
EXPOSE 8080 9464
# GET /healthz of whichever role runs (bin/healthcheck.js); load balancers route on GET /readyz.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 CMD ["node", "bin/healthcheck.js"]
# A larger young generation: a worker allocates a short-lived record per tick, and fewer scavenges
# buy it about a tenth more ticks per CPU second (docs/benchmarks.md).
ENTRYPOINT ["/usr/bin/tini", "--", "node", "--max-semi-space-size=64", "bin/holdout.js"]
CMD ["--help"]
