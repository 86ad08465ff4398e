# Runs PROGRAM on two ranks, one of which kills itself mid-compute, and passes when the job ends with a
# non-zero status in well under a minute (a hang would hit the timeout and fail).
execute_process(COMMAND ${MPIEXEC} -n 2 ${MPIEXEC_FLAGS} ${PROGRAM}
                RESULT_VARIABLE status TIMEOUT 60 OUTPUT_VARIABLE output ERROR_VARIABLE output)
if(status STREQUAL "0")
  message(FATAL_ERROR "the job exited 0 although a rank was killed:\n${output}")
elseif(status MATCHES "timeout|Process terminated due to timeout")
  message(FATAL_ERROR "the job hung after a rank was killed:\n${output}")
endif()
message(STATUS "the job ended with status '${status}' as it should")
