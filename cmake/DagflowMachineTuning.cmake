# The examples and benchmarks are measurements as much as programs, so they are built for the machine
# that runs them: with -march=native the random-number, counting and escape-time loops use its widest
# vectors. Results do not depend on it (the kernels disable floating-point contraction). Set
# DAGFLOW_EXAMPLES_MARCH to "" for binaries that run on any x86-64.
set(DAGFLOW_EXAMPLES_MARCH native CACHE STRING "-march= value for the examples and benchmarks; empty for the compiler's default")

include(CheckCXXCompilerFlag)
if(DAGFLOW_EXAMPLES_MARCH)
  check_cxx_compiler_flag(-march=${DAGFLOW_EXAMPLES_MARCH} DAGFLOW_EXAMPLES_MARCH_SUPPORTED)
endif()

function(dagflow_tune_for_this_machine target)
  if(DAGFLOW_EXAMPLES_MARCH AND DAGFLOW_EXAMPLES_MARCH_SUPPORTED)
    target_compile_options(${target} PRIVATE -march=${DAGFLOW_EXAMPLES_MARCH})
  endif()
endfunction()
