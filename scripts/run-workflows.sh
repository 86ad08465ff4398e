#!/usr/bin/env bash
# Installs what is missing, builds dagflow in Release and runs the three course workflows, writing
# their results, pictures and task graphs into out/.
#   scripts/run-workflows.sh           the course's full-size parameters
#   scripts/run-workflows.sh --quick   smaller inputs (used by CI to check that the examples run)
set -euo pipefail
cd "$(dirname "$0")/.."

quick=false
[ "${1:-}" = "--quick" ] && quick=true

scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DDAGFLOW_BUILD_EXAMPLES=ON
cmake --build build -j "$(nproc)" --target pi wordcount mandelbrot

mkdir -p out
run() {  # run NAME COMMAND...: print the command's output and keep it in out/NAME.txt
  local name="$1"
  shift
  echo
  echo "=== $name: $*"
  # Kept under a temporary name until the command succeeded, like the programs' own outputs, so that
  # out/ never holds a partial result.
  "$@" | tee "out/.$name.txt.tmp"
  mv "out/.$name.txt.tmp" "out/$name.txt"
}

if $quick; then
  run pi build/examples/pi/pi --samples 1000000 --graph out/pi-graph.svg
  run pi-bag build/examples/pi/pi --bag --samples 1000000 --graph out/pi-bag-graph.svg
  run wordcount build/examples/wordcount/wordcount --graph out/wordcount-graph.svg /usr/share/common-licenses/*
  run mandelbrot build/examples/mandelbrot/mandelbrot --width 256 --height 256 --max-iter 256 \
    --output out/mandelbrot.png --graph out/mandelbrot-graph.svg
  run julia build/examples/mandelbrot/mandelbrot --julia=-0.8+0.156i --center 0+0i --extent 3+3i --width 256 --height 256 \
    --max-iter 256 --output out/julia.png
else
  run pi build/examples/pi/pi --graph out/pi-graph.svg
  run pi-bag build/examples/pi/pi --bag --graph out/pi-bag-graph.svg
  run wordcount build/examples/wordcount/wordcount --graph out/wordcount-graph.svg /usr/share/common-licenses/*
  run mandelbrot build/examples/mandelbrot/mandelbrot --simd --output out/mandelbrot.png --graph out/mandelbrot-graph.svg
  run julia build/examples/mandelbrot/mandelbrot --simd --julia=-0.8+0.156i --center 0+0i --extent 3+3i \
    --output out/julia.png
fi
echo
echo "Outputs written to $(pwd)/out:"
ls out
