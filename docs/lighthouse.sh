#!/usr/bin/env bash
# Lighthouse scores of the front page and a story, served the production way: a scratch site
# (its own SQLite file, media and static folders, demo content) behind gunicorn with DEBUG off.
# Prints the four scores per page and leaves the full reports in $OUT (docs/quality.md).
#
#   bash docs/lighthouse.sh            # needs make's .venv, npm and /usr/bin/chromium
#
# Lighthouse is fetched by npx on first use (it is large, so it is not a test dependency).
set -euo pipefail
cd "$(dirname "$0")/.."

LIGHTHOUSE="lighthouse@12.2.3"
PORT="${PORT:-8077}"
BASE="http://127.0.0.1:$PORT"
SITE="$(mktemp -d /tmp/newsroom-lighthouse.XXXXXX)"
OUT="${OUT:-$SITE/reports}"
mkdir -p "$OUT"

export DEBUG=false SERVE_MEDIA=true ALLOWED_HOSTS=127.0.0.1
export SECRET_KEY="$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(50))')"
export DATABASE_URL="sqlite:///$SITE/db.sqlite3" MEDIA_ROOT="$SITE/media" STATIC_ROOT="$SITE/static"
export CHROME_PATH=/usr/bin/chromium

server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true; fi
  rm -rf "$SITE/db.sqlite3" "$SITE/media" "$SITE/static"
}
trap cleanup EXIT

.venv/bin/python manage.py migrate --no-input -v 0
.venv/bin/python manage.py collectstatic --no-input -v 0
.venv/bin/python manage.py load_demo -v 0 >/dev/null
STORY=$(.venv/bin/python manage.py shell -v 0 -c "from articles.models import Article; \
print(Article.objects.get(slug='kazakhstan-joins-abraham-accords').get_absolute_url())")
.venv/bin/gunicorn newsroom.wsgi --bind "127.0.0.1:$PORT" --workers 2 --no-control-socket \
  --log-level warning &
server=$!
for _ in $(seq 1 50); do curl -fso /dev/null "$BASE/" && break; sleep 0.2; done
# A fresh worker compiles its templates on its first request: measure the site warm, as readers
# meet it (each of the two workers gets a few requests).
for path in / "$STORY"; do for _ in 1 2 3 4; do curl -fso /dev/null "$BASE$path"; done; done

for path in / "$STORY"; do
  name=$([ "$path" = / ] && echo front || echo article)
  # Mobile is Lighthouse's default form factor (a throttled mid-range phone). Lighthouse 12.2
  # now and then fails to record a trace with this Chromium (NO_NAVSTART): try again.
  for attempt in 1 2 3; do
    npx --yes "$LIGHTHOUSE" "$BASE$path" --quiet \
      --only-categories=performance,accessibility,best-practices,seo \
      --output=json --output=html --output-path="$OUT/$name" \
      --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run --disable-quic" \
      && node -e 'process.exit(require(process.argv[1]).runtimeError ? 1 : 0)' "$OUT/$name.report.json" \
      && break
    [ "$attempt" = 3 ] && { echo "Lighthouse failed three times on $path" >&2; exit 1; }
  done
  node -e '
    const report = require(process.argv[1]);
    const scores = Object.values(report.categories).map(c => `${c.title} ${Math.round(c.score * 100)}`);
    console.log(`${process.argv[2].padEnd(8)} ${scores.join(" · ")}`);
    for (const category of Object.values(report.categories)) {
      for (const ref of category.auditRefs) {
        const audit = report.audits[ref.id];
        if (ref.weight > 0 && audit.score !== null && audit.score < 1) {
          console.log(`         lost in ${category.title}: ${audit.id} (${audit.displayValue || audit.score})`);
        }
      }
    }' "$OUT/$name.report.json" "$name"
done
echo "Reports: $OUT"
