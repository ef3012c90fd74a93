# Source this file: puts Node 24 on PATH when the machine's node is older.
# Node 24 comes from the npm registry package `node@24` (it ships the binary), cached outside the repo.
_orderhub_node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ "$(_orderhub_node_major)" != "24" ]; then
  _orderhub_node_dir="${ORDERHUB_CACHE:-$HOME/.cache/orderhub}/node24"
  if [ ! -x "$_orderhub_node_dir/node_modules/node/bin/node" ]; then
    echo "node24.sh: installing node@24 from the npm registry into $_orderhub_node_dir" >&2
    mkdir -p "$_orderhub_node_dir"
    npm install --no-save --no-audit --no-fund --loglevel=error --prefix "$_orderhub_node_dir" node@24 >&2
  fi
  export PATH="$_orderhub_node_dir/node_modules/node/bin:$_orderhub_node_dir/node_modules/.bin:$PATH"
fi
unset -f _orderhub_node_major
