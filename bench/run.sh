#!/usr/bin/env bash
# The performance benchmark of issue 8: builds the services in Release, runs them outside Aspire on
# 127.0.0.1 (Redis, the emulator, the AuthService, two ResourceServices), measures every scenario
# several times, and writes bench/results.md and bench/latency.svg. See --help.
set -Eeuo pipefail

usage() {
    cat <<'EOF'
Usage: bench/run.sh [--quick] [--runs N] [--duration SECONDS] [--tokens N] [--no-build] [--serve SECONDS] [--help]

Builds AuthService, ResourceService and SalesforceEmulator in Release, starts redis-server, the
emulator, the AuthService and two ResourceService instances on 127.0.0.1, warms up, then runs:

  1. /secured (known token) vs / on one ResourceService: wrk, 64 connections, 2 threads
  2. /secured and / at a fixed 2,000 requests/s: hey -c 20 -q 100
  3. 50 concurrent first requests with one new token (one instance, then split over both):
     validation calls (introspection, or UserInfo for a password-grant token) that reach the emulator
  4. a revoke: time until each ResourceService instance answers 401
  5. memory of every process: private (RssAnon) and peak RSS (VmHWM)
  7. 10,000 distinct tokens minted at the emulator, each validated once on one ResourceService, then
     wrk cycling through them (bench/lib/rotate.lua) vs / with the same script; the AuthService's Redis
     bytes per cached validation
  8. gateway mode (issue 17): a third ResourceService with a ReverseProxy route to SampleUpstream;
     GET /api/hello with the known token through it vs the same request straight to SampleUpstream
  6. /secured with caching off (LocalCache__Enabled=false, TokenCache__MaxTtl=00:00:00, emulator
     answering 50 ms late): wrk as in 1, and hey as in 2

Each load scenario runs --runs times (medians are reported), one load generator at a time. With
dotnet-counters installed (dotnet tool install -g dotnet-counters), a short extra run of / and
/secured records allocations per request and GC pauses on the first ResourceService.

Options:
  --quick           smoke run: 1 run of 3 s per scenario (unless --runs/--duration are given)
  --runs N          runs per scenario (default 3)
  --duration S      seconds per load run (default 10)
  --tokens N        distinct tokens in scenario 7 (default 10000)
  --no-build        reuse the binaries under bench/work/ from an earlier run
  --serve S         measure nothing: start the system (caching on), write its URLs, pids and a
                    token to bench/work/serve.env, and keep it up S seconds (for dotnet-counters,
                    dotnet-trace or your own load)
  -h, --help        this text

Installs wrk, hey and redis-server with apt-get when they are missing. Writes bench/results.md,
bench/latency.svg, and the raw tool output under bench/work/raw/ (git-ignored). Stops every
process it started when it ends, however it ends.
EOF
}

runs="" duration="" quick=0 build=1 serve="" rotation_count=10000
while [[ $# -gt 0 ]]; do
    case "$1" in
        --quick) quick=1 ;;
        --runs) runs="${2:?--runs needs a number}"; shift ;;
        --duration) duration="${2:?--duration needs seconds}"; shift ;;
        --tokens) rotation_count="${2:?--tokens needs a number}"; shift ;;
        --no-build) build=0 ;;
        --serve) serve="${2:?--serve needs seconds}"; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done
if [[ $quick == 1 ]]; then runs="${runs:-1}"; duration="${duration:-3}"; fi
runs="${runs:-3}"
duration="${duration:-10}"
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "--runs must be a positive integer" >&2; exit 2; }
[[ $duration =~ ^[1-9][0-9]*$ ]] || { echo "--duration must be a positive integer" >&2; exit 2; }
[[ $rotation_count =~ ^[1-9][0-9]*$ ]] || { echo "--tokens must be a positive integer" >&2; exit 2; }
[[ -z $serve || $serve =~ ^[1-9][0-9]*$ ]] || { echo "--serve must be a positive integer" >&2; exit 2; }

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench="$root/bench"
work="$bench/work"
raw="$work/raw"
logs="$work/logs"
lib="$bench/lib"
services=(SalesforceEmulator AuthService ResourceService SampleUpstream)
api_key="bench-internal-api-key-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
client_id=local-client-id
client_secret=local-client-secret
warmup=$(( duration < 5 ? duration : 5 ))
# The first warm-up is longer: the JIT keeps recompiling hot code (tiered compilation, PGO) for about
# the first 20-30 s under load (perf showed libclrjit at 7-10% of a ResourceService's CPU until then),
# and a run measured before that point measures the JIT as much as the service.
settle=$(( quick == 1 ? warmup : 15 ))

log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# The processes started (stopped however the run ends), the tools, the Release build and redis-server.
source "$lib/processes.sh"

# ---------------------------------------------------------------- the system under test
start_emulator() {
    emulator_port=$(free_port) auth_port=$(free_port) rs1_port=$(free_port) rs2_port=$(free_port)
    emulator="http://127.0.0.1:$emulator_port" auth="http://127.0.0.1:$auth_port"
    rs1="http://127.0.0.1:$rs1_port" rs2="http://127.0.0.1:$rs2_port"
    redirect_uri="$auth/oauth2/success"
    # Loopback only: its test hooks and password flow must not face the network.
    # The default app also runs the client-credentials flow (as its run-as user, the demo user): scenario 7 mints its
    # tokens that way, since those are introspected as web-server-flow tokens are (a password-grant token minted at
    # Salesforce directly is a Session ID no AuthService obtained, and is refused, as it must be).
    start_service emulator SalesforceEmulator ASPNETCORE_URLS="$emulator" \
        Emulator__TestHooks=true Emulator__CallbackUrl="$redirect_uri" \
        Emulator__Apps__0__ClientId="$client_id" Emulator__Apps__0__ClientSecret="$client_secret" \
        Emulator__Apps__0__CallbackUrls__0="$redirect_uri" Emulator__Apps__0__ClientCredentialsUser=demo@example.com
    wait_healthy emulator "$emulator"
}

# start_services [VAR=value ...]: the AuthService and two ResourceServices; extra settings go to all three.
start_services() {
    local cache="127.0.0.1:$redis_port"
    # Production (issue 14) needs the org allow-list (the emulator's org) and a certificate for the key ring.
    [[ -n ${keyring_certificate:-} ]] || keyring_certificate=$(openssl req -x509 -newkey rsa:3072 -sha256 -days 30 -nodes \
        -subj "/CN=bench key ring" -keyout - -out - 2>/dev/null | openssl pkcs12 -export -passout pass: | openssl base64 -A)
    start_service auth AuthService PORT="$auth_port" LOGIN_URL="$emulator" CLIENT_ID="$client_id" \
        CLIENT_SECRET_ID="$client_secret" REDIRECT_URI="$redirect_uri" Salesforce__PasswordFlow=Enabled \
        Salesforce__AllowedOrgIds=00D5g000004ABCD DataProtection__Certificate="$keyring_certificate" \
        INTERNAL_API_KEY="$api_key" ConnectionStrings__cache="$cache" "$@"
    wait_healthy auth "$auth"
    local n port
    for n in 1 2; do
        port="rs${n}_port"
        start_service "rs$n" ResourceService PORT="${!port}" AUTH_SERVICE_URL="$auth" INTERNAL_API_KEY="$api_key" \
            ConnectionStrings__cache="$cache" "$@"
    done
    wait_healthy rs1 "$rs1"
    wait_healthy rs2 "$rs2"
}

stop_services() { stop_process rs1; stop_process rs2; stop_process auth; }

new_token() {
    curl -fsS -m 10 -X POST "$auth/oauth2/login" -d username=demo@example.com -d password=demo-password \
        | python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])'
}

expect_status() {
    local want="$1" url="$2" token="$3" got
    got=$(curl -s -m 10 -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$url")
    [[ $got == "$want" ]] || die "$url answered $got, expected $want"
}

# ---------------------------------------------------------------- measurements
# name pid utime+stime (clock ticks) for every process we started, and the machine's busy/total ticks.
cpu_snapshot() {
    local name
    for name in "${!pid_of[@]}"; do
        [[ -r /proc/${pid_of[$name]}/stat ]] || continue
        # Fields after the ")" of the command: utime and stime are the 12th and 13th.
        printf '%s %s\n' "$name" "$(sed 's/^.*) //' "/proc/${pid_of[$name]}/stat" | awk '{print $12 + $13}')"
    done
    awk '/^cpu / {print "machine_busy", $2 + $3 + $4 + $7 + $8 + $9; print "machine_total", $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9}' /proc/stat
}

# cpu_delta BEFORE AFTER OUT LOADGEN_SECONDS: CPU use over a run in % of one core, per process we
# started, for the load generator, and for the whole machine (the rest is other processes and the kernel).
cpu_delta() {
    awk -v hz="$(getconf CLK_TCK)" -v cores="$(nproc)" -v loadgen="$4" '
        NR == FNR { before[$1] = $2; next }
        { after[$1] = $2 }
        END {
            total = (after["machine_total"] - before["machine_total"]) / cores
            if (total <= 0) total = 1
            for (k in after) if (k !~ /^machine_/ && (k in before))
                printf "%s %.1f\n", k, 100 * (after[k] - before[k]) / total
            printf "loadgen %.1f\n", 100 * loadgen * hz / total
            printf "machine %.1f\n", 100 * (after["machine_busy"] - before["machine_busy"]) / total
        }' "$1" "$2" >"$3"
}

# Sets children_seconds: CPU seconds (user + system) of this shell's finished children; taken around a
# load run, the load generator's. `times` must run in this shell: a subshell has no finished children.
children_cpu() {
    times >"$work/times.txt"
    children_seconds=$(awk 'NR == 2 {
        n = split($1 " " $2, t, " "); s = 0
        for (i = 1; i <= n; i++) { split(t[i], p, "m"); sub(/s$/, "", p[2]); s += p[1] * 60 + p[2] }
        print s }' "$work/times.txt")
}

# Other processes (a build, a test run) would skew every number: wait, at most 45 s, until they use under
# a quarter of a core, and note it in the results when they never do.
wait_quiet() {
    local label="$1" i busy
    for ((i = 0; i < 45; i++)); do
        cpu_snapshot >"$work/quiet.before"
        sleep 1
        cpu_snapshot >"$work/quiet.after"
        cpu_delta "$work/quiet.before" "$work/quiet.after" "$work/quiet.cpu" 0
        busy=$(awk '$1 == "machine" {m = $2} $1 != "machine" && $1 != "loadgen" {s += $2} END {printf "%d", m - s}' "$work/quiet.cpu")
        (( busy < 25 )) && return 0
        (( i == 0 )) && log "other processes use ${busy}% of a core; waiting up to 45 s for a quiet machine"
    done
    log "the machine stayed busy (${busy}% of a core) before $label"
    echo "$label $busy" >>"$raw/busy.txt"
}
record_rss() {
    local phase="$1" name
    for name in "${!pid_of[@]}"; do
        awk -v n="$name" -v p="$phase" '/^(VmHWM|VmRSS|RssAnon|RssFile|RssShmem):/ {v[$1] = $2}
            END {print p, n, v["VmHWM:"], v["VmRSS:"], v["RssAnon:"], v["RssFile:"], v["RssShmem:"]}' \
            "/proc/${pid_of[$name]}/status"
    done >>"$raw/rss.txt"
}

# wrk_run OUT URL [TOKEN]: 64 connections, 2 threads, with CPU use alongside.
wrk_run() {
    local out="$1" url="$2" token="${3:-}" args=(-t2 -c64 -d"${duration}s" --latency --timeout 10s)
    [[ -n $token ]] && args+=(-H "Authorization: Bearer $token")
    wait_quiet "$(basename "$out" .txt)"
    children_cpu
    local before_children=$children_seconds
    cpu_snapshot >"$work/cpu.before"
    timeout $((duration + 30)) wrk "${args[@]}" "$url" >"$out" 2>&1 || die "wrk failed: $(tail -3 "$out")"
    cpu_snapshot >"$work/cpu.after"
    children_cpu
    cpu_delta "$work/cpu.before" "$work/cpu.after" "${out%.txt}.cpu" "$(awk -v a="$before_children" -v b="$children_seconds" 'BEGIN {print b - a}')"
}

# wrk_rotate OUT URL SECONDS [TOKENS_FILE]: as wrk_run, through bench/lib/rotate.lua: one token of the file per
# request, cycling; without a file the same script sends no token (the fair baseline: the same Lua cost per request).
# With tokens it starts at once: a wait for a quiet machine longer than an entry's life would let the tokens expire
# and measure their re-validation instead.
wrk_rotate() {
    local out="$1" url="$2" seconds="$3" tokens="${4:-}" args=(-t2 -c64 -d"${3}s" --latency --timeout 10s -s "$lib/rotate.lua")
    [[ -n $tokens ]] || wait_quiet "$(basename "$out" .txt)"
    children_cpu
    local before_children=$children_seconds
    cpu_snapshot >"$work/cpu.before"
    timeout $((seconds + 30)) wrk "${args[@]}" "$url" ${tokens:+-- "$tokens"} >"$out" 2>&1 || die "wrk failed: $(tail -3 "$out")"
    cpu_snapshot >"$work/cpu.after"
    children_cpu
    cpu_delta "$work/cpu.before" "$work/cpu.after" "${out%.txt}.cpu" "$(awk -v a="$before_children" -v b="$children_seconds" 'BEGIN {print b - a}')"
}

redis_used_memory() { redis-cli -p "$redis_port" info memory | tr -d '\r' | awk -F: '/^used_memory:/ {print $2}'; }
redis_token_keys() { redis-cli -p "$redis_port" --scan --pattern 'v1:tok:*' | wc -l; }
# Redis's own account of one key (MEMORY USAGE), averaged over up to 200 v1:tok:* keys.
redis_bytes_per_token_key() {
    redis-cli -p "$redis_port" --scan --pattern 'v1:tok:*' | head -200 | while read -r key; do
        redis-cli -p "$redis_port" memory usage "$key"
    done | awk '{ sum += $1; n++ } END { print n ? int(sum / n) : 0 }'
}

# hey_run OUT URL [TOKEN]: a fixed 2,000 requests/s (20 workers at 100/s each).
hey_run() {
    local out="$1" url="$2" token="${3:-}" args=(-z "${duration}s" -c 20 -q 100 -t 10)
    [[ -n $token ]] && args+=(-H "Authorization: Bearer $token")
    wait_quiet "$(basename "$out" .txt)"
    children_cpu
    local before_children=$children_seconds
    cpu_snapshot >"$work/cpu.before"
    timeout $((duration + 30)) hey "${args[@]}" "$url" >"$out" 2>&1 || die "hey failed: $(tail -3 "$out")"
    cpu_snapshot >"$work/cpu.after"
    children_cpu
    cpu_delta "$work/cpu.before" "$work/cpu.after" "${out%.txt}.cpu" "$(awk -v a="$before_children" -v b="$children_seconds" 'BEGIN {print b - a}')"
}

# counters_run OUT URL [TOKEN]: a short wrk run on rs1 with dotnet-counters attached, for allocations per
# request and GC pauses. Not one of the measured runs (the observer costs a little); skipped without the tool.
counters_run() {
    local out="$1" url="$2" token="${3:-}" tool args=(-t2 -c64 -d"${warmup}s")
    tool=$(command -v dotnet-counters || echo "$HOME/.dotnet/tools/dotnet-counters")
    [[ -x $tool ]] || return 0
    [[ -n $token ]] && args+=(-H "Authorization: Bearer $token")
    rm -f "$out.csv"
    timeout $((warmup + 30)) "$tool" collect -p "${pid_of[rs1]}" --counters System.Runtime --refresh-interval 1 \
        --duration "00:00:00:$((warmup + 3))" --format csv -o "$out.csv" >/dev/null 2>&1 &
    local observer=$!
    sleep 1.5
    timeout $((warmup + 30)) wrk "${args[@]}" "$url" >"$out.txt" 2>&1 || true
    wait "$observer" 2>/dev/null || true
}

emulator_count() {
    curl -fsS -m 10 "$emulator/_emulator/requests?path=$1" | python3 -c 'import json, sys; print(len(json.load(sys.stdin)))'
}

machine_info() {
    python3 - "$raw/machine.json" <<EOF
import json, platform, subprocess, sys
def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=20).stdout.strip()
    except Exception:
        return ""
info = {
    "date": sh("date -u +'%Y-%m-%d %H:%M UTC'"),
    "cores": sh("nproc"),
    "cpu": sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-").strip(),
    "memory_mb": int(sh("awk '/MemTotal/ {print \$2}' /proc/meminfo") or 0) // 1024,
    "os": sh(". /etc/os-release && echo \"\$PRETTY_NAME\""),
    "kernel": platform.release(),
    "dotnet_sdk": sh("dotnet --version"),
    "aspnetcore": sh("dotnet --list-runtimes | awk '/AspNetCore/ {v=\$2} END {print v}'"),
    "wrk": sh("wrk -v 2>&1 | head -1 | cut -d' ' -f1-2"),
    "hey": sh("dpkg-query -W -f='\${Version}' hey 2>/dev/null"),
    "redis": sh("redis-server --version | cut -d' ' -f3"),
    "commit": sh("git -C '$root' rev-parse --short HEAD"),
    "dirty": sh("git -C '$root' status --porcelain -- ServiceDefaults SalesforceIdentity.Contract SalesforceIdentity.AspNetCore AuthService ResourceService SalesforceEmulator | wc -l"),
    "local_cache_in_code": bool(sh("grep -rl LocalCache '$root/ResourceService' '$root/SalesforceIdentity.AspNetCore' --include=*.cs")),
    "runs": $runs,
    "duration": $duration,
    "settle": $settle,
    "quick": bool($quick),
}
json.dump(info, open(sys.argv[1], "w"), indent=2)
EOF
}

# Scenario 8 (issue 17): a third ResourceService in gateway mode (YARP, the ReverseProxy section as environment
# variables, as on Heroku) in front of SampleUpstream, against the same request sent straight to SampleUpstream.
# The token is known, so the gateway's check is an in-process cache hit: the ratio is the cost of the hop.
gateway_scenario() {
    local upstream_port gw_port i
    upstream_port=$(free_port) gw_port=$(free_port)
    upstream="http://127.0.0.1:$upstream_port" gw="http://127.0.0.1:$gw_port"
    start_service upstream SampleUpstream PORT="$upstream_port"
    wait_healthy upstream "$upstream"
    start_service gw ResourceService PORT="$gw_port" AUTH_SERVICE_URL="$auth" INTERNAL_API_KEY="$api_key" \
        ConnectionStrings__cache="127.0.0.1:$redis_port" ReverseProxy__Routes__api__ClusterId=upstream \
        'ReverseProxy__Routes__api__Match__Path=/api/{**catch-all}' \
        ReverseProxy__Clusters__upstream__Destinations__one__Address="$upstream"
    wait_healthy gw "$gw"
    expect_status 200 "$gw/api/hello" "$token"
    expect_status 401 "$gw/api/hello" "not-a-real-token"
    log "scenario 8: warming up the gateway and the upstream (${settle} s each)"
    timeout $((settle + 30)) wrk -t2 -c64 -d"${settle}s" -H "Authorization: Bearer $token" "$upstream/api/hello" >>"$raw/warmup.txt" 2>&1
    timeout $((settle + 30)) wrk -t2 -c64 -d"${settle}s" -H "Authorization: Bearer $token" "$gw/api/hello" >>"$raw/warmup.txt" 2>&1
    for ((i = 1; i <= runs; i++)); do
        log "scenario 8, run $i/$runs: /api/hello straight to the upstream and through the gateway at 64 connections"
        if (( i % 2 )); then
            wrk_run "$raw/s8-direct-$i.txt" "$upstream/api/hello" "$token"
            wrk_run "$raw/s8-proxied-$i.txt" "$gw/api/hello" "$token"
        else
            wrk_run "$raw/s8-proxied-$i.txt" "$gw/api/hello" "$token"
            wrk_run "$raw/s8-direct-$i.txt" "$upstream/api/hello" "$token"
        fi
    done
    record_rss gateway
    stop_process gw
    stop_process upstream
}

# ---------------------------------------------------------------- the run
mkdir -p "$work" "$logs"
# --serve leaves the last measurement's raw output alone. Service logs are appended to (a restart keeps the
# earlier phase's lines), so a new run starts them afresh.
[[ -n $serve ]] || rm -rf "$raw" "$logs"/*.log
mkdir -p "$raw"
ensure_tools wrk hey redis-server
[[ $build == 1 ]] && build_services
for project in "${services[@]}"; do
    [[ -f $work/$project/$project.dll ]] || die "$project is not built (run without --no-build)"
done
[[ -n $serve ]] || machine_info

log "starting redis-server, the emulator, the AuthService and two ResourceServices"
start_redis
start_emulator
start_services
token=$(new_token)
expect_status 200 "$rs1/secured" "$token"
expect_status 200 "$rs2/secured" "$token"
expect_status 401 "$rs1/secured" "not-a-real-token"

if [[ -n $serve ]]; then
    {
        printf 'RS1=%s\nRS2=%s\nAUTH=%s\nEMULATOR=%s\nTOKEN=%s\n' "$rs1" "$rs2" "$auth" "$emulator" "$token"
        for name in "${!pid_of[@]}"; do printf 'PID_%s=%s\n' "${name^^}" "${pid_of[$name]}"; done
    } >"$work/serve.env"
    log "serving for $serve s; URLs, pids and a token in ${work#"$root/"}/serve.env"
    sleep "$serve"
    exit 0
fi

log "warming up (${settle} s per instance and route)"
for url in "$rs1" "$rs2"; do
    timeout $((settle + 30)) wrk -t2 -c64 -d"${settle}s" "$url/" >"$raw/warmup.txt" 2>&1
    timeout $((settle + 30)) wrk -t2 -c64 -d"${settle}s" -H "Authorization: Bearer $token" "$url/secured" >>"$raw/warmup.txt" 2>&1
done
timeout $((warmup + 30)) hey -z "${warmup}s" -c 20 -q 100 -H "Authorization: Bearer $token" "$rs1/secured" >>"$raw/warmup.txt" 2>&1

for ((i = 1; i <= runs; i++)); do
    log "scenario 1, run $i/$runs: / and /secured at 64 connections"
    # Alternate the order so a drift over the run does not favour one route.
    if (( i % 2 )); then
        wrk_run "$raw/s1-plain-$i.txt" "$rs1/"
        wrk_run "$raw/s1-secured-$i.txt" "$rs1/secured" "$token"
    else
        wrk_run "$raw/s1-secured-$i.txt" "$rs1/secured" "$token"
        wrk_run "$raw/s1-plain-$i.txt" "$rs1/"
    fi
done

for ((i = 1; i <= runs; i++)); do
    log "scenario 2, run $i/$runs: / and /secured at 2,000 requests/s"
    hey_run "$raw/s2-secured-$i.txt" "$rs1/secured" "$token"
    hey_run "$raw/s2-plain-$i.txt" "$rs1/"
done

for ((i = 1; i <= runs; i++)); do
    log "scenario 3, run $i/$runs: 50 concurrent first requests with a new token"
    fresh=$(new_token)
    python3 "$lib/probe.py" burst --resource "$rs1" --emulator "$emulator" --token "$fresh" --requests 50 \
        >"$raw/s3-one-$i.json"
    fresh=$(new_token)
    python3 "$lib/probe.py" burst --resource "$rs1" --resource "$rs2" --emulator "$emulator" --token "$fresh" \
        --requests 50 >"$raw/s3-split-$i.json"
done

for ((i = 1; i <= runs; i++)); do
    log "scenario 4, run $i/$runs: revoke, then poll both instances"
    fresh=$(new_token)
    python3 "$lib/probe.py" revoke --resource "$rs1" --resource "$rs2" --auth "$auth" --token "$fresh" \
        --max-wait 5 >"$raw/s4-$i.json"
done

if command -v dotnet-counters >/dev/null || [[ -x $HOME/.dotnet/tools/dotnet-counters ]]; then
    log "where the time goes: / and /secured on rs1 with dotnet-counters attached"
    counters_run "$raw/counters-plain" "$rs1/"
    counters_run "$raw/counters-secured" "$rs1/secured" "$token"
fi

record_rss cached
redis-cli -p "$redis_port" info memory | tr -d '\r' | awk -F: '/^used_memory_rss:/ {print "cached redis-info", int($2 / 1024)}' >>"$raw/rss-redis.txt"

log "scenario 7: $rotation_count distinct tokens, minted at the emulator, each validated once on rs1"
tokens_file="$work/tokens.txt"
python3 "$lib/probe.py" mint --emulator "$emulator" --count "$rotation_count" --out "$tokens_file" >"$raw/s7-mint.json"
memory_before=$(redis_used_memory) keys_before=$(redis_token_keys)
# At most 150 new tokens a second: the AuthService takes at most 200 validations a second to Salesforce (per instance).
python3 "$lib/probe.py" warm --resource "$rs1" --tokens "$tokens_file" --workers 8 --rate 150 >"$raw/s7-warm.json"
memory_after=$(redis_used_memory) keys_after=$(redis_token_keys)
printf '{"used_memory_before": %s, "used_memory_after": %s, "token_keys_before": %s, "token_keys_after": %s, "memory_usage_per_key": %s}\n' \
    "$memory_before" "$memory_after" "$keys_before" "$keys_after" "$(redis_bytes_per_token_key)" >"$raw/s7-redis.json"
record_rss tokens-validated
# One run, right after the validations, as users who keep coming: longer than an entry's 30 s life, so the entries
# in use are refreshed ahead of their end while it runs. The baseline runs after it.
rotation_seconds=$(( runs * duration > 40 ? runs * duration : 40 ))
log "scenario 7: /secured cycling through $rotation_count tokens at 64 connections for $rotation_seconds s"
wrk_rotate "$raw/s7-rotate-1.txt" "$rs1/secured" "$rotation_seconds" "$tokens_file"
record_rss tokens-rotated
for ((i = 1; i <= runs; i++)); do
    log "scenario 7, run $i/$runs: / through the same script"
    wrk_rotate "$raw/s7-plain-$i.txt" "$rs1/" "$duration"
done

gateway_scenario

log "scenario 6: restarting with caching off and the emulator 50 ms late"
stop_services
start_services LocalCache__Enabled=false TokenCache__MaxTtl=00:00:00
# A token never validated before: the Redis entries written in the cached phase would still be read.
token=$(new_token)
curl -fsS -m 10 -o /dev/null -X POST "$emulator/_emulator/faults" -H 'Content-Type: application/json' \
    -d '{"latencyMs":50,"statusCode":null,"path":"/services/oauth2/","count":null}'
expect_status 200 "$rs1/secured" "$token"
timeout $((warmup + 30)) wrk -t2 -c64 -d"${warmup}s" -H "Authorization: Bearer $token" "$rs1/secured" >>"$raw/warmup.txt" 2>&1
for ((i = 1; i <= runs; i++)); do
    log "scenario 6, run $i/$runs: /secured uncached at 64 connections, then at 2,000 requests/s offered"
    # The emulator keeps the last 10,000 requests: clear it so the count covers this run only.
    curl -fsS -m 10 -o /dev/null -X DELETE "$emulator/_emulator/requests"
    wrk_run "$raw/s6-secured-$i.txt" "$rs1/secured" "$token"
    printf '{"introspect": %s, "userinfo": %s}\n' "$(emulator_count /services/oauth2/introspect)" \
        "$(emulator_count /services/oauth2/userinfo)" >"$raw/s6-calls-$i.json"
    hey_run "$raw/s6-rate-$i.txt" "$rs1/secured" "$token"
done
curl -fsS -m 10 -o /dev/null -X DELETE "$emulator/_emulator/faults"
record_rss uncached

stop_services
log "writing bench/results.md and bench/latency.svg"
python3 "$lib/report.py" "$raw" "$bench/results.md" "$bench/latency.svg"
log "done: bench/results.md"
