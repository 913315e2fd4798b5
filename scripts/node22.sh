# Sourced by the project's scripts: puts Node 22 first on PATH. The scaffold's
# tooling wants Node 22; machines with an older Node get it from the npm
# registry (the `node` package carries the binary), never from a download site.
if ! node --version 2>/dev/null | grep -q '^v2[2-9]\.'; then
  if [ ! -x .node22/node_modules/.bin/node ]; then
    npm install --no-save --no-audit --no-fund --prefix ./.node22 node@22 >/dev/null
  fi
  export PATH="$PWD/.node22/node_modules/.bin:$PATH"
fi
