# Parley production image: builds the console and server, then runs them with production dependencies only,
# as the non-root `node` user, with Debian's chromium for whatsapp-web.js.

FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV PUPPETEER_SKIP_DOWNLOAD=true
COPY package.json package-lock.json .puppeteerrc.cjs ./
# Workspace manifests first, so `npm ci` links the workspace packages (and its layer survives source edits).
COPY packages/embedded-mongo/package.json ./packages/embedded-mongo/package.json
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY packages ./packages
COPY shared ./shared
COPY server ./server
COPY client ./client
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
RUN apt-get update \
  && apt-get install -y --no-install-recommends chromium fonts-liberation dumb-init ca-certificates \
  && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    PORT=3000 \
    DATA_DIR=/data \
    CHROMIUM_PATH=/usr/bin/chromium \
    PUPPETEER_SKIP_DOWNLOAD=true
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./package.json
COPY --from=build --chown=node:node /app/node_modules ./node_modules
# node_modules/@parley/embedded-mongo links here: the engine's manifest and compiled code.
COPY --from=build --chown=node:node /app/packages/embedded-mongo/package.json ./packages/embedded-mongo/package.json
COPY --from=build --chown=node:node /app/packages/embedded-mongo/dist ./packages/embedded-mongo/dist
COPY --from=build --chown=node:node /app/dist ./dist
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=40s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["dumb-init", "--"]
# A larger young generation: the intake allocates many short-lived objects per message (see README, Performance).
CMD ["node", "--max-semi-space-size=32", "dist/server/src/index.js"]
