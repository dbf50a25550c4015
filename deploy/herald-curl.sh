#!/usr/bin/env bash
# Sends one signed request to push-api with curl and openssl: the HERALD-HMAC-SHA256 recipe of
# docs/security.md in a dozen lines, for trying the API and as a reference for your own client.
#
#   export HERALD_KEY=demo-key HERALD_SECRET=demo-secret-0123456789
#   deploy/herald-curl.sh POST http://127.0.0.1:8080/v1/apps/demo/messages '{"deviceId":"phone-1","text":"hi"}'
#   deploy/herald-curl.sh GET  http://127.0.0.1:8080/v1/apps/demo/messages/01JD...
#   deploy/herald-curl.sh GET  'http://127.0.0.1:8080/v1/apps/demo/uplink/dead-letters?limit=5' '' -i
#
# Arguments after the body go to curl as they are (-i, -v, ...). The URL must be exactly what is sent:
# the path and query are signed as written (percent-encoding included).
set -euo pipefail

if [ $# -lt 2 ]; then
  echo "usage: HERALD_KEY=... HERALD_SECRET=... $0 METHOD URL [JSON-BODY] [curl options...]" >&2
  exit 2
fi
method=$(printf '%s' "$1" | tr '[:lower:]' '[:upper:]')
url=$2
body=${3-}
shift $(( $# < 3 ? $# : 3 ))
key=${HERALD_KEY:?set HERALD_KEY to the app key}
secret=${HERALD_SECRET:?set HERALD_SECRET to one of the app secrets}

target=/${url#*://*/}                      # the request target: path and query
[ "$target" = "/$url" ] && target=/        # a URL without a path
path=${target%%\?*}
query=
case $target in *\?*) query=${target#*\?} ;; esac

ts=$(date +%s)
nonce=$(openssl rand -hex 16)
body_sha256=$(printf '%s' "$body" | openssl dgst -sha256 -r | cut -d' ' -f1)
string_to_sign=$(printf 'HERALD-HMAC-SHA256\n%s\n%s\n%s\n%s\n%s\n%s\n%s' \
  "$key" "$ts" "$nonce" "$method" "$path" "$query" "$body_sha256")
sig=$(printf '%s' "$string_to_sign" | openssl dgst -sha256 -hmac "$secret" -r | cut -d' ' -f1)
authorization="HERALD-HMAC-SHA256 key=\"$key\", ts=$ts, nonce=$nonce, sig=$sig"

if [ -n "$body" ]; then
  exec curl -sS -X "$method" -H "Authorization: $authorization" -H 'Content-Type: application/json' \
    --data-binary "$body" "$@" "$url"
else
  exec curl -sS -X "$method" -H "Authorization: $authorization" "$@" "$url"
fi
