# syntax=docker/dockerfile:1
#
# One image recipe for every Order Hub workspace (services and simulators):
#
#   docker build --build-arg WORKSPACE=services/orders -t orderhub/orders .
#
# Why one parametrized Dockerfile instead of one per service: all workspaces share the same root
# lockfile, the same TypeScript project build (tsc -b) and the same libs. A copy per service would
# drift (base image, user, healthcheck, prune step) and would rebuild the same monorepo ten times.
# Here the `build` stage does not depend on WORKSPACE at all, so BuildKit builds it once and every
# image (docker compose builds ten of them) reuses that cached stage; only the small `prune` stage
# and the runtime layers differ per workspace.
ARG NODE_IMAGE=node:24-slim

# --- manifests: just the package.json files, so `npm ci` below stays cached until one changes ---
FROM ${NODE_IMAGE} AS manifests
WORKDIR /src
COPY . .
RUN mkdir /manifests \
 && find . -name package.json -not -path '*/node_modules/*' -not -path './.git/*' \
      -exec cp --parents {} /manifests/ \; \
 && cp package-lock.json /manifests/

# --- build: full install (dev deps for tsc) and one build of the whole monorepo ---
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY --from=manifests /manifests/ ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --no-audit --no-fund --ignore-scripts
COPY . .
RUN npm run build

# --- prune: production dependencies of one workspace only, assembled under /out ---
FROM build AS prune
ARG WORKSPACE
RUN test -n "$WORKSPACE" && test -f "$WORKSPACE/package.json" \
 || { echo "build arg WORKSPACE must name a workspace folder (e.g. services/orders), got '$WORKSPACE'" >&2; exit 1; }
RUN --mount=type=cache,target=/root/.npm \
    rm -rf node_modules libs/*/node_modules services/*/node_modules simulators/*/node_modules bench/node_modules \
 && npm ci --omit=dev --workspace "$WORKSPACE" --include-workspace-root=false \
      --prefer-offline --no-audit --no-fund --ignore-scripts \
 && mkdir -p "/out/$WORKSPACE" \
 && cp -a package.json node_modules /out/ \
 && for lib in libs/*/; do \
      mkdir -p "/out/$lib" && cp -a "$lib/package.json" "/out/$lib"; \
      if [ -d "$lib/dist" ]; then cp -a "$lib/dist" "/out/$lib"; fi; \
      if [ -d "$lib/node_modules" ]; then cp -a "$lib/node_modules" "/out/$lib"; fi; \
    done \
 && cp -a "$WORKSPACE/package.json" "$WORKSPACE/dist" "/out/$WORKSPACE/" \
 && for extra in node_modules fixtures; do \
      if [ -d "$WORKSPACE/$extra" ]; then cp -a "$WORKSPACE/$extra" "/out/$WORKSPACE/"; fi; \
    done \
 && if [ "$WORKSPACE" = services/gateway ]; then \
      mkdir -p /out/apps/web && cp -a apps/web/dist /out/apps/web/ \
      && test -f /out/apps/web/dist/index.html \
      || { echo "apps/web/dist/index.html missing after npm run build: the gateway would serve no web app" >&2; exit 1; }; \
    fi \
 && test -f "/out/$WORKSPACE/dist/main.js" \
 || { echo "$WORKSPACE/dist/main.js missing after npm run build (is it in tsconfig.build.json?)" >&2; exit 1; }

# --- runtime: node:24-slim, production deps of one workspace, non-root ---
FROM ${NODE_IMAGE} AS runtime
ARG WORKSPACE
ENV NODE_ENV=production \
    HTTP_HOST=0.0.0.0 \
    HOST=0.0.0.0 \
    ORDERHUB_WORKSPACE=${WORKSPACE} \
    HEALTH_PATH=/health/live
# Files stay owned by root and read-only for the `node` user: the process cannot rewrite its code,
# and Kubernetes can mount the root filesystem read-only (only /tmp is writable there).
COPY --from=prune /out/ /app/
WORKDIR /app/${WORKSPACE}
USER node
# Services answer /health/live on HTTP_PORT; simulators set HEALTH_PATH=/_admin/health and PORT.
# Liveness only: it checks the process, not MongoDB/NATS (that is /health/ready).
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.HTTP_PORT||process.env.PORT)+process.env.HEALTH_PATH).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Exec form: node is PID 1 and gets SIGTERM directly (services drain on it). WORKDIR is the workspace,
# so this is <workspace>/dist/main.js.
CMD ["node", "dist/main.js"]
