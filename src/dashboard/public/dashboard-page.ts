/** The dashboard's one page; its script and styles are served beside it (no inline code: a strict CSP holds). */
export const DASHBOARD_PAGE = String.raw`<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Database topology</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="/dashboard/dashboard.css">
  <script src="/dashboard/dashboard.js" defer></script>
</head>
<body>
  <header class="topbar">
    <div class="brand"><span class="brand-mark" aria-hidden="true"></span>Database topology</div>
    <div id="overall" class="pill tone-unknown" hidden></div>
    <div class="topbar-right">
      <span id="updated" class="updated"></span>
      <button id="sign-out" class="ghost" type="button" hidden>Sign out</button>
    </div>
  </header>
  <main>
    <div id="banner" class="banner" role="status" hidden></div>
    <section id="login" class="login card" hidden>
      <h1>Sign in</h1>
      <p>Paste a bearer token with the <b>viewer</b> or <b>admin</b> role. It is kept in this tab only (session storage).</p>
      <form id="login-form" autocomplete="off">
        <label for="token">Token</label>
        <input id="token" name="token" type="password" autocomplete="off" spellcheck="false" placeholder="eyJhbGciOi…" required>
        <button type="submit">Open dashboard</button>
      </form>
      <p id="login-error" class="error" role="alert" hidden></p>
      <p class="hint">Locally: <code>npm run token -- --role viewer</code></p>
    </section>
    <section id="board" hidden>
      <div id="summary" class="summary"></div>
      <h2 class="section-title">Replication groups</h2>
      <div id="groups" class="groups"></div>
      <div class="lower">
        <section class="card">
          <h2>Active alerts <span id="alert-count" class="count"></span></h2>
          <ul id="alerts" class="alerts"></ul>
        </section>
        <section class="card">
          <h2>Last failovers</h2>
          <div class="table-wrap"><table id="failovers" class="failovers"></table></div>
        </section>
      </div>
    </section>
  </main>
</body>
</html>
`;
