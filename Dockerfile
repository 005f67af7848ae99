# syntax=docker/dockerfile:1
# spotify-nowplaying-bot: `docker compose up -d` (see compose.yaml and the README, "Docker / Compose").
# Three stages: production dependencies, the TypeScript build, and a slim runtime image without dev dependencies.
# Node 24 (the current LTS).
ARG NODE_IMAGE=node:24-bookworm-slim

# Every native part (libsql, @napi-rs/canvas) is a prebuilt N-API binary from npm: no compilers needed.
FROM ${NODE_IMAGE} AS toolchain
WORKDIR /app
COPY package.json package-lock.json ./

# Production dependencies only: what the runtime image gets.
FROM toolchain AS deps
RUN npm ci --omit=dev --no-audit --no-fund

# The build: all dependencies (TypeScript), then tsc. Only dist/ leaves this stage.
FROM toolchain AS build
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src src
COPY commands commands
COPY scripts scripts
RUN npm run build

FROM ${NODE_IMAGE}
ENV NODE_ENV=production
# glibc malloc: blocks of 32 KiB and more (covers, pictures) are returned to the system when freed (src/node-flags.ts).
ENV MALLOC_MMAP_THRESHOLD_=32768
WORKDIR /app
COPY package.json package-lock.json LICENSE ./
COPY --from=deps /app/node_modules node_modules
COPY --from=build /app/dist dist
# data/ (SQLite file, heartbeat) is the only writable place, owned by the image's non-root `node` user.
RUN mkdir -p data && chown node:node data && chmod 0700 data
USER node
VOLUME ["/app/data"]
# Healthy while the bot is connected to Discord: it refreshes /app/data/.heartbeat every 30 s (src/health-file.ts).
# The path is an argument of both commands, not an ENV: Compose's env_file turns .env's empty `HEARTBEAT_FILE=`
# into an empty variable that would replace an image ENV, while nothing in the environment changes these.
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 CMD ["node", "dist/src/healthcheck.js", "/app/data/.heartbeat"]
# Exec form: node is PID 1 and gets SIGTERM from `docker stop` itself; the bot exits 0 within 5 s.
STOPSIGNAL SIGTERM
CMD ["node", "--max-semi-space-size=1", "--optimize-for-size", "--v8-pool-size=1", "dist/src/index.js", "--heartbeat-file=/app/data/.heartbeat"]
