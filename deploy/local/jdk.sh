# Sourced by deploy/local/herald.sh and .ci/run: picks the newest JDK present (for generational ZGC)
# and the GC flags that JDK supports.
# Sets HERALD_JAVA (java binary) and HERALD_GC_OPTS.

herald_java_major() { # $1 = java binary
  "$1" -version 2>&1 | awk -F'"' '/version/ {split($2, v, "."); print (v[1] == "1" ? v[2] : v[1]); exit}'
}

herald_pick_java() {
  local best="" best_major=0 candidate major
  for candidate in ${HERALD_JAVA_HOME:+"$HERALD_JAVA_HOME/bin/java"} /usr/lib/jvm/*/bin/java \
      ${JAVA_HOME:+"$JAVA_HOME/bin/java"} "$(command -v java 2>/dev/null)"; do
    [ -x "$candidate" ] || continue
    major=$(herald_java_major "$candidate")
    [ -n "$major" ] || continue
    if [ "$major" -gt "$best_major" ]; then best="$candidate"; best_major="$major"; fi
  done
  if [ -z "$best" ] || [ "$best_major" -lt 17 ]; then
    echo "Herald needs JDK 17 or newer. Install one, e.g.: apt-get install -y openjdk-17-jdk" >&2
    return 1
  fi
  HERALD_JAVA="$best"
  HERALD_JAVA_MAJOR="$best_major"
  if [ "$best_major" -ge 25 ]; then
    # Compact object headers (JEP 519, a product flag from 25) take 4 bytes off every object: ≈10 %
    # of an idle connection's heap on an access node.
    HERALD_GC_OPTS="-XX:+UseZGC -XX:+UseCompactObjectHeaders"
  elif [ "$best_major" -ge 23 ]; then
    HERALD_GC_OPTS="-XX:+UseZGC"                       # generational by default from JDK 23
  elif [ "$best_major" -ge 21 ]; then
    HERALD_GC_OPTS="-XX:+UseZGC -XX:+ZGenerational"
  else
    HERALD_GC_OPTS="-XX:+UseG1GC -XX:MaxGCPauseMillis=50" # no generational ZGC before 21
  fi
  export HERALD_JAVA HERALD_JAVA_MAJOR HERALD_GC_OPTS
}
