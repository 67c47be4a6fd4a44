#!/usr/bin/env bash
# Screenshots of the Aspire dashboard for the README: starts the AppHost, sends some traffic, logs in to the
# dashboard in headless Chromium (Debian's chromium, driven by take-dashboard.cs), then stops the AppHost.
# Usage: docs/screenshots/take-dashboard.sh   (needs: apt-get install -y chromium; ports 5100-5102, 18888-18890 free)
set -euo pipefail
cd "$(dirname "$0")/../.."

export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
command -v chromium >/dev/null || { echo "Chromium is missing: apt-get install -y chromium" >&2; exit 1; }

# Build the helper first, so the AppHost's lifetime does not include a compile.
dotnet build docs/screenshots/take-dashboard.cs >/dev/null

log=$(mktemp)
# Its own process group, so one signal stops the AppHost and everything it started.
setsid dotnet run --project AppHost >"$log" 2>&1 &
apphost=$!
stop() {
  kill -TERM -- "-$apphost" 2>/dev/null || true
  # The AppHost takes ~15 s to stop its resources; give it 60.
  for _ in $(seq 1 60); do kill -0 "$apphost" 2>/dev/null || break; sleep 1; done
  kill -KILL -- "-$apphost" 2>/dev/null || true
  rm -f "$log"
}
trap stop EXIT

login=""
for _ in $(seq 1 180); do
  login=$(grep -o 'http://localhost:18888/login?t=[0-9a-zA-Z]*' "$log" | head -n 1 || true)
  [ -n "$login" ] && break
  sleep 1
done
[ -n "$login" ] || { echo "The AppHost printed no dashboard login URL:" >&2; tail -n 20 "$log" >&2; exit 1; }

for url in http://localhost:5101/health http://localhost:5102/health; do
  for _ in $(seq 1 120); do curl -fsS -o /dev/null "$url" 2>/dev/null && break; sleep 1; done
done

# Traffic for the metrics page: logins, valid and invalid tokens, a revocation.
for _ in 1 2 3; do
  token=$(curl -fsS -X POST http://localhost:5101/oauth2/login -d username=demo@example.com -d password=demo-password \
    | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
  for _ in $(seq 1 10); do curl -s -o /dev/null -H "Authorization: Bearer $token" http://localhost:5102/secured; done
  curl -s -o /dev/null -H "Authorization: Bearer not-a-real-token" http://localhost:5102/secured
  curl -s -o /dev/null -X POST http://localhost:5101/oauth2/revoke -d "token=$token"
  curl -s -o /dev/null -H "Authorization: Bearer $token" http://localhost:5102/secured
done

dotnet run --no-build docs/screenshots/take-dashboard.cs -- "$login" docs/screenshots
