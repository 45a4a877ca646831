# Shared by the benchmark scripts (source it from the project root): builds the jar and the
# test classes, and starts one embedded PostgreSQL in its own JVM, durable as in production
# (fsync, synchronous_commit and full_page_writes on; see StandaloneDatabase).
OUT=target/bench
mkdir -p "$OUT"

build() { # sets CP, the class path of the benchmark clients
  mvn -q -B -ntp -DskipTests package test-compile
  mvn -q -B -ntp dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$OUT/classpath.txt" >/dev/null
  CP="target/test-classes:target/classes:$(cat "$OUT/classpath.txt")"
}

start_database() { # NAME: a fresh database in $OUT/NAME; sets DB_PID and DB_URL (the caller traps DB_PID)
  rm -rf "${OUT:?}/$1"
  java -cp "$CP" se.servicepunkt.bench.StandaloneDatabase "$OUT/$1" > "$OUT/$1.url" 2> "$OUT/$1.log" &
  DB_PID=$!
  for _ in $(seq 1 120); do [[ -s "$OUT/$1.url" ]] && break; sleep 0.5; done
  DB_URL=$(head -1 "$OUT/$1.url")
}
