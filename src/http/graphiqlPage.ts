/**
 * GraphiQL's page at GET /graphql (for a browser): yoga's GraphiQL, with its
 * assets from Thrds (graphiqlAssets.ts) instead of unpkg.com, so it works
 * offline. Queries and mutations go over HTTP, subscriptions over SSE
 * (graphql-sse's distinct connections mode, yoga GraphiQL's default). The
 * page is the same every time: its one inline script is allowed by its hash
 * (securityHeaders.ts), no other script runs.
 */
import { graphiqlAssetUrl } from './graphiqlAssets.ts';

const TITLE = 'Thrds GraphiQL';

const DEFAULT_QUERY = `# Thrds: an event-sourced chat. Run an operation with Ctrl-Enter.
#
# Sign in with mutation { login(input: { username: "…", password: "…" }) { token } }
# (or register), then add in Headers below: { "Authorization": "Bearer <token>" }.
# Subscriptions stream live here; give them after: "<position>" to replay first.

query Threads {
  threads(first: 20) {
    edges { node { id title messageCount lastActivityAt position } }
  }
}
`;

/** What yoga's GraphiQL (renderYogaGraphiQL) is told; `query` only when the URL has none (it edits `?query=` as you type). */
const options = { title: TITLE };

/** Monaco's workers by the label it asks for them with, from our own origin. */
const workers = {
  editorWorkerService: graphiqlAssetUrl('editor.worker.js'),
  json: graphiqlAssetUrl('json.worker.js'),
  graphql: graphiqlAssetUrl('graphql.worker.js'),
};

/** JSON that is safe inside a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

const start = [
  `var workers = ${scriptJson(workers)};`,
  'self.MonacoEnvironment = { globalAPI: false, getWorkerUrl: function (moduleId, label) { return workers[label]; } };',
  `var options = ${scriptJson(options)};`,
  `options.query = new URLSearchParams(location.search).get('query') || ${scriptJson(DEFAULT_QUERY)};`,
  "addEventListener('DOMContentLoaded', function () { YogaGraphiQL.renderYogaGraphiQL(document.getElementById('root'), options); });",
].join('\n');

const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${TITLE}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${graphiqlAssetUrl('graphiql.css')}">
</head>
<body id="body" class="no-focus-outline">
<noscript>GraphiQL needs JavaScript.</noscript>
<div id="root">Loading ${TITLE}…</div>
<script>${start}</script>
<script src="${graphiqlAssetUrl('yoga-graphiql.umd.js')}"></script>
</body>
</html>
`;

/** The page, for yoga's `renderGraphiQL`. */
export function graphiqlPage(): string {
  return page;
}
