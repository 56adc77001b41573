# Thrds as a container image: built with every dependency, run with production dependencies only.
#
#   docker build -t thrds .
#   docker run -p 4000:4000 -v thrds-data:/var/lib/thrds thrds            # SQLite in the volume
#   docker compose up -d                                                  # with MariaDB and Redis (compose.yaml)
#
# Not built here: the machine this project is developed on has no container engine. What the image
# runs is tested (test/deploy/build.test.ts: `npm run build`, `npm prune --omit=dev`, `node dist/server.js`).

ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS build
# better-sqlite3 compiles from source when its prebuilt binary cannot be downloaded.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# The server and CLI to dist/, the web app to web/dist/; then drop tsx, Vite, TypeScript and the rest.
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4000 \
    DATABASE_URL=sqlite:/var/lib/thrds/thrds.db \
    THRDS_FILES_DIR=/var/lib/thrds/files
WORKDIR /app
# Owned by root, read by the unprivileged user: the running server cannot rewrite its own code.
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/bin ./bin
COPY --from=build /app/dist ./dist
COPY --from=build /app/migrations ./migrations
COPY --from=build /app/docs/scalars ./docs/scalars
COPY --from=build /app/web/dist ./web/dist
RUN mkdir -p /var/lib/thrds && chown node:node /var/lib/thrds \
 && ln -s /app/bin/thrds.js /usr/local/bin/thrds
# The image's unprivileged user (uid 1000); it may write only the volume (SQLite and uploaded files).
USER node
VOLUME ["/var/lib/thrds"]
EXPOSE 4000
# Liveness only (/healthz never touches the database); orchestrators that route traffic should ask /readyz.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM drains: in-flight requests answered, WebSockets closed 1001, exit 0 within THRDS_DRAIN_MS.
STOPSIGNAL SIGTERM
CMD ["node", "dist/server.js"]
