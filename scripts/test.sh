#!/usr/bin/env bash
# Installs what is missing, builds dagflow with its tests and runs them through CTest.
#   scripts/test.sh                       Release build in build/
#   scripts/test.sh address,undefined     sanitizer build (also: thread) in build-sanitize-<names>/,
#                                         without the benchmarks and without MPI (Open MPI's own
#                                         allocations and threads would drown the reports; the Release
#                                         build runs the MPI tests)
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
sanitize="${1:-}"
build_dir="build"
build_type="Release"
benchmarks=ON
mpi=ON
if [ -n "$sanitize" ]; then
  build_dir="build-sanitize-${sanitize//,/-}"
  build_type="RelWithDebInfo"
  benchmarks=OFF
  mpi=OFF
  export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
  export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
  # Races inside the uninstrumented oneTBB library are suppressed; tests/sanitizers/tsan.supp says why.
  export TSAN_OPTIONS="${TSAN_OPTIONS:-halt_on_error=1}:suppressions=$(pwd)/tests/sanitizers/tsan.supp"
fi
jobs="$(nproc)"

cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE="$build_type" -DDAGFLOW_SANITIZE="$sanitize" \
  -DDAGFLOW_BUILD_TESTS=ON -DDAGFLOW_BUILD_EXAMPLES=ON -DDAGFLOW_BUILD_BENCHMARKS="$benchmarks" \
  -DDAGFLOW_WITH_MPI="$mpi"
cmake --build "$build_dir" -j "$jobs"
ctest --test-dir "$build_dir" --output-on-failure -j "$jobs"
