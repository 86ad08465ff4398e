# Runs an example program with --mpi under `MPIEXEC -n RANKS` (cmake -P; see CMakeLists.txt).
#
#   -DMODE=match  (default) runs PROGRAM ARGS in a folder of its own, then the MPI job with the same ARGS in
#                 another, and passes when both succeed, print the same lines (timings aside) and write the
#                 same FILES (names relative to each folder), byte for byte.
#   -DMODE=fail   runs only the MPI job and passes when it fails (non-zero status) and prints EXPECT exactly
#                 once: every rank fails with the same error, and rank 0 alone reports it.
#
# ARGS is one string, split as a shell would; MPIEXEC_FLAGS a list of mpiexec options (Open MPI:
# --oversubscribe --bind-to none); WORK_DIR is emptied first.
cmake_minimum_required(VERSION 3.22)

foreach(variable MPIEXEC RANKS PROGRAM WORK_DIR)
  if(NOT DEFINED ${variable})
    message(FATAL_ERROR "run_with_mpi.cmake needs -D${variable}=...")
  endif()
endforeach()
if(NOT DEFINED MODE)
  set(MODE match)
endif()
separate_arguments(args UNIX_COMMAND "${ARGS}")
set(mpi_command ${MPIEXEC} -n ${RANKS} ${MPIEXEC_FLAGS} ${PROGRAM} ${args} --mpi)

file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR}/plain ${WORK_DIR}/mpi)

# Runs the command in `dir`; sets <prefix>_status, <prefix>_out (stdout) and <prefix>_err (stderr).
function(run prefix dir)
  execute_process(COMMAND ${ARGN} WORKING_DIRECTORY ${dir} TIMEOUT 100 RESULT_VARIABLE status
                  OUTPUT_VARIABLE out ERROR_VARIABLE err)
  set(${prefix}_status "${status}" PARENT_SCOPE)
  set(${prefix}_out "${out}" PARENT_SCOPE)
  set(${prefix}_err "${err}" PARENT_SCOPE)
endfunction()

if(MODE STREQUAL "fail")
  if(EXPECT STREQUAL "")
    message(FATAL_ERROR "MODE=fail needs -DEXPECT=<the message>")
  endif()
  run(mpi ${WORK_DIR}/mpi ${mpi_command})
  string(JOIN " " shown ${mpi_command})
  if(mpi_status STREQUAL "0")
    message(FATAL_ERROR "`${shown}` succeeded but should fail:\n${mpi_out}${mpi_err}")
  elseif(mpi_status MATCHES "timeout|terminated due to timeout")
    message(FATAL_ERROR "`${shown}` hung:\n${mpi_out}${mpi_err}")
  endif()
  # How often EXPECT appears (as plain text) in what the job printed.
  set(rest "${mpi_out}${mpi_err}")
  string(LENGTH "${EXPECT}" length)
  set(times 0)
  string(FIND "${rest}" "${EXPECT}" at)
  while(at GREATER -1)
    math(EXPR times "${times} + 1")
    math(EXPR at "${at} + ${length}")
    string(SUBSTRING "${rest}" ${at} -1 rest)
    string(FIND "${rest}" "${EXPECT}" at)
  endwhile()
  if(NOT times EQUAL 1)
    message(FATAL_ERROR "`${shown}` printed '${EXPECT}' ${times} times, not once:\n${mpi_out}${mpi_err}")
  endif()
  message(STATUS "`${shown}` failed with status ${mpi_status} and reported it once")
  return()
endif()

run(plain ${WORK_DIR}/plain ${PROGRAM} ${args})
run(mpi ${WORK_DIR}/mpi ${mpi_command})
if(NOT plain_status STREQUAL "0")
  message(FATAL_ERROR "the plain run failed (${plain_status}):\n${plain_out}${plain_err}")
endif()
if(NOT mpi_status STREQUAL "0")
  message(FATAL_ERROR "the MPI run failed (${mpi_status}):\n${mpi_out}${mpi_err}")
endif()

# Timings differ from run to run: "12.3 ms" becomes "<time> ms" in both outputs.
string(REGEX REPLACE "[0-9]+\\.[0-9]+ ms" "<time> ms" plain_lines "${plain_out}")
string(REGEX REPLACE "[0-9]+\\.[0-9]+ ms" "<time> ms" mpi_lines "${mpi_out}")
if(plain_lines STREQUAL "")
  message(FATAL_ERROR "the plain run printed nothing")
endif()
if(NOT plain_lines STREQUAL mpi_lines)
  message(FATAL_ERROR "the MPI run printed\n${mpi_out}\nbut the plain run printed\n${plain_out}")
endif()

foreach(name IN LISTS FILES)
  foreach(run_dir plain mpi)
    if(NOT EXISTS ${WORK_DIR}/${run_dir}/${name})
      message(FATAL_ERROR "the ${run_dir} run wrote no ${name}")
    endif()
  endforeach()
  file(SHA256 ${WORK_DIR}/plain/${name} plain_hash)
  file(SHA256 ${WORK_DIR}/mpi/${name} mpi_hash)
  if(NOT plain_hash STREQUAL mpi_hash)
    message(FATAL_ERROR "${name} differs between the plain and the MPI run (in ${WORK_DIR})")
  endif()
endforeach()
file(GLOB mpi_written RELATIVE ${WORK_DIR}/mpi ${WORK_DIR}/mpi/*)
file(GLOB plain_written RELATIVE ${WORK_DIR}/plain ${WORK_DIR}/plain/*)
if(NOT mpi_written STREQUAL plain_written)
  message(FATAL_ERROR "the MPI run wrote '${mpi_written}', the plain run '${plain_written}'")
endif()
message(STATUS "${RANKS} rank(s) printed and wrote the same as the plain run:\n${mpi_out}")
