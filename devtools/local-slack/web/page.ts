import { escapeHtml } from './render/escape';

const FAVICON =
  'data:image/svg+xml,' +
  encodeURIComponent(
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#4a154b"/><path fill="#fff" d="M16 5 6 10v2h20v-2L16 5Zm-8 9v9H6v3h20v-3h-2v-9h-3v9h-3v-9h-4v9h-3v-9H8Z"/></svg>',
  );

/** The page shell; app.js renders everything inside #app. */
export function pageHtml(teamName: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(teamName)} — local Slack</title>
<link rel="icon" href="${FAVICON}">
<link rel="stylesheet" href="/ui/app.css">
<script type="module" src="/ui/app.js"></script>
</head>
<body>
<div id="app" class="app-loading"><div class="boot">Loading ${escapeHtml(teamName)}…</div></div>
</body>
</html>
`;
}
