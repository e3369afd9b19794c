#!/usr/bin/env bash
# The production build as the Dockerfile makes it, without Docker: collect static files with production
# settings, migrate, start gunicorn with production settings and config/gunicorn.conf.py on loopback, and
# ask it for the sign-in page, a hashed static file and readiness. Needs DATABASE_URL (PostgreSQL): the build
# migrates a database of its own on that server, made here and dropped afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."

workdir="$(mktemp -d)"
build_db="casework_build_$$"
pg() {  # statement: run on the server of DATABASE_URL, outside any transaction
  .venv/bin/python - "$1" <<'PY'
import os, sys
from urllib.parse import urlsplit
import psycopg
url = urlsplit(os.environ["DATABASE_URL"])
with psycopg.connect(url._replace(path="/postgres").geturl(), autocommit=True) as connection:
    connection.execute(sys.argv[1])
PY
}
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$workdir"
  pg "DROP DATABASE IF EXISTS $build_db WITH (FORCE)"
}
pg "CREATE DATABASE $build_db"
trap cleanup EXIT
export DATABASE_URL="$(.venv/bin/python -c 'import os, sys; from urllib.parse import urlsplit; print(urlsplit(os.environ["DATABASE_URL"])._replace(path="/" + sys.argv[1]).geturl())' "$build_db")"
port="$(.venv/bin/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
export DJANGO_ENV=production DEBUG=false ALLOWED_HOSTS=casework.council.example \
  SECRET_KEY="ci-only-$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=')" \
  STATIC_ROOT="$workdir/static" MEDIA_ROOT="$workdir/media" \
  GUNICORN_BIND="127.0.0.1:$port" WEB_CONCURRENCY=2 LOG_FORMAT=json EMAIL_URL=dummymail://

echo "collectstatic (production settings)"
.venv/bin/python manage.py collectstatic --no-input -v 0
.venv/bin/python manage.py migrate --no-input -v 0

.venv/bin/gunicorn -c config/gunicorn.conf.py config.wsgi:application >"$workdir/gunicorn.log" 2>&1 &
server=$!

base="http://127.0.0.1:$port"
for _ in $(seq 1 100); do curl -fsS "$base/healthz" >/dev/null 2>&1 && break; sleep 0.2; done

# Through the proxy the site sits behind: the public host name and HTTPS as X-Forwarded-Proto.
proxied=(-H "Host: casework.council.example" -H "X-Forwarded-Proto: https")
check() {  # what, expected status, curl arguments...
  local what=$1 expected=$2; shift 2
  local status
  status="$(curl -s -o "$workdir/body" -w '%{http_code}' "$@")"
  if [ "$status" != "$expected" ]; then
    echo "FAILED: $what answered $status, not $expected"; head -c 2000 "$workdir/body"; echo
    tail -n 40 "$workdir/gunicorn.log"; exit 1
  fi
  echo "ok: $what ($status)"
}
check "sign-in page" 200 "${proxied[@]}" "$base/accounts/login/"
grep -q 'name="username"' "$workdir/body" || { echo "FAILED: the sign-in page has no sign-in form"; exit 1; }
stylesheet="$(grep -o '/static/[^"]*\.css' "$workdir/body" | head -n 1)"
[ -n "$stylesheet" ] || { echo "FAILED: the sign-in page links no stylesheet"; exit 1; }
case "$stylesheet" in *.*.css) ;; *) echo "FAILED: $stylesheet is not a hashed name"; exit 1 ;; esac
check "static file $stylesheet" 200 "${proxied[@]}" "$base$stylesheet"
check "plain HTTP redirected to HTTPS" 301 -H "Host: casework.council.example" "$base/accounts/login/"
check "readiness from the orchestrator (any Host, plain HTTP)" 200 "$base/readyz"
check "liveness" 200 "$base/healthz"
check "an unknown host" 400 -H "Host: evil.example" -H "X-Forwarded-Proto: https" "$base/accounts/login/"
grep -q '"request_id"' "$workdir/gunicorn.log" || { echo "FAILED: no JSON log line with a request id"; tail "$workdir/gunicorn.log"; exit 1; }
echo "ok: JSON logs with request ids"
echo "Production build: passed"
