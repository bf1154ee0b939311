# subwatch: dashboard + deduplicating proxy for EventStoreDB / KurrentDB persistent subscriptions.
#
#   docker build -t subwatch .
#   docker run -p 3000:3000 -v subwatch-data:/data \
#     -e ESDB_CONNECTION_STRING='esdb://admin:changeit@db1:2113?tls=false' subwatch
#
# Not built by CI (no docker engine there); see README "Running in Docker".

# --- deps: every dependency, with the tools better-sqlite3 needs when no prebuilt binary fits ---
FROM node:20-bookworm AS deps
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

# --- prod-deps: runtime dependencies only (tsx runs server/*.ts; no TypeScript compiler needed) ---
FROM deps AS prod-deps
RUN npm prune --omit=dev --no-audit --no-fund

# --- build: the Next dashboard (.next) ---
FROM deps AS build
ENV NEXT_TELEMETRY_DISABLED=1
COPY . .
RUN npm run build

# --- runtime: slim image, non-root, production mode ---
FROM node:20-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    HOST=0.0.0.0 \
    PORT=3000 \
    SUBWATCH_DATA_DIR=/data
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/package.json /app/package-lock.json /app/next.config.js /app/tsconfig.json ./
COPY --from=build /app/server ./server
COPY --from=build /app/lib ./lib
COPY --from=build --chown=node:node /app/.next ./.next
# `npm start` (server/start.ts) rebuilds when a source is newer than .next/BUILD_ID, and this image
# has no dev dependencies to build with. Touching BUILD_ID after every COPY keeps it the newest
# file whatever timestamps the copies kept. (app/ and components/ are not in the image: they live
# compiled in .next.)
RUN touch .next/BUILD_ID \
 && mkdir -p /data \
 && chown node:node /data
VOLUME ["/data"]
USER node
EXPOSE 3000
# No curl in the slim image: node's fetch asks the liveness probe.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["npm", "start"]
