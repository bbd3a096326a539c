# Splits the built plugin into what the two Debian packages ship, as Debian's
# dh_strip does (run at build time by packaging/CMakeLists.txt):
#   cmake -DPLUGIN=<built phonehome.so> -DOUT=<folder> -DOBJCOPY=... -DREADELF=... -P split_debug.cmake
# writes
#   <OUT>/phonehome.so                                    stripped: no .debug_* sections, no
#                                                         static symbol table, no .comment
#   <OUT>/debug/.build-id/<xx>/<rest of build-id>.debug    the debug sections (compressed)
# The stripped file keeps the build's GNU build-id note, so gdb finds the
# symbols under /usr/lib/debug/.build-id/ once the -dbgsym package is in;
# the code and data sections stay byte for byte those of the build.
foreach(var PLUGIN OUT OBJCOPY READELF)
  if(NOT ${var})
    message(FATAL_ERROR "split_debug.cmake: -D${var}=... is required")
  endif()
endforeach()

execute_process(COMMAND "${CMAKE_COMMAND}" -E env LC_ALL=C "${READELF}" -n "${PLUGIN}"
                OUTPUT_VARIABLE notes RESULT_VARIABLE rc)
if(NOT rc EQUAL 0 OR NOT notes MATCHES "Build ID: ([0-9a-f][0-9a-f])([0-9a-f]+)")
  message(FATAL_ERROR "${PLUGIN} has no GNU build-id note (link with -Wl,--build-id)")
endif()
set(debug_dir "${OUT}/debug/.build-id/${CMAKE_MATCH_1}")
set(debug_file "${debug_dir}/${CMAKE_MATCH_2}.debug")

# A new build-id is a new file name: drop the previous build's.
file(REMOVE_RECURSE "${OUT}/debug")
file(MAKE_DIRECTORY "${debug_dir}")

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    string(REPLACE ";" " " cmd "${ARGN}")
    message(FATAL_ERROR "${cmd} failed: ${err}")
  endif()
endfunction()

run("${OBJCOPY}" --only-keep-debug --compress-debug-sections "${PLUGIN}" "${debug_file}")
run("${OBJCOPY}" --strip-unneeded --remove-section=.comment
    "--add-gnu-debuglink=${debug_file}" "${PLUGIN}" "${OUT}/phonehome.so.tmp")
file(RENAME "${OUT}/phonehome.so.tmp" "${OUT}/phonehome.so")
