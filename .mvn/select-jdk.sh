# Sourced by ./mvnw and ./run (POSIX sh). Tally builds for Java 21; many machines still default to
# an older `java`. Keep JAVA_HOME when it is new enough, otherwise look in the usual JDK folders and
# pick the newest JDK >= 21. Fails with one clear line when there is none.

tally_java_major() {
  # prints the feature version of the JDK at $1 (e.g. 17, 21, 25), or nothing
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

tally_select_jdk() {
  if [ -n "${JAVA_HOME-}" ]; then
    v=$(tally_java_major "$JAVA_HOME")
    if [ -n "$v" ] && [ "$v" -ge 21 ]; then export JAVA_HOME; return 0; fi
  fi
  best=""; best_v=0
  for candidate in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* \
                   /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$candidate" ] || continue
    v=$(tally_java_major "$candidate")
    if [ -n "$v" ] && [ "$v" -ge 21 ] && [ "$v" -gt "$best_v" ]; then best=$candidate; best_v=$v; fi
  done
  if [ -z "$best" ] && command -v javac >/dev/null 2>&1; then
    candidate=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    v=$(tally_java_major "$candidate")
    if [ -n "$v" ] && [ "$v" -ge 21 ]; then best=$candidate; fi
  fi
  if [ -z "$best" ]; then
    echo "Tally needs a JDK 21 or newer; none found (JAVA_HOME=${JAVA_HOME-unset}, searched /usr/lib/jvm and the usual places). Install one and set JAVA_HOME." >&2
    exit 1
  fi
  JAVA_HOME=$best
  export JAVA_HOME
}

tally_select_jdk
PATH="$JAVA_HOME/bin:$PATH"
export PATH
