# The API server (and the one-shot migrate job of docker-compose.yml): built with the dev dependencies,
# shipped with the production ones only.
FROM node:20-bookworm-slim AS build
WORKDIR /app
# `npm ci` runs the postinstall (scripts/generate.ts: both Prisma clients from prisma/*/schema.prisma).
COPY package.json package-lock.json ./
# The router library is a workspace package the app depends on (node_modules/@regional-db/nestjs links to it).
COPY libs/regional-db/package.json ./libs/regional-db/
COPY prisma ./prisma
COPY scripts ./scripts
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev --ignore-scripts

FROM node:20-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/libs/regional-db/package.json ./libs/regional-db/
COPY --from=build /app/libs/regional-db/dist ./libs/regional-db/dist
# `node dist/scripts/migrate.js` reads the SQL migrations from ./prisma.
COPY --from=build /app/prisma ./prisma
USER node
EXPOSE 3000
CMD ["node", "dist/src/main.js"]
