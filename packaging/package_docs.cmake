# The documentation the main package installs:
#   /usr/share/doc/wireshark-plugin-phonehome/  README.md, user-guide.md, fields.md,
#       protocols/*.md (the same relative layout as docs/, so the guide's links
#       work), README.Debian, copyright, changelog.Debian.gz
#   /usr/share/man/man7/phonehome.7.gz         from docs/phonehome.7
# The man page and the changelog are gzipped at build time (gzip -n: no name
# or time stamp, so the same sources give the same bytes).
set(_ph_docs "${PROJECT_SOURCE_DIR}/docs")
phonehome_install_real_files(DESTINATION "${_ph_doc}" COMPONENT docs
  FILES "${PROJECT_SOURCE_DIR}/README.md" "${_ph_docs}/user-guide.md" "${_ph_docs}/fields.md"
        "${CMAKE_CURRENT_SOURCE_DIR}/README.Debian" "${CMAKE_CURRENT_SOURCE_DIR}/copyright")
file(GLOB _ph_protocol_pages CONFIGURE_DEPENDS "${_ph_docs}/protocols/*.md")
phonehome_install_real_files(DESTINATION "${_ph_doc}/protocols" COMPONENT docs FILES ${_ph_protocol_pages})

# The Debian changelog names this package's own version (<version>-1+ws<series>).
configure_file(changelog.in "${CMAKE_CURRENT_BINARY_DIR}/changelog.Debian" @ONLY)

function(phonehome_gzip in out)
  add_custom_command(OUTPUT "${out}"
                     COMMAND sh -c "gzip -9 -n -c \"$1\" >\"$2\"" sh "${in}" "${out}"
                     DEPENDS "${in}" VERBATIM)
endfunction()
set(_ph_manpage_gz "${CMAKE_CURRENT_BINARY_DIR}/phonehome.7.gz")
set(_ph_changelog_gz "${CMAKE_CURRENT_BINARY_DIR}/changelog.Debian.gz")
phonehome_gzip("${_ph_docs}/phonehome.7" "${_ph_manpage_gz}")
phonehome_gzip("${CMAKE_CURRENT_BINARY_DIR}/changelog.Debian" "${_ph_changelog_gz}")
add_custom_target(phonehome_package_docs ALL DEPENDS "${_ph_manpage_gz}" "${_ph_changelog_gz}")

install(FILES "${_ph_manpage_gz}" DESTINATION share/man/man7 COMPONENT docs EXCLUDE_FROM_ALL)
install(FILES "${_ph_changelog_gz}" DESTINATION "${_ph_doc}" COMPONENT docs EXCLUDE_FROM_ALL)
