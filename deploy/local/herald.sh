#!/usr/bin/env bash
# Runs the Herald suite on this machine without Docker: a local redis-server, a local ZooKeeper (Debian's
# zookeeper package) and every service as a process (on the newest JDK present, with generational ZGC
# where it exists). Config (apps, IP blacklist) lives in ZooKeeper, edited through the config-server.
#
#   deploy/local/herald.sh demo     start everything, connect a demo device, push to it with signed curl requests, post to a room,
#                                   show the device's uplink reach the demo app's callback (the uplink receiver), and a
#                                   TLS handshake on the device port (a local CA and certificate made with openssl in run/tls)
#   deploy/local/herald.sh start    start everything (builds the jars first when they are missing)
#   deploy/local/herald.sh stop     stop everything this script started
#   deploy/local/herald.sh status   show what runs
#   deploy/local/herald.sh test     run every test (installs redis-server when missing): mvn -B verify
#
# Ports (override with env): push-api 8080, dispatcher 8082, saver 8083, access-1 8084 + TCP 7070,
# access-2 8085 + TCP 7071, chatroom-service 8086, config-server 8090, redis 6390 and ZooKeeper 2191 (their own instances,
# data in deploy/local/run/), and 8087 for the demo app's uplink receiver: the app server's side of uplinks,
# which verifies each callback's signature and prints it to run/logs/uplink-receiver.log (the demo app's
# callbackUrl points at it). Each service's management port (health, metrics, pools, profiles) is its
# HTTP port + 1000: 9080, 9082, 9083, 9084, 9085, 9086, 9090 (docs/operations.md).
# HERALD_PORT_OFFSET=N moves every port by N and HERALD_RUN_DIR=dir keeps data, logs and pids elsewhere:
# together they run a second suite beside the first (the e2e test of this script does).
# HERALD_START_TIMEOUT=S: how long start waits for each service's health (default 300 s).
# JVM flags (docs/performance.md#footprint; sizing for more connections: docs/operations.md, "Sizing"):
# HERALD_GC_OPTS / HERALD_SMALL_GC_OPTS replace the GC setups of deploy/local/jdk.sh, HERALD_LOW_PAUSE_HEAP /
# HERALD_SMALL_HEAP the heap flags of the ZGC / Serial services (see jvm_opts), HERALD_JVM_OPTS is added
# last to every service (the last of a repeated flag wins), HERALD_ZOOKEEPER_JVMFLAGS replaces ZooKeeper's.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
RUN=${HERALD_RUN_DIR:-$ROOT/deploy/local/run}
# Every port below moves by HERALD_PORT_OFFSET (default 0), so a second suite (or a test) can run beside the first.
OFFSET=${HERALD_PORT_OFFSET:-0}
LOGS="$RUN/logs"
PIDS="$RUN/pids"
REDIS_PORT=${HERALD_REDIS_PORT:-$((6390 + OFFSET))}
API_PORT=${HERALD_API_PORT:-$((8080 + OFFSET))}
DISPATCHER_PORT=$((8082 + OFFSET))
SAVER_PORT=$((8083 + OFFSET))
ACCESS1_PORT=$((8084 + OFFSET))
ACCESS2_PORT=$((8085 + OFFSET))
CHATROOM_PORT=$((8086 + OFFSET))
CONFIG_PORT=$((8090 + OFFSET))
UPLINK_PORT=$((8087 + OFFSET))
UPLINK_URL="http://127.0.0.1:$UPLINK_PORT/uplinks"
DEVICE1_PORT=$((7070 + OFFSET))
DEVICE2_PORT=$((7071 + OFFSET))
ZK_PORT=${HERALD_ZOOKEEPER_PORT:-$((2191 + OFFSET))}
ZK="127.0.0.1:$ZK_PORT"
ADMIN_TOKEN=${HERALD_ADMIN_TOKEN:-herald-admin-change-me}
APP_KEY=demo-key
APP_SECRET=demo-secret-0123456789
# shellcheck source=jdk.sh
. "$ROOT/deploy/local/jdk.sh"

say() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }

need_redis() {
  if command -v redis-server >/dev/null 2>&1; then return; fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing redis-server (apt-get)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
    # The Debian package may start its own server on 6379; Herald runs its own instance on $REDIS_PORT.
  else
    echo "redis-server is missing. Install it with: sudo apt-get install -y redis-server" >&2
    exit 1
  fi
}

need_zookeeper() {
  if [ -x /usr/share/zookeeper/bin/zkServer.sh ]; then return; fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing zookeeper (apt-get)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq zookeeper >/dev/null
  else
    echo "ZooKeeper is missing. Install it with: sudo apt-get install -y zookeeper" >&2
    exit 1
  fi
}

jar_of() { ls "$ROOT/$1"/target/"$1"-*-exec.jar 2>/dev/null | head -n1; }

need_jars() {
  local m missing=0
  for m in config-server saver-service dispatcher-service access-service chatroom-service push-api demo-device; do
    [ -n "$(jar_of $m)" ] || missing=1
  done
  if [ "$missing" = 1 ] || [ "${HERALD_BUILD:-0}" = 1 ]; then
    command -v mvn >/dev/null || { echo "Maven is missing: apt-get install -y maven" >&2; exit 1; }
    say "building the jars (mvn -DskipTests package)"
    (cd "$ROOT" && mvn -B -q -DskipTests package)
  fi
}

running() { [ -f "$PIDS/$1" ] && kill -0 "$(cat "$PIDS/$1")" 2>/dev/null; }

wait_http() { # name url
  # Six Spring Boot services starting at once on a 2-core laptop take about a minute each (measured:
  # 50-65 s); a busy machine (a build beside it) takes longer. HERALD_START_TIMEOUT is in seconds.
  local deadline=$((SECONDS + ${HERALD_START_TIMEOUT:-300}))
  while [ "$SECONDS" -lt "$deadline" ]; do
    if curl -fs -o /dev/null --max-time 5 "$2"; then return 0; fi
    if ! running "$1"; then echo "$1 died; last log lines:" >&2; tail -n 40 "$LOGS/$1.log" >&2; exit 1; fi
    sleep 0.5
  done
  echo "$1 not ready at $2 after ${HERALD_START_TIMEOUT:-300} s (HERALD_START_TIMEOUT); health said: $(curl -s --max-time 5 "$2")" >&2
  echo "last lines of $LOGS/$1.log:" >&2; tail -n 40 "$LOGS/$1.log" >&2; exit 1
}

management_port() { echo $(($1 + 1000)); }

# JVM flags by service class, each sized from measurement (docs/performance.md#footprint).
#  low-pause: the access nodes (device connections), push-api and the dispatcher (the unicast latency path):
#             ZGC, sub-millisecond pauses. Serial paused push-api for up to 0.55 s under a flat-out unicast run.
#             An access node's live heap grows with connections (≈ 40 MB + 2.5 KB each): SoftMaxHeapSize is
#             where ZGC starts collecting harder, -Xmx the hard ceiling (docs/operations.md, "Sizing").
#  small:     the saver and chatroom-service: Serial GC, whose compressed oops halve the live heap and which
#             needs no concurrent GC threads; pauses of a few ms to tens of ms do not hold a device's delivery.
#  admin:     the config-server (admin requests, the ops console): Serial and C1 only (half the code cache).
# -Xms32m everywhere: the heap starts at about an idle service's live set and grows under load.
jvm_opts() { # class
  case $1 in
    low-pause) echo "$HERALD_GC_OPTS ${HERALD_LOW_PAUSE_HEAP:--Xms32m -Xmx512m -XX:SoftMaxHeapSize=128m} ${HERALD_JVM_OPTS:-}" ;;
    small) echo "$HERALD_SMALL_GC_OPTS ${HERALD_SMALL_HEAP:--Xms32m -Xmx512m} ${HERALD_JVM_OPTS:-}" ;;
    admin) echo "$HERALD_SMALL_GC_OPTS ${HERALD_SMALL_HEAP:--Xms32m -Xmx512m} -XX:TieredStopAtLevel=1 ${HERALD_JVM_OPTS:-}" ;;
  esac
}

start_service() { # name module class http-port args...
  local name=$1 module=$2 class=$3 port=$4; shift 4
  if running "$name"; then say "$name already running (pid $(cat "$PIDS/$name"))"; return; fi
  # shellcheck disable=SC2046
  # GC pauses and safepoints go to <name>-gc.log (two files of 20 MB at most): push-bench --gc-log reads them.
  nohup "$HERALD_JAVA" $(jvm_opts "$class") \
    -Xlog:gc,gc+phases,safepoint:file="$LOGS/$name-gc.log":uptime,tags:filecount=2,filesize=20m \
    -jar "$(jar_of "$module")" \
    --server.port="$port" --management.server.port="$(management_port "$port")" \
    --spring.data.redis.port="$REDIS_PORT" --herald.zookeeper.connect-string="$ZK" \
    --herald.ops.node="$name" --herald.ops.advertised-host=127.0.0.1 \
    --herald.ops.profiling.directory="$RUN/profiles" \
    "$@" >"$LOGS/$name.log" 2>&1 &
  echo $! >"$PIDS/$name"
}

# A local CA and a certificate of the access nodes for localhost / 127.0.0.1 (EC P-256: made in milliseconds),
# kept in $RUN/tls across runs; the nodes take TLS on their device ports with it (docs/protocol.md#tls).
TLS_DIR=$RUN/tls
make_tls_certificates() {
  command -v openssl >/dev/null 2>&1 || return 1
  [ -s "$TLS_DIR/node.pem" ] && [ -s "$TLS_DIR/node.key" ] && [ -s "$TLS_DIR/ca.pem" ] && return 0
  mkdir -p "$TLS_DIR"
  (
    cd "$TLS_DIR" || exit 1
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key -out ca.pem \
      -days 365 -subj "/CN=Herald local CA" &&
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout node.key -out node.csr -subj "/CN=localhost" &&
    printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >node.ext &&
    openssl x509 -req -in node.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 365 -extfile node.ext -out node.pem
  ) >"$LOGS/tls-certificates.log" 2>&1
}

start() {
  herald_pick_java
  need_redis
  need_zookeeper
  need_jars
  mkdir -p "$LOGS" "$PIDS" "$RUN/redis" "$RUN/zookeeper"
  say "JDK $HERALD_JAVA_MAJOR at $HERALD_JAVA (ZGC services: $(jvm_opts low-pause); Serial services: $(jvm_opts small))"
  if ! running redis; then
    # fsync before every answer: a message push-api accepted survives a crash (docs/reliability.md).
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$RUN/redis" --appendonly yes \
      --appendfsync always --daemonize no >"$LOGS/redis.log" 2>&1 &
    echo $! >"$PIDS/redis"
    for _ in $(seq 1 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
  fi
  if ! running zookeeper; then
    printf 'tickTime=2000\ndataDir=%s\nclientPort=%s\nclientPortAddress=127.0.0.1\nadmin.enableServer=false\n4lw.commands.whitelist=ruok\n' \
      "$RUN/zookeeper" "$ZK_PORT" >"$RUN/zoo.cfg"
    # ZooKeeper holds a few KB of config here (≈5 MB live heap): a small Serial heap and C1 only.
    SERVER_JVMFLAGS=${HERALD_ZOOKEEPER_JVMFLAGS:--Xms16m -Xmx64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1} \
      ZOO_LOG_DIR="$LOGS" nohup /usr/share/zookeeper/bin/zkServer.sh start-foreground "$RUN/zoo.cfg" >"$LOGS/zookeeper.log" 2>&1 &
    echo $! >"$PIDS/zookeeper"
    for _ in $(seq 1 100); do
      [ "$(echo ruok | timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$ZK_PORT; cat >&3; cat <&3" 2>/dev/null)" = imok ] && break
      sleep 0.2
    done
  fi
  # The config-server seeds the config tree (demo app, empty blacklist) on first start.
  start_service config-server config-server admin "$CONFIG_PORT" --herald.config-server.zookeeper.connect-string="$ZK" \
    --herald.config-server.admin-token="$ADMIN_TOKEN"
  wait_http config-server "http://127.0.0.1:$(management_port "$CONFIG_PORT")/actuator/health"
  start_uplink_receiver
  demo_callback_url
  local saver="http://127.0.0.1:$SAVER_PORT" tls=()
  if make_tls_certificates; then
    tls=(--herald.access.tls.certificate="$TLS_DIR/node.pem" --herald.access.tls.private-key="$TLS_DIR/node.key")
    # One session-ticket secret for both nodes: a device that reconnects to the other node resumes its TLS
    # session. Passed in the environment (Spring's relaxed binding), not on the command line that ps shows.
    [ -s "$TLS_DIR/ticket.secret" ] || (umask 077; openssl rand -hex 32 >"$TLS_DIR/ticket.secret")
    HERALD_ACCESS_TLS_SESSIONTICKETSECRET=$(cat "$TLS_DIR/ticket.secret")
    export HERALD_ACCESS_TLS_SESSIONTICKETSECRET
  else
    say "no openssl: the device ports take plaintext only (see $LOGS/tls-certificates.log)"
  fi
  start_service saver saver-service small "$SAVER_PORT"
  start_service dispatcher dispatcher-service low-pause "$DISPATCHER_PORT"
  start_service access-1 access-service low-pause "$ACCESS1_PORT" --herald.access.node-id=access-1 --herald.access.port="$DEVICE1_PORT" --herald.access.saver-url="$saver" "${tls[@]}"
  start_service access-2 access-service low-pause "$ACCESS2_PORT" --herald.access.node-id=access-2 --herald.access.port="$DEVICE2_PORT" --herald.access.saver-url="$saver" "${tls[@]}"
  start_service chatroom chatroom-service small "$CHATROOM_PORT"
  start_service push-api push-api low-pause "$API_PORT" --herald.api.chatroom-url="http://127.0.0.1:$CHATROOM_PORT"
  for s in saver:$SAVER_PORT dispatcher:$DISPATCHER_PORT access-1:$ACCESS1_PORT access-2:$ACCESS2_PORT chatroom:$CHATROOM_PORT push-api:$API_PORT; do
    wait_http "${s%%:*}" "http://127.0.0.1:$(management_port "${s##*:}")/actuator/health"
  done
  say "Herald is up: REST http://127.0.0.1:$API_PORT (Swagger UI /swagger-ui.html), devices on TCP $DEVICE1_PORT and $DEVICE2_PORT"
  [ ${#tls[@]} -gt 0 ] && say "device ports also take TLS (native, wss://localhost:$DEVICE1_PORT/ws, mqtts), certificate signed by the local CA $TLS_DIR/ca.pem"
  say "config admin: http://127.0.0.1:$CONFIG_PORT/swagger-ui.html (Bearer $ADMIN_TOKEN), ZooKeeper $ZK"
  say "operations: http://127.0.0.1:$(management_port "$API_PORT")/actuator/{health,prometheus,pools,profiles} (each service: its HTTP port + 1000)"
  say "uplinks of app demo go to its callbackUrl $UPLINK_URL; the receiver there prints each verified one to $LOGS/uplink-receiver.log"
}

# The app server's side of uplinks for the demo app: demo-device's --receive-uplinks mode, an HTTP endpoint
# that verifies each callback's X-Herald-Signature with the app's secret and prints the uplink.
start_uplink_receiver() {
  if running uplink-receiver; then return; fi
  nohup "$HERALD_JAVA" -jar "$(jar_of demo-device)" --receive-uplinks="$UPLINK_PORT" --secret="$APP_SECRET" \
    >"$LOGS/uplink-receiver.log" 2>&1 &
  echo $! >"$PIDS/uplink-receiver"
  for _ in $(seq 1 600); do
    grep -q "receiving uplink callbacks" "$LOGS/uplink-receiver.log" && return
    running uplink-receiver || break
    sleep 0.1
  done
  echo "the uplink receiver did not start; its log:" >&2; cat "$LOGS/uplink-receiver.log" >&2; exit 1
}

config_admin() { # method path [json]: the config-server's admin API (docs/configuration.md)
  curl -fsS --max-time 10 -X "$1" -H "Authorization: Bearer $ADMIN_TOKEN" -H 'Content-Type: application/json' \
    ${3:+-d "$3"} "http://127.0.0.1:$CONFIG_PORT/admin/v1/config/$2"
}

# Points the demo app's callbackUrl at the uplink receiver through the admin API (read the node and its
# version, write it back changed), unless it already has a callback URL of someone else's.
demo_callback_url() {
  local node version value current
  node=$(config_admin GET apps/demo) || { echo "cannot read apps/demo from the config-server" >&2; exit 1; }
  version=$(printf '%s' "$node" | sed -n 's/.*"version":\([0-9]*\).*/\1/p')
  value=${node#*\"value\":}   # the node's last member
  value=${value%\}}
  current=$(printf '%s' "$value" | sed -nE 's/.*"callbackUrl":(null|"[^"]*").*/\1/p')
  case "$current" in
    "\"$UPLINK_URL\"") return ;;
    null | \"http://127.0.0.1:*/uplinks\") ;;   # unset, or this receiver on other ports (another HERALD_PORT_OFFSET)
    *) say "app demo keeps its callbackUrl $current"; return ;;
  esac
  value=$(printf '%s' "$value" | sed -E "s#\"callbackUrl\":(null|\"[^\"]*\")#\"callbackUrl\":\"$UPLINK_URL\"#")
  config_admin PUT apps/demo "{\"expectedVersion\":$version,\"value\":$value}" >/dev/null
  say "app demo: callbackUrl set to $UPLINK_URL (PUT /admin/v1/config/apps/demo)"
}

stop() {
  local name
  for name in demo-device push-api chatroom access-1 access-2 dispatcher saver uplink-receiver config-server zookeeper redis; do
    if running "$name"; then
      kill "$(cat "$PIDS/$name")" 2>/dev/null || true
      for _ in $(seq 1 100); do running "$name" || break; sleep 0.1; done
      running "$name" && kill -9 "$(cat "$PIDS/$name")" 2>/dev/null || true
      say "stopped $name"
    fi
    rm -f "$PIDS/$name"
  done
}

status() {
  local name
  for name in redis zookeeper config-server uplink-receiver saver dispatcher access-1 access-2 chatroom push-api demo-device; do
    if running "$name"; then echo "$name: running (pid $(cat "$PIDS/$name"))"; else echo "$name: stopped"; fi
  done
}

api() { # method path [json]: a signed request (HERALD-HMAC-SHA256, docs/security.md); prints the answer's body.
  # A 503 (push-api's backpressure or a dependency starting up, with Retry-After) is retried as any client
  # should, signed anew each time (a signature's nonce is single-use); any other error ends the demo.
  local attempt answer code
  for attempt in 1 2 3 4 5; do
    answer=$(HERALD_KEY=$APP_KEY HERALD_SECRET=$APP_SECRET "$ROOT/deploy/herald-curl.sh" "$1" \
      "http://127.0.0.1:$API_PORT$2" "${3-}" -w '\n%{http_code}') || return 22
    code=${answer##*$'\n'}
    answer=${answer%$'\n'*}
    case "$code" in
      2??) echo "$answer"; return 0 ;;
      503) echo "    push-api answered 503, retrying in 1 s: $answer" >&2; sleep 1 ;;
      *) echo "$1 $2 -> HTTP $code: $answer" >&2; return 22 ;;
    esac
  done
  echo "$1 $2 -> still 503 after $attempt attempts" >&2
  return 22
}

demo() {
  command -v openssl >/dev/null 2>&1 || { echo "openssl signs the demo's requests: sudo apt-get install -y openssl" >&2; exit 1; }
  start
  local device=demo-phone token
  say "minting a device token for $device:  POST /v1/apps/demo/device-tokens"
  token=$(api POST /v1/apps/demo/device-tokens "{\"deviceId\":\"$device\"}" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
  [ -n "$token" ] || { echo "token minting failed" >&2; exit 1; }
  if running demo-device; then kill "$(cat "$PIDS/demo-device")"; sleep 0.5; fi
  : >"$LOGS/demo-device.log"
  nohup "$HERALD_JAVA" -jar "$(jar_of demo-device)" --port="$DEVICE1_PORT" --app=demo --device="$device" --token="$token" --room=lobby \
    --uplink="Hello from $device at $(date +%T)" >"$LOGS/demo-device.log" 2>&1 &
  echo $! >"$PIDS/demo-device"
  for _ in $(seq 1 100); do grep -q connected "$LOGS/demo-device.log" && break; sleep 0.1; done
  say "device $device connected to access-1 (TCP $DEVICE1_PORT)"
  local push='{"deviceId":"'$device'","text":"Hello from Herald at '"$(date +%T)"'","offline":true}'
  say "pushing a signed request:  HERALD_KEY=$APP_KEY HERALD_SECRET=$APP_SECRET deploy/herald-curl.sh POST http://127.0.0.1:$API_PORT/v1/apps/demo/messages '$push'"
  say "(the local demo also accepts HTTP Basic:  curl -u $APP_KEY:$APP_SECRET -H 'Content-Type: application/json' -d '...' ...)"
  local accepted id
  accepted=$(api POST /v1/apps/demo/messages "$push")
  echo "    $accepted"
  id=$(echo "$accepted" | sed -n 's/.*"id":"\([^"]*\)".*/\1/p')
  api POST /v1/apps/demo/messages '{"broadcast":true,"text":"A broadcast to every demo device","offline":true}' >/dev/null
  for _ in $(seq 1 100); do [ "$(grep -c PUSH "$LOGS/demo-device.log")" -ge 2 ] && break; sleep 0.1; done
  say "what the device printed:"
  sed 's/^/    /' "$LOGS/demo-device.log"
  grep -q "$id" "$LOGS/demo-device.log" || { echo "the push did not arrive" >&2; exit 1; }
  sleep 0.3
  say "message status:  GET /v1/apps/demo/messages/$id"
  echo "    $(api GET "/v1/apps/demo/messages/$id")"
  say "chat room: the device joins room 'lobby' (demo-device --room=lobby joins at start); post to it with a signed request"
  local room_post
  room_post=$(api POST /v1/apps/demo/rooms/lobby/messages '{"text":"Hello, lobby"}')
  echo "    POST /v1/apps/demo/rooms/lobby/messages -> $room_post"
  for _ in $(seq 1 100); do grep -q "ROOM lobby" "$LOGS/demo-device.log" && break; sleep 0.1; done
  grep "ROOM lobby" "$LOGS/demo-device.log" | sed 's/^/    /' || echo "    (no room message printed)"
  echo "    GET /v1/apps/demo/rooms/lobby -> $(api GET /v1/apps/demo/rooms/lobby)"
  say "uplink: the device sent one at connect (demo-device --uplink=...); Herald POSTed it, signed, to the app's callbackUrl $UPLINK_URL, where the receiver verified it:"
  for _ in $(seq 1 300); do grep -q "UPLINK .*(signature verified)" "$LOGS/uplink-receiver.log" && break; sleep 0.1; done
  grep "UPLINK\|REFUSED\|uplink refused" "$LOGS/demo-device.log" "$LOGS/uplink-receiver.log" | sed "s|^$LOGS/|    |" || true
  grep -q "UPLINK .*(signature verified): Hello from $device" "$LOGS/uplink-receiver.log" || { echo "the uplink did not reach the callback" >&2; exit 1; }
  if [ -s "$TLS_DIR/ca.pem" ]; then
    say "TLS on the same device port:  openssl s_client -connect localhost:$DEVICE1_PORT -CAfile $TLS_DIR/ca.pem -verify_hostname localhost -brief"
    local handshake
    handshake=$(timeout 10 openssl s_client -connect "127.0.0.1:$DEVICE1_PORT" -servername localhost -CAfile "$TLS_DIR/ca.pem" \
      -verify_hostname localhost -verify_return_error -brief </dev/null 2>&1 || true)
    echo "$handshake" | grep -E "Protocol version|Ciphersuite|Verification" | sed 's/^/    /'
    echo "$handshake" | grep -q "Verification: OK" || { echo "the TLS handshake with access-1 failed: $handshake" >&2; exit 1; }
  fi
  say "ops console: http://127.0.0.1:$CONFIG_PORT/console/ (admin token: $ADMIN_TOKEN) — every instance's health, pools and profiles, and the config tree"
  say "the suite keeps running; watch the device with: tail -f $LOGS/demo-device.log ; uplinks (also the browser page's \"Send uplink\", http://127.0.0.1:$API_PORT/demo/) with: tail -f $LOGS/uplink-receiver.log ; stop with: deploy/local/herald.sh stop"
}

need_test_tools() { # browser, MQTT clients, curl/openssl for the end-to-end tests; those tests skip when absent (fail when CI=true)
  local missing=()
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  command -v openssl >/dev/null 2>&1 || missing+=(openssl)
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  [ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
  [ -x /usr/bin/mosquitto_sub ] || missing+=(mosquitto-clients)
  [ ${#missing[@]} -eq 0 ] && return
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing ${missing[*]} (apt-get)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "note: the tests needing ${missing[*]} will be skipped (failed with CI=true); install with: sudo apt-get install -y ${missing[*]}" >&2
  fi
}

run_tests() {
  need_redis
  need_test_tools
  command -v mvn >/dev/null || { echo "Maven is missing: apt-get install -y maven" >&2; exit 1; }
  cd "$ROOT" && exec mvn -B verify "$@"
}

case "${1:-}" in
  test) shift; run_tests "$@" ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  demo) demo ;;
  *) echo "usage: $0 {demo|start|stop|status|test}" >&2; exit 2 ;;
esac
