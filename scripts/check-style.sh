#!/usr/bin/env bash
# Style checks; exits non-zero on any finding.
#   scripts/check-style.sh          everything below
#   scripts/check-style.sh format   file names (snake_case) and clang-format (.clang-format): seconds
#   scripts/check-style.sh tidy     clang-tidy (.clang-tidy): a minute or two on two cores
#
# clang-format checks include/ and lib/ without changing them; to apply it to a file you changed, run
# `clang-format-16 -i FILE`. It is clang-format-16 (Debian 12's clang-format-16 package) because clang-format
# 14 mangles C++20 requires-clauses; CLANG_FORMAT=... picks another binary.
#
# clang-tidy runs over lib/*.cpp and lib/mpi/*.cpp, with the compile commands of a CMake configure in
# build-style/ (BUILD_DIR=... to change it), and over one file that includes dagflow/dagflow.hpp and
# dagflow/mpi.hpp, so that every public and detail header is checked too (the header filter in
# .clang-tidy keeps it to include/dagflow/ and lib/). CLANG_TIDY=... picks another binary.
set -euo pipefail
cd "$(dirname "$0")/.."

what="${1:-all}"
case "$what" in
  all | format | tidy) ;;
  *) echo "usage: $0 [all|format|tidy]" >&2; exit 2 ;;
esac
clang_format="${CLANG_FORMAT:-clang-format-16}"
clang_tidy="${CLANG_TIDY:-clang-tidy}"
build_dir="${BUILD_DIR:-build-style}"
jobs="$(nproc)"
failed=0

need() {
  command -v "$1" >/dev/null || { echo "$0: $1 is missing (scripts/install-deps.sh installs it)" >&2; exit 2; }
}

if [ "$what" != tidy ]; then
  echo "=== File names (snake_case, CONTRIBUTING.md)"
  bad_names="$(find include lib tests examples bench -type f \( -name '*.hpp' -o -name '*.cpp' -o -name '*.h' -o -name '*.cc' \) \
               | grep -vE '/[a-z0-9_]+\.(hpp|cpp)$' || true)"
  if [ -n "$bad_names" ]; then
    echo "$bad_names" | sed 's/$/: not a snake_case .hpp or .cpp name/'
    failed=1
  fi

  need "$clang_format"
  echo "=== clang-format ($("$clang_format" --version | sed 's/.*version //'))"
  find include lib -type f \( -name '*.hpp' -o -name '*.cpp' \) -print0 | sort -z \
    | xargs -0 "$clang_format" --dry-run --Werror || failed=1
fi

if [ "$what" != format ]; then
  need "$clang_tidy"
  echo "=== clang-tidy ($("$clang_tidy" --version | sed -n 's/.*LLVM version //p'))"
  cmake -S . -B "$build_dir" -DCMAKE_EXPORT_COMPILE_COMMANDS=ON -DDAGFLOW_BUILD_TESTS=OFF \
    -DDAGFLOW_BUILD_EXAMPLES=OFF -DDAGFLOW_BUILD_BENCHMARKS=OFF -DDAGFLOW_BUILD_DOCS=OFF -DDAGFLOW_INSTALL=OFF >/dev/null
  # The public headers are not all included by lib/, so one more translation unit includes them all.
  umbrella="$build_dir/check_style_headers.cpp"
  printf '#include "dagflow/dagflow.hpp"\n#include "dagflow/mpi.hpp"\n' >"$umbrella"
  logs="$(mktemp -d)"
  trap 'rm -rf "$logs"' EXIT
  export clang_tidy build_dir logs umbrella
  # Each file's output goes to its own log; a failed run leaves its name in $logs/failed.
  printf '%s\n' lib/*.cpp lib/mpi/*.cpp "$umbrella" | xargs -P "$jobs" -I{} bash -c '
    file="$1"
    log="$logs/$(echo "$file" | tr / _).log"
    if [ "$file" = "$umbrella" ]; then
      "$clang_tidy" --quiet --config-file=.clang-tidy "$file" -- -std=c++20 -I"$PWD/include" -I"$PWD/$build_dir/include" >"$log" 2>&1
    else
      "$clang_tidy" --quiet --config-file=.clang-tidy -p "$build_dir" "$file" >"$log" 2>&1
    fi || echo "$file" >>"$logs/failed"' _ {}
  if [ -s "$logs/failed" ]; then
    # A header's finding is reported by every file that includes it: show each once.
    findings="$(cat "$logs"/*.log | grep -E '^[^ ]+:[0-9]+:[0-9]+: (warning|error):' | sed "s|^$PWD/||" | sort -u | sort -t: -k1,1 -k2,2n -k3,3n)"
    if [ -n "$findings" ]; then
      echo "$findings"
      echo "clang-tidy: $(echo "$findings" | wc -l) findings (run $clang_tidy -p $build_dir FILE for the context of one)"
    else
      cat "$logs"/*.log
    fi
    failed=1
  fi
fi

if [ "$failed" -ne 0 ]; then
  echo "check-style: FAILED"
  exit 1
fi
echo "check-style: OK"
