# The plugin as the packages ship it: stripped in the main package, its debug
# symbols in the -dbgsym one under /usr/lib/debug/.build-id/, where gdb looks
# them up by the plugin's build-id. The build's own plugin
# (build/plugins/<series>/epan/phonehome.so, the one the tests load) keeps its
# debug information; split_debug.cmake makes the two halves from it after
# every link.
foreach(_ph_tool OBJCOPY READELF)
  if(NOT CMAKE_${_ph_tool})
    message(FATAL_ERROR "no ${_ph_tool} (binutils) found: it splits the plugin's debug symbols for the packages")
  endif()
endforeach()
set(_ph_split_dir "${CMAKE_CURRENT_BINARY_DIR}/split")
set(PHONEHOME_STRIPPED_PLUGIN "${_ph_split_dir}/phonehome.so")
# The build-id, hence the .debug file's name, is known only after the link:
# a stamp file stands for the debug tree.
add_custom_command(
  OUTPUT "${PHONEHOME_STRIPPED_PLUGIN}" "${_ph_split_dir}/debug.stamp"
  COMMAND "${CMAKE_COMMAND}" "-DPLUGIN=$<TARGET_FILE:phonehome>" "-DOUT=${_ph_split_dir}"
          "-DOBJCOPY=${CMAKE_OBJCOPY}" "-DREADELF=${CMAKE_READELF}"
          -P "${CMAKE_CURRENT_SOURCE_DIR}/split_debug.cmake"
  COMMAND "${CMAKE_COMMAND}" -E touch "${_ph_split_dir}/debug.stamp"
  DEPENDS phonehome "${CMAKE_CURRENT_SOURCE_DIR}/split_debug.cmake"
  COMMENT "Splitting phonehome.so into the stripped plugin and its debug symbols"
  VERBATIM)
add_custom_target(phonehome_split_debug ALL
                  DEPENDS "${PHONEHOME_STRIPPED_PLUGIN}" "${_ph_split_dir}/debug.stamp")

install(FILES "${PHONEHOME_STRIPPED_PLUGIN}"
        DESTINATION "${PHONEHOME_DEB_PLUGIN_DIR}/epan"
        PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ
        COMPONENT deb_plugin EXCLUDE_FROM_ALL)
install(DIRECTORY "${_ph_split_dir}/debug/"
        DESTINATION lib/debug
        FILE_PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ
        DIRECTORY_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE
                              WORLD_READ WORLD_EXECUTE
        COMPONENT dbgsym EXCLUDE_FROM_ALL)
# Debian's -dbgsym packages carry no documentation of their own, just this link.
install(CODE "file(MAKE_DIRECTORY \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/share/doc\")
file(CREATE_LINK \"${PHONEHOME_DEB_NAME}\" \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${_ph_doc}-dbgsym\" SYMBOLIC)"
        COMPONENT dbgsym EXCLUDE_FROM_ALL)
