/**
 * A self-contained page that fetches /openapi.json and lists operations, parameters, bodies and
 * responses with their schemas; no external scripts or styles, so it works offline and behind strict CSPs.
 */
export const DOCS_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Order Hub API</title>
<style>
  body { font: 15px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 980px; padding: 0 1rem; color: #222; }
  h1 { margin-bottom: .2rem; } h2 { border-bottom: 1px solid #ddd; margin-top: 2rem; }
  details { border: 1px solid #ddd; border-radius: 6px; margin: .5rem 0; padding: .4rem .8rem; }
  summary { cursor: pointer; } code, pre { font: 13px ui-monospace, monospace; }
  pre { background: #f6f6f6; padding: .6rem; overflow: auto; max-height: 24rem; }
  .m { display: inline-block; min-width: 4.5rem; font-weight: 700; }
  .GET { color: #1a7f37 } .POST { color: #0969da } .PUT { color: #9a6700 } .PATCH { color: #8250df } .DELETE { color: #cf222e }
  table { border-collapse: collapse; } td, th { border: 1px solid #ddd; padding: .2rem .5rem; text-align: left; vertical-align: top; }
</style>
</head>
<body>
<h1 id="title">Order Hub API</h1>
<p id="intro">Loading <a href="/openapi.json">/openapi.json</a> …</p>
<div id="ops"></div>
<script>
(async function () {
  const doc = await (await fetch('/openapi.json')).json();
  const esc = (s) => String(s ?? '').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
  const schemaOf = (s) => {
    if (s && s.$ref) { const id = s.$ref.split('/').pop(); return { id, schema: doc.components.schemas[id] }; }
    return { id: '', schema: s };
  };
  document.getElementById('title').textContent = doc.info.title + ' ' + doc.info.version;
  document.getElementById('intro').innerHTML = esc(doc.info.description) + ' — raw document: <a href="/openapi.json">/openapi.json</a>';
  const byTag = {};
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      (byTag[(op.tags || ['Other'])[0]] ||= []).push({ path, method: method.toUpperCase(), op });
    }
  }
  let html = '';
  for (const [tag, ops] of Object.entries(byTag)) {
    html += '<h2>' + esc(tag) + '</h2>';
    for (const { path, method, op } of ops) {
      html += '<details><summary><span class="m ' + method + '">' + method + '</span><code>' + esc(path) + '</code> — ' + esc(op.summary) + '</summary>';
      if (op.description) html += '<p>' + esc(op.description) + '</p>';
      if (op.parameters && op.parameters.length) {
        html += '<table><tr><th>Parameter</th><th>In</th><th>Required</th><th>Schema</th><th>Description</th></tr>';
        for (const p of op.parameters) html += '<tr><td><code>' + esc(p.name) + '</code></td><td>' + p.in + '</td><td>' + (p.required ? 'yes' : 'no') + '</td><td><code>' + esc(JSON.stringify(p.schema)) + '</code></td><td>' + esc(p.description) + '</td></tr>';
        html += '</table>';
      }
      if (op.requestBody) {
        for (const [type, media] of Object.entries(op.requestBody.content)) {
          const { id, schema } = schemaOf(media.schema);
          html += '<p><b>Request body</b> (' + esc(type) + (op.requestBody.required ? ', required' : ', optional') + ') ' + esc(id) + '</p><pre>' + esc(JSON.stringify(schema, null, 2)) + '</pre>';
        }
      }
      html += '<p><b>Responses</b></p><ul>';
      for (const [status, r] of Object.entries(op.responses)) {
        const media = r.content ? Object.entries(r.content)[0] : undefined;
        const ref = media ? schemaOf(media[1].schema).id : '';
        html += '<li><code>' + status + '</code> ' + esc(r.description) + (media ? ' — <code>' + esc(media[0]) + '</code> ' + esc(ref) : '') + '</li>';
      }
      html += '</ul></details>';
    }
  }
  html += '<h2>Schemas</h2>';
  for (const [id, schema] of Object.entries(doc.components.schemas)) {
    html += '<details id="schema-' + esc(id) + '"><summary><code>' + esc(id) + '</code></summary><pre>' + esc(JSON.stringify(schema, null, 2)) + '</pre></details>';
  }
  document.getElementById('ops').innerHTML = html;
})().catch((err) => { document.getElementById('intro').textContent = 'Could not load /openapi.json: ' + err; });
</script>
</body>
</html>
`;
