# The Discord bot as a container image. Build and run with compose.yaml (`docker compose up -d`);
# see the README, "Running in production".

# ---- build: compile the native addons (better-sqlite3, hnswlib-node) without dev dependencies
FROM node:20-bookworm-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --no-audit --no-fund

# ---- run: no compilers, a non-root user, the store on a volume
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    DATA_DIR=/data \
    HEALTH_PORT=8080
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY package.json tsconfig.json ./
COPY src ./src
COPY data/articles ./data/articles
# A named volume mounted here starts with this owner; a bind mount must be writable by uid 1000.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
# Answers in flight are drained on SIGTERM (up to 30 s): give the container 45 s (compose.yaml).
STOPSIGNAL SIGTERM
# Ready = connected to Discord with the store open (GET /readyz on the loopback-only health port).
HEALTHCHECK --interval=30s --timeout=5s --start-period=90s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.HEALTH_PORT}/readyz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Plain node, no npm in between: signals reach the bot itself (npm as PID 1 exits on SIGTERM and
# orphans the bot). tsx is a loader inside this process, not a wrapper.
CMD ["node", "--import", "tsx", "src/cli/start.ts"]
