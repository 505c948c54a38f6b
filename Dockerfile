# One image for every Pantheon process; docker-compose.yml picks the command.
FROM node:22-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund || npm ci --no-audit --no-fund
COPY . .
# A prebuilt workflow bundle, so workers start without webpack.
RUN npx tsx worker/build-bundle.ts dist/workflow-bundle.js
ENV NODE_ENV=production WORKFLOW_BUNDLE_PATH=/app/dist/workflow-bundle.js
CMD ["npx", "tsx", "worker/main.ts", "--tier", "light"]
