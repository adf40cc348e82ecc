#!/usr/bin/env bash
# Serve the portal as production would (DEBUG off, manifest static files through WhiteNoise,
# PostgreSQL, Redis broker) and check that the public pages answer 200 with their assets.
set -euo pipefail
cd "$(dirname "$0")/.."
PG_ADMIN_URL="$1"
BROKER_URL="$2"
DB_NAME=ostportal_smoke
PORT=8765

psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $DB_NAME" >/dev/null 2>&1
psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $DB_NAME" >/dev/null

export DJANGO_SETTINGS_MODULE=ostportal.settings.production
export DJANGO_SECRET_KEY="smoke-$(head -c 48 /dev/urandom | base64 | tr -d '/+=')"
export DJANGO_ALLOWED_HOSTS=127.0.0.1
export DATABASE_URL="${PG_ADMIN_URL%/*}/$DB_NAME"
export CELERY_BROKER_URL="$BROKER_URL"

.venv/bin/python manage.py check --deploy --fail-level WARNING
# Plain HTTP on loopback for curl; a real deployment keeps the HTTPS redirect on.
export DJANGO_SECURE_SSL_REDIRECT=false
.venv/bin/python manage.py collectstatic --noinput -v 0
.venv/bin/python manage.py migrate --noinput -v 0
.venv/bin/python manage.py seed_content
.venv/bin/python manage.py seed_survey
.venv/bin/python manage.py seed_toolkit

.venv/bin/gunicorn ostportal.wsgi:application --bind "127.0.0.1:$PORT" --workers 2 \
  --access-logfile - --error-logfile - >/tmp/ostportal-smoke.log 2>&1 &
GUNICORN_PID=$!
trap 'kill $GUNICORN_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do curl -fs "http://127.0.0.1:$PORT/robots.txt" >/dev/null && break; sleep 0.2; done

fail=0
check() {  # url expected-status
  code=$(curl -s -o /tmp/ostportal-smoke.body -w '%{http_code}' "http://127.0.0.1:$PORT$1")
  if [ "$code" != "$2" ]; then echo "FAIL $1: $code (expected $2)"; fail=1; else echo "ok   $1 $code"; fi
}
for url in / /page/vision/ /page/timeline/ /page/where-counted-today/ /page/faq/ /contact/ \
    /accounts/login/ /survey/ost-roles-duties/ /toolkit/ /notices/ /comment/ /updates/ "/?lang=es" \
    /comment/pledge/ /news/ /feeds/updates.atom /feeds/updates.rss "/feeds/calendar.ics?lang=es" \
    /sitemap.xml; do
  check "$url" 200
done
check /staff/ 302
check /page/does-not-exist/ 404
# Every stylesheet and script the home page names is served (hashed names from the manifest).
while read -r asset; do
  check "$asset" 200
done < <(curl -s "http://127.0.0.1:$PORT/" | grep -oE '/static/[^"]+' | sort -u)
[ $fail = 0 ] || { tail -30 /tmp/ostportal-smoke.log; exit 1; }
echo "smoke: all pages and assets answered as expected"
