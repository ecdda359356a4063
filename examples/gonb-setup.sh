#!/usr/bin/env bash
# Installs the Go Jupyter kernel GoNB and the two tools it runs (goimports, gopls) at
# pinned versions, from the Go module proxy only, into a cache folder, and registers
# the kernel in the jupyter of a Python venv, so that examples/load_release_go.ipynb
# runs (python/tests/test_go_notebook.py executes it with nbclient).
#
#   examples/gonb-setup.sh [VENV]      VENV defaults to $NEWSDS_VENV, else .venv
#
# Environment: NEWSDS_GONB_DIR (default $HOME/.cache/newsds-gonb) holds the binaries;
# the kernel spec goes into VENV/share/jupyter/kernels/gonb, so only that venv's
# jupyter sees it. Running the script again is cheap: go install skips what is built.
set -euo pipefail

# Pinned versions: GoNB v0.11.1 is the release the notebook was written for; gopls
# v0.23.0 and x/tools v0.52.0 are the newest the module proxy serves that build with
# the Go of this repository's go.mod (gopls v0.24.0 needs a newer Go).
GONB_VERSION=v0.11.1
GOPLS_VERSION=v0.23.0
TOOLS_VERSION=v0.52.0

root=$(cd "$(dirname "$0")/.." && pwd)
venv=${1:-${NEWSDS_VENV:-$root/.venv}}
case $venv in /*) ;; *) venv=$root/$venv ;; esac
if [ ! -x "$venv/bin/python" ]; then
	echo "gonb-setup: $venv/bin/python not found: create the venv first (python/requirements.txt)" >&2
	exit 1
fi
bin=${NEWSDS_GONB_DIR:-$HOME/.cache/newsds-gonb}/bin
mkdir -p "$bin"

# GOTOOLCHAIN=local: build with the Go on the machine and never fetch another toolchain.
export GOBIN=$bin GOTOOLCHAIN=local
# One tools module per tool rather than `go install PKG@VERSION`: the latter also asks
# the proxy for the module's version list (to report deprecations), which the proxy
# may refuse for a module it serves at an exact version only; go get with an exact
# version does not. One module each, so that each builds with the dependency versions
# it asks for (gopls needs its own x/tools).
cache=${NEWSDS_GONB_DIR:-$HOME/.cache/newsds-gonb}
install_tool() { # NAME PACKAGE VERSION (of the module that provides PACKAGE)
	local mod=$cache/mod/$1
	mkdir -p "$mod"
	(
		cd "$mod"
		[ -f go.mod ] || go mod init "newsds-gonb-tools/$1" >/dev/null 2>&1
		go get "$2@$3"
		go install "$2"
	)
}
install_tool gonb github.com/janpfeifer/gonb "$GONB_VERSION"
install_tool goimports golang.org/x/tools/cmd/goimports "$TOOLS_VERSION"
install_tool gopls golang.org/x/tools/gopls "$GOPLS_VERSION"

# The kernel finds goimports and gopls on its PATH: write the kernel spec ourselves
# (GoNB's own --install writes only the gonb path) with an env that puts $bin first.
kdir=$venv/share/jupyter/kernels/gonb
mkdir -p "$kdir"
"$venv/bin/python" - "$kdir/kernel.json" "$bin" <<'EOF'
import json, os, sys
path, bin_dir = sys.argv[1], sys.argv[2]
spec = {
    "argv": [os.path.join(bin_dir, "gonb"), "--kernel", "{connection_file}", "--logtostderr"],
    "display_name": "Go (gonb)",
    "language": "go",
    "interrupt_mode": "message",
    "env": {"PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""), "GOTOOLCHAIN": "local"},
}
with open(path, "w", encoding="utf-8") as f:
    json.dump(spec, f, indent=2)
    f.write("\n")
EOF
echo "gonb-setup: GoNB $GONB_VERSION, gopls $GOPLS_VERSION, goimports $TOOLS_VERSION in $bin; kernel gonb in $kdir"
