# Shared by the scripts in bin/ (sourced, not run): usage, and one-sentence refusals with exit 2.
# Each script sets SCRIPT and USAGE before sourcing this file.

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
