# One image for every Pantheon process; docker-compose.yml picks the command.
FROM node:22-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies of the root package only. This layer holds just the manifest and the
# lockfile, so the devtools/* workspaces (the local Slack emulator) are absent and npm installs
# neither them nor what only they use; `--workspaces=false` links none, `--omit=dev` leaves out the
# dev tooling. tests/production-install.test.ts runs this same command and checks what it installs.
RUN npm ci --omit=dev --workspaces=false --no-audit --no-fund
# .dockerignore keeps devtools/, tests/ and bench/ out of the image.
COPY . .
# A prebuilt workflow bundle, so workers start without webpack.
RUN npx tsx worker/build-bundle.ts dist/workflow-bundle.js
ENV NODE_ENV=production WORKFLOW_BUNDLE_PATH=/app/dist/workflow-bundle.js
CMD ["npx", "tsx", "worker/main.ts", "--tier", "light"]
