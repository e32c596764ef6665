#!/usr/bin/env bash
# Usage report bench: loads N request records (default 10 million) into SQLite and PostgreSQL and times the
# usage report queries of the real UsageReports. See bench/README.md. Extra arguments are passed to Maven, e.g.
#   bench/usage-report.sh -Dbench.rows=200000 -Dbench.db=sqlite -Dbench.keep=true
set -euo pipefail
cd "$(dirname "$0")/.."

# Compile main and test classes only: no tests, and skipITs so the container/driver unpacking of the
# integration-test lifecycle does not run.
mvn -q -DskipTests -DskipITs=true test-compile "$@"

# Run in Maven's JVM on the test classpath; the bench needs ~1 GiB of heap at most.
export MAVEN_OPTS="${MAVEN_OPTS:-} -Xmx2g"
exec mvn -q exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.llmproxy.bench.UsageReportBench \
    -Dexec.cleanupDaemonThreads=false "$@"
