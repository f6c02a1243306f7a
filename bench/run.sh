#!/bin/sh
# Runs dev.podnet.bench.LintBenchmark (server/src/test/java) in its own JVM. Arguments are passed on:
#   bench/run.sh [--files N] [--runs N] [--keep]
set -e
cd "$(dirname "$0")/.."
mvn -B -q -o -pl rules,server -am test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >/dev/null
exec java ${BENCH_JAVA_OPTS:-} -cp "server/target/test-classes:server/target/classes:rules/target/classes:$(cat server/target/bench.classpath)" \
    dev.podnet.bench.LintBenchmark "$@"
