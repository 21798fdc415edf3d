# Shared by the scripts in bin/ (sourced, not run; hence here and not among the commands): usage,
# one-sentence refusals with exit 2, checks with the last build's classes, and the build itself.
# Each script sets SCRIPT and USAGE before sourcing this file, from the checkout's root.

cli_help_or_fail_on_options() {
  for arg in "$@"; do
    case "$arg" in
      -h|--help) printf '%s\n' "$USAGE"; exit 0 ;;
    esac
  done
}

cli_fail() {
  echo "$SCRIPT: $1" >&2
  printf '\n%s\n' "$USAGE" >&2
  exit 2
}

cli_port() {
  [[ "$1" =~ ^[0-9]+$ ]] && (( 10#$1 >= 1 && 10#$1 <= 65535 )) \
    || cli_fail "$2 must be a port number from 1 to 65535, got '$1'"
}

cli_positive() {
  [[ "$1" =~ ^[0-9]+$ ]] && (( 10#$1 >= 1 )) || cli_fail "$2 must be a whole number of at least 1, got '$1'"
}

# cli_check MODULE CLASS ARGS...: runs a check of the arguments and settings (a main that exits
# non-zero with its sentences) with the classes of the last build, before any build, so that a
# refusal takes a second instead of a build. Skipped on a fresh clone, which has no classes yet:
# the program checks again when it starts.
cli_check() {
  local module=$1 class=$2
  shift 2
  local classes="$module/target/classes"
  if [ -f "$module/target/runtime-classpath.txt" ] && [ -f "$classes/${class//.//}.class" ]; then
    local code=0
    java -cp "$classes:$(cat "$module/target/runtime-classpath.txt")" "$class" "$@" || code=$?
    if (( code == 2 )); then
      printf '\n%s\n' "$USAGE" >&2
    fi
    (( code == 0 )) || exit "$code"
  fi
}

# A digest of the content of every file the build reads. File times are wrong after a git
# checkout (or a copy), so the content decides whether a build is needed.
cli_source_stamp() {
  find . \( -name .git -o -name .local -o -name target -o -name node_modules \) -prune -o -type f \
      \( -path '*/src/*' -o -name pom.xml -o -path './.mvn/*' \) -print0 \
    | LC_ALL=C sort -z | xargs -0 sha1sum | sha1sum | cut -d' ' -f1
}

# Builds the project (./mvnw install -DskipTests) unless its sources are those of the last build,
# whose stamp is target/build-stamp; RUN_LOCAL_SKIP_BUILD=1 skips the build. One build at a time in
# a checkout: a second script waits on target/build.lock for the first build instead of building
# under it, and then finds the stamp up to date.
cli_build() {
  [ -z "${RUN_LOCAL_SKIP_BUILD:-}" ] || return 0
  mkdir -p target
  exec 9> target/build.lock
  if command -v flock > /dev/null 2>&1 && ! flock -n 9; then
    echo "$SCRIPT: another script is building this checkout; waiting for it ..."
    flock 9
  fi
  local stamp
  stamp=$(cli_source_stamp)
  if [ "$(cat target/build-stamp 2> /dev/null)" = "$stamp" ] \
      && [ -f local-stack/target/runtime-classpath.txt ] && [ -f benchmark/target/runtime-classpath.txt ]; then
    exec 9>&-
    return 0
  fi
  echo "$SCRIPT: building (./mvnw install -DskipTests), since the sources differ from the last build's ..."
  rm -f target/build-stamp
  ./mvnw -q -B install -DskipTests
  echo "$stamp" > target/build-stamp
  exec 9>&-
}
