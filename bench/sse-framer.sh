#!/usr/bin/env bash
# SSE framer bench: one large event fed in tiny chunks, to show the framer's cost grows linearly with the event
# (each byte looked at once) rather than with its square. Prints a table; takes well under a minute.
# See bench/README.md and docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -DskipTests -DskipITs=true test-compile "$@"
exec mvn -q exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.llmproxy.proxy.SseFramerBench \
    -Dexec.cleanupDaemonThreads=false "$@"
