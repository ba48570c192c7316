// The status page's login form and its "log in first" answer.

const STYLE = 'body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}.failed{color:#c62828}input{margin:.3em 0}';

function page(title: string, body: string): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${title}</title><style>${STYLE}</style></head><body>
${body}
</body></html>
`;
}

/** A form that POSTs the secret to /login (a password field: not shown, not kept in history). */
export function renderLoginPage(opts: { wrong?: boolean; noSecret?: boolean; name?: string } = {}): string {
  // The same form serves `gleam master` and `gleam serve`; only the heading differs.
  const name = opts.name ?? 'gleam master';
  if (opts.noSecret) return page(`${name}: log in`, `<h1>${name}</h1>\n<p>This server has no cluster secret: there is nothing to log in to. <a href="/">Go to the main page</a>.</p>`);
  return page(
    `${name}: log in`,
    `<h1>${name}</h1>
${opts.wrong ? '<p class="failed">Wrong secret.</p>\n' : ''}<form method="post" action="/login">
<label>Cluster secret <input type="password" name="secret" autocomplete="current-password" autofocus required></label>
<button type="submit">Log in</button>
</form>`,
  );
}

/** The 401 answer of a page without a session: a link to the form, and the header for scripts. */
export function renderLoginRequired(name = 'gleam master'): string {
  return page(
    `${name}: log in first`,
    `<h1>${name}</h1>\n<p>This page needs the cluster secret: <a href="/login">log in at /login</a>. Scripts may send it in the <code>x-gleam-secret</code> header instead.</p>`,
  );
}
