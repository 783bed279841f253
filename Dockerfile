# syntax=docker/dockerfile:1
# One image for every ccpulse process; the command picks the app:
#   docker run ccpulse migrate | aggregate | api | ingest | replay | status | user ...
# Stages: deps (all packages) -> build (tsc + dashboard bundle) -> prod-deps (runtime packages
# only) -> runtime (non-root, no compilers, no dev packages).

ARG NODE_IMAGE=node:22-bookworm-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: the `prepare` script would build before the sources are copied.
RUN npm ci --ignore-scripts --no-audit --no-fund

FROM deps AS build
COPY tsconfig.base.json tsconfig.build.json tsconfig.json .swcrc ./
COPY bin ./bin
COPY libs ./libs
COPY apps ./apps
COPY tools ./tools
COPY bench ./bench
# `npm run build` compiles to dist/ and bundles the dashboard into apps/api/web/dist.
RUN npm run build

FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    CCPULSE_WEB_DIR=/app/apps/api/web/dist
WORKDIR /app
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/bin ./bin
COPY --from=build /app/dist ./dist
COPY --from=build /app/apps/api/web/dist ./apps/api/web/dist
# The official image ships the unprivileged `node` user (uid 1000).
USER node
# api 4000, aggregator metrics 9101, ingestor metrics 9102
EXPOSE 4000 9101 9102
ENTRYPOINT ["node", "/app/bin/ccpulse.js"]
CMD ["--help"]
