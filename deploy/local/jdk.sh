# Sourced by deploy/local/herald.sh and .ci/run: picks the newest JDK present (for generational ZGC)
# and the GC flags that JDK supports.
# Sets HERALD_JAVA (java binary), HERALD_GC_OPTS (low-pause GC) and HERALD_SMALL_GC_OPTS (small-footprint GC);
# a HERALD_GC_OPTS or HERALD_SMALL_GC_OPTS already set in the environment is kept.

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
  # Two GC setups (measured in docs/performance.md#footprint). HERALD_GC_OPTS: the low-pause GC for the
  # access nodes (device connections) and the unicast path (push-api, dispatcher), sub-millisecond pauses;
  # it gives back heap unused for 30 s, so an idle service shrinks to about its live set.
  # HERALD_SMALL_GC_OPTS: Serial for services whose pauses hold no delivery (saver, chatroom, config-server):
  # compressed oops halve their live heap and it needs no concurrent GC threads or ZGC's structures.
  # Either can be replaced from the environment.
  local low_pause small
  if [ "$best_major" -ge 25 ]; then
    # Compact object headers (JEP 519, a product flag from 25) take 4 bytes off every object: ≈10 %
    # of an idle connection's heap on an access node.
    low_pause="-XX:+UseZGC -XX:+UseCompactObjectHeaders -XX:ZUncommitDelay=30"
    small="-XX:+UseSerialGC -XX:+UseCompactObjectHeaders"
  elif [ "$best_major" -ge 23 ]; then
    low_pause="-XX:+UseZGC -XX:ZUncommitDelay=30"       # generational by default from JDK 23
    small="-XX:+UseSerialGC"
  elif [ "$best_major" -ge 21 ]; then
    low_pause="-XX:+UseZGC -XX:+ZGenerational -XX:ZUncommitDelay=30"
    small="-XX:+UseSerialGC"
  else
    # No generational ZGC before 21; G1 gives back unused heap after a periodic collection.
    low_pause="-XX:+UseG1GC -XX:MaxGCPauseMillis=50 -XX:G1PeriodicGCInterval=30000"
    small="-XX:+UseSerialGC"
  fi
  if [ "$best_major" -ge 22 ]; then
    # Hands memory that malloc keeps after C2 compilations and start-up back to the OS every 10 s
    # (a product flag from 22): 15-30 MB of RSS per idle JVM.
    low_pause="$low_pause -XX:TrimNativeHeapInterval=10000"
    small="$small -XX:TrimNativeHeapInterval=10000"
  fi
  HERALD_GC_OPTS=${HERALD_GC_OPTS:-$low_pause}
  HERALD_SMALL_GC_OPTS=${HERALD_SMALL_GC_OPTS:-$small}
  export HERALD_JAVA HERALD_JAVA_MAJOR HERALD_GC_OPTS HERALD_SMALL_GC_OPTS
}
