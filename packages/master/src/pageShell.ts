// What every page of the web UI shares: escaping, tables, the style sheet, and the live frame —
// a `#live` element whose content the server re-renders and pushes over server-sent events, so
// the page updates without a reload (and works, frozen, without JavaScript).

export function escapeHtml(s: unknown): string {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/** A table; cells are HTML already escaped by the caller. `rowAttrs` adds attributes to each row. */
export function table(headers: string[], rows: string[][], rowAttrs?: (i: number) => string): string {
  const head = headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = rows.map((r, i) => `<tr${rowAttrs ? ` ${rowAttrs(i)}` : ''}>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

export function progressBar(done: number, total: number): string {
  const pct = total > 0 ? Math.min(100, Math.round((done / total) * 100)) : 0;
  return `<progress max="100" value="${pct}"></progress> ${escapeHtml(`${done}/${total}`)}`;
}

export const STYLE = `body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}
table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #ccc;padding:.2em .6em;text-align:left}
th{background:#f3f3f3}pre{background:#f7f7f7;padding:.6em;overflow:auto}
.ok,.succeeded,.done{color:#18794e}.failed{color:#c62828}.running{color:#1565c0}.cancelled,.lost{color:#8d6e00}.stopped,.waiting{color:#555}
small{color:#777}nav a{margin-right:1em}td.num{text-align:right}
svg.dag{border:1px solid #ddd;background:#fcfcfc;max-width:100%}
svg.dag g.stage rect{fill:#fff;stroke:#999;stroke-width:1.5}
svg.dag g.stage.running rect{fill:#e3f0fd;stroke:#1565c0}svg.dag g.stage.done rect{fill:#e6f4ec;stroke:#18794e}
svg.dag g.stage.failed rect{fill:#fdecea;stroke:#c62828}svg.dag g.stage.cancelled rect{fill:#fdf6e3;stroke:#8d6e00}svg.dag text{font-size:12px;fill:#222}
svg.dag path.edge{stroke:#888;fill:none;stroke-width:1.5}
form.cancel{display:inline}form.cancel button{color:#c62828}`;

/**
 * A whole page whose `#live` part follows `events` (a server-sent events URL): each `html` event
 * carries the part's new content (a JSON string), `end` closes the stream.
 */
export function livePage(title: string, nav: string, live: string, events: string, after = ''): string {
  return `<!doctype html>
<html><head><meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style></head><body>
<nav>${nav}</nav>
<div id="live" data-events="${escapeHtml(events)}">
${live}
</div>
${after}
<script>
(function () {
  var live = document.getElementById('live');
  if (!window.EventSource) return;
  var es = new EventSource(live.dataset.events);
  es.addEventListener('html', function (e) { live.innerHTML = JSON.parse(e.data); });
  es.addEventListener('end', function () { es.close(); });
})();
</script>
</body></html>
`;
}
