#!/usr/bin/env bash
# Proxy-path benchmark: the mock provider alone, nginx in front of it, and LLM Proxy in Tomcat and WildFly on
# SQLite and PostgreSQL, in one run (about 23 minutes). See bench/README.md. Extra arguments go to Maven, e.g.
#   bench/proxy.sh -Dbench.targets=tomcat/sqlite -Dbench.seconds=10 -Dbench.streams=2000
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v nginx >/dev/null || missing+=(nginx-light)
if ((${#missing[@]})); then
  echo "Installing ${missing[*]} from Debian's packages" >&2
  apt-get install -y -q "${missing[@]}" >/dev/null
fi
# Each held stream is two sockets in the proxy (caller and provider); raise the soft limit as far as allowed.
ulimit -n "$(ulimit -Hn)"
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  echo "PostgreSQL on 127.0.0.1:5432 does not answer; the PostgreSQL targets will use an embedded server" >&2
fi

# The client side (up to 10,000 streams) runs in Maven's JVM.
export MAVEN_OPTS="${MAVEN_OPTS:-} -Xmx2g"
exec mvn -q -Pbench package "$@"
