#!/usr/bin/env bash
# Deploys the AuthService and the ResourceService as two Heroku container apps sharing one Heroku Redis.
# Run it from anywhere; it builds from the repository root. `deploy/heroku.sh --help` explains the options.
# Written for bash 3.2 too (macOS): no associative arrays, no mapfile, no ${x,,}.
set -euo pipefail

readonly REGISTRY=registry.heroku.com
# The Dockerfiles build from the repository root: it is their build context.
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# Dry-run queries print on fd 3, so their lines keep their place among the others.
exec 3>&1

usage() {
  cat <<'EOF'
Usage: deploy/heroku.sh --prefix NAME [options]
       deploy/heroku.sh --auth-app NAME --resource-app NAME [options]

Creates (or reuses) two Heroku apps on the container stack, attaches one Heroku Redis to both, sets
their config vars, builds Dockerfile.auth and Dockerfile.resource for linux/amd64 as Docker v2 images,
pushes each as the app's `web` process and releases it. Safe to run again: existing apps, add-on and
secrets are kept.

Options:
  --prefix NAME          app names NAME-auth and NAME-resource, Redis add-on NAME-redis
  --auth-app NAME        the AuthService's app (default: PREFIX-auth)
  --resource-app NAME    the ResourceService's app (default: PREFIX-resource)
  --redis-addon NAME     the Heroku Redis add-on's name (default: AUTH_APP-redis)
  --redis-plan PLAN      plan for a new add-on (default: heroku-redis:mini)
  --region REGION        region for new apps (us, eu)
  --team TEAM            create new apps in this team
  --login-url URL        Salesforce login host (default: https://login.salesforce.com;
                         https://test.salesforce.com for sandboxes, or your My Domain URL)
  --redirect-uri URL     callback registered in the connected app
                         (default: the auth app's web URL + oauth2/success)
  --allowed-org-ids IDS  comma-separated org IDs whose tokens are accepted (your org's ID: Setup ->
                         Company Information); required unless the auth app has them already
  --allow-any-org        accept tokens of any org whose users can use the connected app, on purpose
                         (instead of --allowed-org-ids)
  --upstream-url URL     gateway mode: the resource app forwards authenticated requests on
                         --upstream-path to this API (its base URL, http or https), with the
                         caller's identity in X-Salesforce-* headers (README: "Protect an API you
                         cannot change"); without it, no ReverseProxy__... config var is set
  --upstream-path PATH   the gateway route's path pattern (default: /api/{**catch-all})
  --builder TOOL         docker (default; needs buildx) or buildah
  --skip-build           configure the apps only: no build, push or release
  --dry-run              print every command instead of running it (secrets shown as <redacted>)
  -h, --help             this help

Secrets come from the environment, never from the command line (which `ps` shows to everyone):
  CLIENT_ID              the connected app's consumer key (kept from the app when unset)
  CLIENT_SECRET_ID       the connected app's consumer secret (kept from the app when unset)
  INTERNAL_API_KEY       the key the ResourceService presents to the AuthService
                         (kept from the auth app when unset, else generated: openssl rand -hex 32)
The certificate that encrypts the AuthService's Data Protection keys in Redis (DataProtection__Certificate)
is kept from the auth app, else generated with openssl: a self-signed RSA key, never written to disk.

Needs: the heroku CLI (logged in), openssl, curl, and docker with buildx or buildah.

Example:
  CLIENT_ID=3MVG9... CLIENT_SECRET_ID=... deploy/heroku.sh --prefix acme-identity --region eu \
    --allowed-org-ids 00D5g000004ABCD
EOF
}

DRY_RUN=0
SKIP_BUILD=0
PREFIX=""
AUTH_APP=""
RESOURCE_APP=""
REDIS_ADDON=""
REDIS_PLAN=heroku-redis:mini
REGION=""
TEAM=""
LOGIN_URL=https://login.salesforce.com
REDIRECT_URI=""
ALLOWED_ORG_IDS=""
ALLOW_ANY_ORG=0
BUILDER=docker
UPSTREAM_URL=""
UPSTREAM_PATH='/api/{**catch-all}'
SECRETS=()

die() { printf 'heroku.sh: %s\n' "$*" >&2; exit 1; }
step() { printf '\n==> %s\n' "$*"; }

need_value() { [[ $# -ge 2 && -n $2 && $2 != --* ]] || die "$1 needs a value (see --help)"; }

while [[ $# -gt 0 ]]; do
  case $1 in
    --prefix) need_value "$@"; PREFIX=$2; shift 2 ;;
    --auth-app) need_value "$@"; AUTH_APP=$2; shift 2 ;;
    --resource-app) need_value "$@"; RESOURCE_APP=$2; shift 2 ;;
    --redis-addon) need_value "$@"; REDIS_ADDON=$2; shift 2 ;;
    --redis-plan) need_value "$@"; REDIS_PLAN=$2; shift 2 ;;
    --region) need_value "$@"; REGION=$2; shift 2 ;;
    --team) need_value "$@"; TEAM=$2; shift 2 ;;
    --login-url) need_value "$@"; LOGIN_URL=$2; shift 2 ;;
    --redirect-uri) need_value "$@"; REDIRECT_URI=$2; shift 2 ;;
    --allowed-org-ids) need_value "$@"; ALLOWED_ORG_IDS=$2; shift 2 ;;
    --allow-any-org) ALLOW_ANY_ORG=1; shift ;;
    --upstream-url) need_value "$@"; UPSTREAM_URL=$2; shift 2 ;;
    --upstream-path) need_value "$@"; UPSTREAM_PATH=$2; shift 2 ;;
    --builder) need_value "$@"; BUILDER=$2; shift 2 ;;
    --skip-build) SKIP_BUILD=1; shift ;;
    --dry-run) DRY_RUN=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done

[[ -n $AUTH_APP ]] || AUTH_APP=${PREFIX:+$PREFIX-auth}
[[ -n $RESOURCE_APP ]] || RESOURCE_APP=${PREFIX:+$PREFIX-resource}
[[ -n $AUTH_APP && -n $RESOURCE_APP ]] || die "name the apps: --prefix NAME, or --auth-app and --resource-app (see --help)"
[[ -n $REDIS_ADDON ]] || REDIS_ADDON=$AUTH_APP-redis
[[ $BUILDER == docker || $BUILDER == buildah ]] || die "--builder must be docker or buildah"
[[ $LOGIN_URL == https://* ]] || die "--login-url must be an https URL"
[[ $ALLOW_ANY_ORG -eq 0 || -z $ALLOWED_ORG_IDS ]] || die "--allowed-org-ids and --allow-any-org exclude each other"
[[ -z $UPSTREAM_URL || $UPSTREAM_URL =~ ^https?://[^/]+ ]] || die "--upstream-url must be an http or https URL"
[[ $UPSTREAM_PATH == /* ]] || die "--upstream-path must start with /"

# Quotes an argument for display only when the shell would need it.
shell_word() {
  if [[ $1 =~ ^[A-Za-z0-9_./:=,@%+-]+$ ]]; then
    printf '%s' "$1"
  else
    printf '%q' "$1"
  fi
}

# Prints a command with every secret masked.
show() {
  local shown="" arg
  for arg in "$@"; do
    shown="$shown $(shell_word "$arg")"
  done
  printf '+%s\n' "$(redact "$shown")"
}

# Prints a command, then runs it unless --dry-run.
run() {
  show "$@"
  if [[ $DRY_RUN -eq 0 ]]; then
    "$@"
  fi
}

# Like run, but discards the command's standard output: `heroku config:set` echoes every value it sets.
run_quiet() {
  show "$@"
  if [[ $DRY_RUN -eq 0 ]]; then
    "$@" >/dev/null
  fi
}

# Runs a read-only query for its output; in a dry run prints it and answers the given stand-in instead.
query() {
  local stand_in=$1
  shift
  if [[ $DRY_RUN -eq 1 ]]; then
    printf '+ %s\n' "$*" >&3
    printf '%s' "$stand_in"
    return 0
  fi
  "$@"
}

redact() {
  local text=$1 secret
  for secret in ${SECRETS[@]+"${SECRETS[@]}"}; do
    [[ -n $secret ]] || continue
    text=${text//"$(shell_word "$secret")"/<redacted>}
    text=${text//"$secret"/<redacted>}
  done
  printf '%s' "$text"
}

# A self-signed RSA certificate with its key as base64 PKCS#12 (no password: the config var is the secret),
# for the AuthService's key ring. Piped from openssl to openssl, so the private key never touches the disk.
new_key_ring_certificate() {
  openssl req -x509 -newkey rsa:3072 -sha256 -days 3650 -nodes -subj "/CN=AuthService key ring" \
    -keyout - -out - 2>/dev/null \
    | openssl pkcs12 -export -passout pass: \
    | openssl base64 -A
}

# The host name of a URL: scheme, port and path dropped.
host_of() {
  local rest=${1#*://}
  rest=${rest%%/*}
  printf '%s' "${rest%%:*}"
}

app_exists() { [[ $DRY_RUN -eq 0 ]] && heroku apps:info -a "$1" >/dev/null 2>&1; }

config_get() { query "" heroku config:get "$1" -a "$2"; }

# Logs in to Heroku's registry with the CLI's token on stdin, so the token is never in argv or output.
registry_login() {
  printf '+ heroku auth:token | %s login --username=_ --password-stdin %s\n' "$BUILDER" "$REGISTRY"
  if [[ $DRY_RUN -eq 0 ]]; then
    heroku auth:token | "$BUILDER" login --username=_ --password-stdin "$REGISTRY"
  fi
}

# Heroku's registry accepts only Docker Image Manifest V2 Schema 2: no OCI media types, no attestation index.
build_and_push() {
  local dockerfile=$1 image="$REGISTRY/$2/web"
  if [[ $BUILDER == docker ]]; then
    run docker buildx build --platform linux/amd64 --provenance=false --sbom=false \
      --output "type=image,name=$image,push=true,oci-mediatypes=false" \
      -f "$dockerfile" .
    local manifest
    manifest=$(query '"mediaType": "application/vnd.docker.distribution.manifest.v2+json"' \
      docker buildx imagetools inspect --raw "$image")
    # One image manifest in Docker's media type; an index or manifest list means attestations or OCI slipped in.
    [[ $manifest == *'application/vnd.docker.distribution.manifest.v2+json'* \
      && $manifest != *'manifest.list.v2+json'* && $manifest != *'image.index.v1+json'* ]] \
      || die "$image was not pushed as a single Docker v2 manifest; Heroku would refuse it"
  else
    run buildah bud --platform linux/amd64 --format docker -f "$dockerfile" -t "$image" .
    run buildah push --format v2s2 "$image" "docker://$image"
  fi
}

# Waits (bounded) for the released app's readiness endpoint.
smoke_test() {
  local url="$1health"
  printf '+ curl -fsS --max-time 5 %s   (up to 20 tries)\n' "$url"
  [[ $DRY_RUN -eq 0 ]] || return 0
  for _ in $(seq 1 20); do
    if curl -fsS --max-time 5 "$url" >/dev/null 2>&1; then
      printf '    %s is healthy\n' "$url"
      return 0
    fi
    sleep 3
  done
  die "$url did not answer 200; see: heroku logs --tail -a ${2}"
}

if [[ $DRY_RUN -eq 0 ]]; then
  for tool in heroku openssl curl "$BUILDER"; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool is not installed"
  done
  heroku auth:whoami >/dev/null 2>&1 || die "log in first: heroku login"
else
  printf '# dry run: nothing is created, changed or pushed; queries answer with stand-ins\n'
fi

step "Apps on the container stack (only the web process type receives HTTP)"
for app in "$AUTH_APP" "$RESOURCE_APP"; do
  if app_exists "$app"; then
    run heroku stack:set container -a "$app"
  else
    create=(heroku apps:create "$app" --stack container)
    [[ -z $REGION ]] || create+=(--region "$REGION")
    [[ -z $TEAM ]] || create+=(--team "$TEAM")
    run "${create[@]}"
  fi
done

# New apps get a generated domain (<app>-<hash>.herokuapp.com): ask Heroku rather than guess.
AUTH_URL=$(query "web_url=https://$AUTH_APP.herokuapp.com/" heroku apps:info -a "$AUTH_APP" --shell | sed -n 's/^web_url=//p')
[[ -n $AUTH_URL ]] || die "could not read the web URL of $AUTH_APP"
[[ $AUTH_URL == */ ]] || AUTH_URL="$AUTH_URL/"
[[ -n $REDIRECT_URI ]] || REDIRECT_URI="${AUTH_URL}oauth2/success"

step "One Heroku Redis, attached to both apps as REDIS_URL"
if [[ $DRY_RUN -eq 1 ]] || ! heroku addons:info "$REDIS_ADDON" >/dev/null 2>&1; then
  run heroku addons:create "$REDIS_PLAN" -a "$AUTH_APP" --name "$REDIS_ADDON" --as REDIS --wait
  # Heroku's default, noeviction, answers every write with an error once the plan is full, and logins need writes.
  # volatile-ttl evicts the keys nearest their end first (cached validations), never a key without one (the Data
  # Protection keys); an evicted validation is simply asked of Salesforce again.
  run heroku redis:maxmemory "$REDIS_ADDON" --policy volatile-ttl -a "$AUTH_APP"
fi
if [[ -z $(config_get REDIS_URL "$RESOURCE_APP") ]]; then
  run heroku addons:attach "$REDIS_ADDON" -a "$RESOURCE_APP" --as REDIS
fi

step "Config vars"
CLIENT_ID=${CLIENT_ID:-$(config_get CLIENT_ID "$AUTH_APP")}
CLIENT_SECRET_ID=${CLIENT_SECRET_ID:-$(config_get CLIENT_SECRET_ID "$AUTH_APP")}
INTERNAL_API_KEY=${INTERNAL_API_KEY:-$(config_get INTERNAL_API_KEY "$AUTH_APP")}
if [[ $DRY_RUN -eq 1 ]]; then
  CLIENT_ID=${CLIENT_ID:-your-consumer-key}
  CLIENT_SECRET_ID=${CLIENT_SECRET_ID:-your-consumer-secret}
  INTERNAL_API_KEY=${INTERNAL_API_KEY:-generated-on-a-real-run}
fi
[[ -n $CLIENT_ID ]] || die "set CLIENT_ID to the connected app's consumer key"
[[ -n $CLIENT_SECRET_ID ]] || die "set CLIENT_SECRET_ID to the connected app's consumer secret"
[[ -n $INTERNAL_API_KEY ]] || INTERNAL_API_KEY=$(openssl rand -hex 32)
[[ ${#INTERNAL_API_KEY} -ge 16 ]] || die "INTERNAL_API_KEY must have at least 16 characters"
# A new certificate would make the keys in Redis unreadable (a login in progress starts again): keep the app's.
KEY_RING_CERTIFICATE=$(config_get DataProtection__Certificate "$AUTH_APP")
if [[ -z $KEY_RING_CERTIFICATE ]]; then
  if [[ $DRY_RUN -eq 1 ]]; then
    printf '+ openssl req -x509 -newkey rsa:3072 ... | openssl pkcs12 -export ... | openssl base64 -A   (new key-ring certificate)\n'
    KEY_RING_CERTIFICATE=generated-on-a-real-run
  else
    KEY_RING_CERTIFICATE=$(new_key_ring_certificate)
  fi
fi
[[ -n $KEY_RING_CERTIFICATE ]] || die "openssl could not make the key-ring certificate"
SECRETS=("$CLIENT_SECRET_ID" "$INTERNAL_API_KEY" "$KEY_RING_CERTIFICATE")

# Production refuses to start without the orgs whose tokens it accepts, unless any org is allowed on purpose.
if [[ $ALLOW_ANY_ORG -eq 0 ]]; then
  ALLOWED_ORG_IDS=${ALLOWED_ORG_IDS:-$(config_get Salesforce__AllowedOrgIds "$AUTH_APP")}
  [[ -n $ALLOWED_ORG_IDS ]] || die "name the orgs whose tokens are accepted: --allowed-org-ids 00D... (or --allow-any-org)"
fi

# The images set ASPNETCORE_FORWARDEDHEADERS_ENABLED too; the config var keeps it on for images built otherwise.
auth_vars=(
  ASPNETCORE_ENVIRONMENT=Production
  ASPNETCORE_FORWARDEDHEADERS_ENABLED=true
  "LOGIN_URL=$LOGIN_URL"
  "CLIENT_ID=$CLIENT_ID"
  "CLIENT_SECRET_ID=$CLIENT_SECRET_ID"
  "REDIRECT_URI=$REDIRECT_URI"
  "INTERNAL_API_KEY=$INTERNAL_API_KEY"
  "DataProtection__Certificate=$KEY_RING_CERTIFICATE"
  Salesforce__PasswordFlow=Disabled
)
# In production the AuthService answers only its redirect URI's host; its herokuapp.com name (the ResourceService's
# AUTH_SERVICE_URL, the smoke test) must be allowed too when the callback is on a custom domain.
if [[ $(host_of "$REDIRECT_URI") != "$(host_of "$AUTH_URL")" ]]; then
  auth_vars+=("AllowedHosts=$(host_of "$AUTH_URL")")
fi
if [[ $ALLOW_ANY_ORG -eq 1 ]]; then
  auth_vars+=(Salesforce__AllowAnyOrg=true)
else
  auth_vars+=("Salesforce__AllowedOrgIds=$ALLOWED_ORG_IDS" Salesforce__AllowAnyOrg=false)
fi
run_quiet heroku config:set -a "$AUTH_APP" "${auth_vars[@]}"
resource_vars=(
  ASPNETCORE_ENVIRONMENT=Production
  ASPNETCORE_FORWARDEDHEADERS_ENABLED=true
  "AUTH_SERVICE_URL=${AUTH_URL%/}"
  "INTERNAL_API_KEY=$INTERNAL_API_KEY"
)
# Gateway mode: YARP's ReverseProxy section as config vars; every route needs a valid token. The timeout stays
# under the router's 30 s, so a slow API gets the gateway's 504 with its JSON body rather than Heroku's H12.
if [[ -n $UPSTREAM_URL ]]; then
  resource_vars+=(
    ReverseProxy__Routes__upstream__ClusterId=upstream
    "ReverseProxy__Routes__upstream__Match__Path=$UPSTREAM_PATH"
    "ReverseProxy__Clusters__upstream__Destinations__upstream__Address=$UPSTREAM_URL"
    ReverseProxy__Clusters__upstream__HttpRequest__ActivityTimeout=00:00:25
  )
fi
run_quiet heroku config:set -a "$RESOURCE_APP" "${resource_vars[@]}"

if [[ $SKIP_BUILD -eq 0 ]]; then
  step "Build for linux/amd64 as Docker v2, push as web, release"
  registry_login
  build_and_push Dockerfile.auth "$AUTH_APP"
  build_and_push Dockerfile.resource "$RESOURCE_APP"
  # The AuthService first: the ResourceService validates every token through it.
  run heroku container:release web -a "$AUTH_APP"
  run heroku container:release web -a "$RESOURCE_APP"

  step "Smoke test"
  smoke_test "$AUTH_URL" "$AUTH_APP"
  RESOURCE_URL=$(query "web_url=https://$RESOURCE_APP.herokuapp.com/" heroku apps:info -a "$RESOURCE_APP" --shell | sed -n 's/^web_url=//p')
  [[ $RESOURCE_URL == */ ]] || RESOURCE_URL="$RESOURCE_URL/"
  smoke_test "$RESOURCE_URL" "$RESOURCE_APP"
fi

step "Done"
printf 'AuthService:     %s\n' "$AUTH_URL"
printf 'Connected app:   callback URL %s (exactly), Require PKCE, scopes api id refresh_token\n' "$REDIRECT_URI"
