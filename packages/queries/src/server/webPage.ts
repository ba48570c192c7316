// The web page of `gleam serve` at `/`: the standing queries with result tables that update live
// (one EventSource on /events), a form to add a query (errors shown with a caret at the position),
// remove buttons and the engine's counters. Self-contained: the script and style are served by
// this server (/app.js, /app.css), nothing from a CDN, and the Content-Security-Policy allows
// nothing else. Data reaches the page as JSON and is put in with textContent only (never as HTML).

export const PAGE_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export function renderQueryPage(opts: { watchDir?: string; format?: string }): string {
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const watching = opts.watchDir ? `<p class="watch">Watching <code>${esc(opts.watchDir)}</code>${opts.format ? ` (${esc(opts.format)})` : ''}.</p>` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>gleam serve: standing queries</title>
<link rel="stylesheet" href="/app.css"><script src="/app.js" defer></script></head>
<body>
<h1>gleam serve</h1>
${watching}
<p id="metrics" class="metrics">loading counters...</p>
<p id="live" class="live">connecting...</p>
<form id="add">
<label for="query-text">Add a standing query</label>
<textarea id="query-text" name="query" rows="3" cols="80" spellcheck="false" placeholder="SELECT user.lang, count(*) AS n WHERE kind = 'click' GROUP BY user.lang ORDER BY n DESC LIMIT 10"></textarea>
<button type="submit">Add</button>
<pre id="add-error" class="error" hidden></pre>
</form>
<p id="empty">No standing queries yet.</p>
<div id="queries"></div>
</body></html>
`;
}

export const PAGE_CSS = `body{font-family:system-ui,sans-serif;margin:1.5em;color:#222;max-width:80em}
code,pre,textarea{font-family:ui-monospace,monospace}
textarea{display:block;width:100%;box-sizing:border-box;margin:.3em 0}
.error{color:#c62828;white-space:pre-wrap}
.metrics,.live,.meta{color:#555;font-size:.9em}
section.query{border:1px solid #ccc;border-radius:4px;padding:.5em 1em;margin:1em 0}
section.query h2{font-size:1em;margin:.2em 0}
section.query pre.text{background:#f6f6f6;padding:.4em;margin:.3em 0;white-space:pre-wrap}
table.result{border-collapse:collapse;margin:.5em 0}
table.result th,table.result td{border:1px solid #ddd;padding:.2em .6em;text-align:left}
table.result td.null{color:#999}
`;

// Plain ES5-style script (no build step); every value from the server goes through textContent.
export const PAGE_JS = `'use strict';
(function () {
  var list = document.getElementById('queries');
  var empty = document.getElementById('empty');
  var live = document.getElementById('live');
  var metrics = document.getElementById('metrics');
  var form = document.getElementById('add');
  var input = document.getElementById('query-text');
  var addError = document.getElementById('add-error');
  var sections = new Map();

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function cellText(v) {
    if (v === null || v === undefined) return 'null';
    if (typeof v === 'object') return JSON.stringify(v);
    return String(v);
  }
  function showEmpty() { empty.hidden = sections.size > 0; }

  function section(r) {
    var s = sections.get(r.id);
    if (s) return s;
    var root = el('section', 'query');
    root.dataset.queryId = r.id;
    var h = el('h2');
    h.appendChild(el('code', 'id', r.id));
    var remove = el('button', 'remove', 'Remove');
    remove.type = 'button';
    remove.addEventListener('click', function () { removeQuery(r.id); });
    h.appendChild(document.createTextNode(' '));
    h.appendChild(remove);
    root.appendChild(h);
    root.appendChild(el('pre', 'text', r.text));
    var meta = el('p', 'meta');
    root.appendChild(meta);
    var table = el('table', 'result');
    root.appendChild(table);
    list.appendChild(root);
    s = { root: root, meta: meta, table: table };
    sections.set(r.id, s);
    showEmpty();
    return s;
  }

  function render(r) {
    var s = section(r);
    s.root.dataset.batches = String(r.batches);
    s.meta.textContent = r.batches + (r.batches === 1 ? ' batch' : ' batches') + ', ' + r.rows.length + (r.rows.length === 1 ? ' row' : ' rows') + ', updated ' + r.updatedAt;
    var thead = el('thead');
    var tr = el('tr');
    r.columns.forEach(function (c) { tr.appendChild(el('th', '', c)); });
    thead.appendChild(tr);
    var tbody = el('tbody');
    r.rows.forEach(function (row) {
      var line = el('tr');
      row.forEach(function (v) { line.appendChild(el('td', v === null || v === undefined ? 'null' : '', cellText(v))); });
      tbody.appendChild(line);
    });
    s.table.replaceChildren(thead, tbody);
  }

  function drop(id) {
    var s = sections.get(id);
    if (!s) return;
    s.root.remove();
    sections.delete(id);
    showEmpty();
  }

  function removeQuery(id) {
    fetch('/queries/' + encodeURIComponent(id), { method: 'DELETE' }).then(function (res) {
      if (res.ok || res.status === 404) drop(id);
    });
  }

  function showError(text, answer) {
    var msg = answer.error || 'the server refused the query';
    if (typeof answer.position === 'number') {
      // The line holding the position, and a caret under it.
      var start = text.lastIndexOf('\\n', answer.position - 1) + 1;
      var end = text.indexOf('\\n', answer.position);
      var line = text.slice(start, end < 0 ? text.length : end);
      msg += '\\n' + line + '\\n' + ' '.repeat(Math.max(0, answer.position - start)) + '^';
    }
    addError.textContent = msg;
    addError.hidden = false;
  }

  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var text = input.value;
    fetch('/queries', { method: 'POST', headers: { 'content-type': 'text/plain; charset=utf-8' }, body: text })
      .then(function (res) { return res.json().then(function (body) { return { res: res, body: body }; }); })
      .then(function (a) {
        if (a.res.status === 201) {
          input.value = '';
          addError.hidden = true;
        } else showError(text, a.body);
      })
      .catch(function (e) { showError(text, { error: String(e) }); });
  });

  var events = new EventSource('/events');
  events.addEventListener('open', function () { live.textContent = 'live'; });
  events.addEventListener('error', function () { live.textContent = 'reconnecting...'; });
  events.addEventListener('snapshot', function (e) {
    // After a reconnect: forget the queries removed meanwhile.
    var ids = new Set(JSON.parse(e.data));
    Array.from(sections.keys()).forEach(function (id) { if (!ids.has(id)) drop(id); });
  });
  events.addEventListener('update', function (e) { render(JSON.parse(e.data)); });
  events.addEventListener('removed', function (e) { drop(JSON.parse(e.data).id); });

  function pollMetrics() {
    fetch('/metrics').then(function (res) { return res.json(); }).then(function (m) {
      metrics.textContent = Object.keys(m).map(function (k) { return k + ' ' + m[k]; }).join(', ');
    }).catch(function () {}).then(function () { setTimeout(pollMetrics, 2000); });
  }
  pollMetrics();
  showEmpty();
})();
`;
