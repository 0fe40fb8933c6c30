#!/usr/bin/env bash
# One-time (idempotent) machine set-up for SafeStats: Debian packages, then the project venv.
# As root it installs missing packages itself; otherwise it prints the exact apt command and stops.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
pg_major() {
  if [ -d /usr/lib/postgresql ]; then
    ls /usr/lib/postgresql | grep -E '^[0-9]+$' | sort -n | tail -1
  fi
}
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

major=$(pg_major || true)
if [ -z "$major" ] || [ ! -x "/usr/lib/postgresql/$major/bin/initdb" ]; then
  need+=(postgresql)
fi
for p in python3-qgis qgis gdal-bin python3-gdal python3-venv; do
  have_pkg "$p" || need+=("$p")
done

install() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "SafeStats needs these Debian packages: $*" >&2
    echo "Run:  sudo apt-get update && sudo apt-get install -y $*" >&2
    echo "then run the make command again." >&2
    exit 1
  fi
  if [ ! -f /var/lib/apt/periodic/safestats-updated ] || [ -z "$(ls -A /var/lib/apt/lists 2>/dev/null | grep -v lock)" ]; then
    apt-get update -qq
    mkdir -p /var/lib/apt/periodic && touch /var/lib/apt/periodic/safestats-updated
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

if [ ${#need[@]} -gt 0 ]; then
  echo "== installing Debian packages: ${need[*]}"
  install "${need[@]}"
  major=$(pg_major)
fi
# PostGIS (and the optional pgTAP / pgaudit) must match the server's major version.
extra=()
have_pkg "postgresql-$major-postgis-3" || extra+=("postgresql-$major-postgis-3")
for opt in "postgresql-$major-pgaudit"; do
  have_pkg "$opt" || { apt-cache show "$opt" >/dev/null 2>&1 && extra+=("$opt"); } || true
done
have_pkg xvfb || extra+=(xvfb)
have_pkg qttools5-dev-tools || extra+=(qttools5-dev-tools)   # lrelease: make translations (issue 15)
if [ ${#extra[@]} -gt 0 ]; then
  echo "== installing Debian packages: ${extra[*]}"
  install "${extra[@]}"
fi

# The venv must be Debian's python (QGIS's bindings are built for it), with system site packages.
if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c "import qgis.core" 2>/dev/null; then
  echo "== creating .venv from /usr/bin/python3 (with system site packages, for PyQGIS)"
  rm -rf .venv
  /usr/bin/python3 -m venv --system-site-packages .venv
fi
stamp=.venv/.safestats-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "== installing SafeStats and its Python packages into .venv"
  .venv/bin/pip install -q --disable-pip-version-check -e '.[test]'
  touch "$stamp"
fi
