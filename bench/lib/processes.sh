# Sourced by bench/run.sh and bench/jwt.sh: the processes they start and stop, the tools they need, the Release build.
# Expects root, work, logs, services and the functions log and die to be defined first.

# ---------------------------------------------------------------- processes we started
declare -A pid_of=()
cleanup() {
    local status=$?
    trap - EXIT INT TERM
    local name
    for name in "${!pid_of[@]}"; do stop_process "$name"; done
    [[ $status == 0 ]] || log "failed (exit $status); service logs are in ${logs#"$root/"}/"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# SIGTERM, then SIGKILL after 15 s; only ever the one pid we recorded.
stop_process() {
    local name="$1" pid="${pid_of[$1]:-}" i
    [[ -n $pid ]] || return 0
    unset "pid_of[$name]"
    kill -TERM "$pid" 2>/dev/null || return 0
    for ((i = 0; i < 150; i++)); do
        kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# start_service NAME PROJECT [VAR=value ...]: a published service with only the environment given here.
start_service() {
    local name="$1" project="$2"; shift 2
    mkdir -p "$work/home/$name"
    # From its own folder, as in the images (WORKDIR /app): the content root, where appsettings.json and
    # its log levels are read. Elsewhere every framework Information line would be logged per request.
    (cd "$work/$project" && exec env -i PATH="/usr/local/bin:/usr/bin:/bin" HOME="$work/home/$name" \
        DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 ${DOTNET_PerfMapEnabled:+DOTNET_PerfMapEnabled=$DOTNET_PerfMapEnabled} \
        ${DOTNET_EnableWriteXorExecute:+DOTNET_EnableWriteXorExecute=$DOTNET_EnableWriteXorExecute} \
        ${DOTNET_gcServer:+DOTNET_gcServer=$DOTNET_gcServer} ${DOTNET_GCConserveMemory:+DOTNET_GCConserveMemory=$DOTNET_GCConserveMemory} \
        "$@" dotnet "$project.dll") >>"$logs/$name.log" 2>&1 &
    pid_of[$name]=$!
}

wait_healthy() {
    local name="$1" url="$2" i
    for ((i = 0; i < 600; i++)); do
        curl -fsS -m 2 -o /dev/null "$url/health" 2>/dev/null && return 0
        kill -0 "${pid_of[$name]}" 2>/dev/null || die "$name exited at start: $(tail -5 "$logs/$name.log")"
        sleep 0.1
    done
    die "$name was not healthy within 60 s: $(tail -5 "$logs/$name.log")"
}

# ---------------------------------------------------------------- tools and build
# ensure_tools TOOL...: installs the missing ones with apt-get; curl, python3, dotnet and openssl must be there.
ensure_tools() {
    local missing=() tool
    for tool in "$@"; do command -v "$tool" >/dev/null || missing+=("$tool"); done
    for tool in curl python3 dotnet openssl; do command -v "$tool" >/dev/null || die "$tool is required"; done
    [[ ${#missing[@]} == 0 ]] && return 0
    log "installing ${missing[*]}"
    apt-get install -y "${missing[@]}" >"$logs/apt.log" 2>&1 \
        || { apt-get update >>"$logs/apt.log" 2>&1 && apt-get install -y "${missing[@]}" >>"$logs/apt.log" 2>&1; } \
        || die "could not install ${missing[*]} (see ${logs#"$root/"}/apt.log)"
}

# Publishes from a snapshot of the working tree, so concurrent builds never share obj/.
build_services() {
    local src="$work/src" project
    log "snapshotting the sources and publishing in Release"
    rm -rf "$src"
    mkdir -p "$src"
    tar -C "$root" --exclude=bin --exclude=obj -cf - Directory.Build.props Directory.Packages.props global.json \
        .editorconfig ServiceDefaults SalesforceIdentity.Contract SalesforceIdentity.AspNetCore "${services[@]}" | tar -C "$src" -xf -
    for project in "${services[@]}"; do
        rm -rf "${work:?}/$project"
        dotnet publish "$src/$project/$project.csproj" -c Release -o "$work/$project" -nologo -v quiet \
            >"$logs/publish-$project.log" 2>&1 || die "publishing $project failed: $(grep -m3 -E 'error' "$logs/publish-$project.log")"
    done
}

start_redis() {
    redis_port=$(free_port)
    redis-server --bind 127.0.0.1 --port "$redis_port" --save "" --appendonly no --protected-mode yes \
        --dir "$work" --logfile "$logs/redis.log" &
    pid_of[redis]=$!
    local i
    for ((i = 0; i < 100; i++)); do
        [[ $(redis-cli -p "$redis_port" ping 2>/dev/null) == PONG ]] && return 0
        sleep 0.1
    done
    die "redis-server did not answer"
}
