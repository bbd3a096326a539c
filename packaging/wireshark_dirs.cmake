# Where the package puts things, relative to Wireshark's prefix (/usr), so
# that CPack stages them under CPACK_PACKAGING_INSTALL_PREFIX:
#   PHONEHOME_DEB_PLUGIN_DIR    Wireshark's global plugin folder of this series
#                               (lib/x86_64-linux-gnu/wireshark/plugins/4.0)
#   PHONEHOME_DEB_PROFILES_DIR  Wireshark's global profiles folder
#                               (share/wireshark/profiles), whose profiles
#                               Edit > Configuration Profiles lists and -C finds
# Both follow the Wireshark the build uses rather than a hard-coded path.

if(Wireshark_INSTALL_PREFIX)
  get_filename_component(_ph_ws_prefix "${Wireshark_INSTALL_PREFIX}" ABSOLUTE)
else()
  set(_ph_ws_prefix "/usr")
endif()

# "/usr/share/wireshark" -> "share/wireshark"; fails for a folder outside the prefix.
function(phonehome_under_prefix path what out)
  if(IS_ABSOLUTE "${path}")
    file(RELATIVE_PATH path "${_ph_ws_prefix}" "${path}")
  endif()
  if(path MATCHES "^\\.\\.")
    message(FATAL_ERROR "${what} (${path}) is not under Wireshark's prefix ${_ph_ws_prefix}")
  endif()
  set(${out} "${path}" PARENT_SCOPE)
endfunction()

phonehome_under_prefix("${Wireshark_PLUGIN_INSTALL_DIR}" "Wireshark_PLUGIN_INSTALL_DIR" PHONEHOME_DEB_PLUGIN_DIR)

# Wireshark's data folder is not in WiresharkConfig.cmake (4.0 to 4.6): ask
# the tshark of the same series ("Global configuration:" of -G folders), and
# fall back to where Wireshark's own build puts it, <prefix>/share/wireshark.
set(_ph_ws_datadir "${_ph_ws_prefix}/share/wireshark")
set(_ph_ws_datadir_from "Wireshark's default layout")
find_program(PHONEHOME_TSHARK tshark)
if(PHONEHOME_TSHARK)
  execute_process(COMMAND "${PHONEHOME_TSHARK}" --version OUTPUT_VARIABLE _ph_version ERROR_QUIET)
  execute_process(COMMAND "${PHONEHOME_TSHARK}" -G folders OUTPUT_VARIABLE _ph_folders ERROR_QUIET)
  if(_ph_version MATCHES "^[^0-9]*${Wireshark_MAJOR_VERSION}\\.${Wireshark_MINOR_VERSION}\\."
     AND _ph_folders MATCHES "Global configuration:[ \t]*([^\n]+)")
    string(STRIP "${CMAKE_MATCH_1}" _ph_ws_datadir)
    set(_ph_ws_datadir_from "${PHONEHOME_TSHARK} -G folders")
  endif()
endif()
phonehome_under_prefix("${_ph_ws_datadir}/profiles" "Wireshark's global profiles folder" PHONEHOME_DEB_PROFILES_DIR)
message(STATUS "Global configuration profiles: ${_ph_ws_datadir}/profiles (from ${_ph_ws_datadir_from})")
