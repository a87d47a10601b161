# syntax=docker/dockerfile:1
# One image for every Holdout process; the command picks the role:
#   docker run … holdout migrate | serve | worker | partitions archive --older-than 6 | …
# See docs/operations.md.

FROM node:20-slim AS dependencies
WORKDIR /app
COPY package.json package-lock.json ./
# tsx is a runtime dependency (bin/holdout.js runs the TypeScript sources through it), so the
# development tools (vitest, biome, typescript, playwright) can stay out of the image.
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:20-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    HOLDOUT_DATA_DIR=/var/lib/holdout \
    HOLDOUT_ARCHIVE_DIR=/var/lib/holdout/archive
WORKDIR /app
COPY --from=dependencies /app/node_modules ./node_modules
COPY package.json ./
COPY bin ./bin
COPY src ./src
RUN mkdir -p /var/lib/holdout/archive && chown -R node:node /var/lib/holdout
USER node
EXPOSE 8080
# Probes belong to the orchestrator: GET /healthz (alive) and GET /readyz (ready) on API processes;
# workers serve no HTTP.
# A larger young generation: a worker allocates a short-lived record per tick, and fewer scavenges
# buy it about a tenth more ticks per CPU second (docs/benchmarks.md).
ENTRYPOINT ["node", "--max-semi-space-size=64", "bin/holdout.js"]
CMD ["serve"]
