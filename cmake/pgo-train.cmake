# The training run of a profile-guided build (CMakeLists.txt, KPILINT_PGO):
# the instrumented kpilint checks what a user's runs look like, and its exit
# writes the branch and call counts to PROFILE.
#   cmake -DKPILINT=… -DPROFILE=… -DWORK=… -DPYTHON=… -DSOURCE=… -P pgo-train.cmake
#
# A generated workspace of 20,000 KPIs in 200 files (seed 7, three times the
# benchmark's defect rate, so the paths of findings run often too; the
# benchmark's own workspaces use seed 1), in the text, JSON and SARIF
# formats, then the examples.
foreach(var KPILINT PROFILE WORK PYTHON SOURCE)
  if(NOT ${var})
    message(FATAL_ERROR "pgo-train.cmake: -D${var}=… is missing")
  endif()
endforeach()

file(REMOVE_RECURSE ${PROFILE})  # counts from an older binary would be merged in
file(REMOVE_RECURSE ${WORK})
execute_process(COMMAND ${PYTHON} ${SOURCE}/tests/bench/gen_corpus --kpis 20000 --files 200 --seed 7 --defect-rate 3
                        --out ${WORK}/workspace
                RESULT_VARIABLE status OUTPUT_QUIET)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "pgo-train.cmake: gen_corpus failed (${status})")
endif()

# kpilint exits 0 or 1 (findings) after a check; anything else (2: a usage
# or configuration error; a crash) means the run taught the compiler nothing
# or the wrong thing, and the build stops. (The tests judge the findings.)
function(train)
  execute_process(COMMAND ${KPILINT} ${ARGN} RESULT_VARIABLE status OUTPUT_QUIET ERROR_QUIET)
  if(NOT status STREQUAL "0" AND NOT status STREQUAL "1")
    string(JOIN " " command ${ARGN})
    message(FATAL_ERROR "pgo-train.cmake: `kpilint ${command}` ended with: ${status}")
  endif()
endfunction()
foreach(format text json sarif)
  train(check --format ${format} ${WORK}/workspace)
endforeach()
train(check ${SOURCE}/examples/aligned)
train(check ${SOURCE}/examples/mistakes)
