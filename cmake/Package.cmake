# `make deb`: the Debian package (docs/DEPLOYMENT.md). CPack's DEB generator
# turns these install() rules into shipline_VERSION_amd64.deb; dpkg-shlibdeps
# computes Depends from the libraries the binary links (what ldd shows).
include(GNUInstallDirs)

install(TARGETS shipline RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${CMAKE_SOURCE_DIR}/packaging/systemd/shipline.service
              ${CMAKE_SOURCE_DIR}/packaging/systemd/shipline-email-worker.service
              ${CMAKE_SOURCE_DIR}/packaging/systemd/shipline-backup.service
              ${CMAKE_SOURCE_DIR}/packaging/systemd/shipline-backup.timer
        DESTINATION /lib/systemd/system)  # where bookworm packages keep units
# An absolute destination: /etc even when the prefix is /usr (a conffile).
install(FILES ${CMAKE_SOURCE_DIR}/packaging/shipline.toml DESTINATION /etc/shipline)
install(FILES ${CMAKE_SOURCE_DIR}/README.md ${CMAKE_SOURCE_DIR}/docs/DEPLOYMENT.md
        DESTINATION ${CMAKE_INSTALL_DOCDIR})

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME shipline)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "self-hosted shipment service")
set(CPACK_PACKAGE_DESCRIPTION
    "shipline keeps orders and shipments, completes shipments (tracking, payment capture,\n\
confirmation email), records every status change as an event and speaks existing\n\
shipment API contracts, on an embedded SQLite database or a shared PostgreSQL one.")
set(CPACK_PACKAGE_CONTACT "shipline maintainers <shipline@localhost>")
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # shipline_VERSION_amd64.deb
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# adduser makes the system user in postinst; the rest comes from shlibdeps.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${CMAKE_SOURCE_DIR}/packaging/debian/postinst ${CMAKE_SOURCE_DIR}/packaging/debian/prerm
    ${CMAKE_SOURCE_DIR}/packaging/debian/postrm ${CMAKE_SOURCE_DIR}/packaging/debian/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_OUTPUT_FILE_PREFIX ${CMAKE_BINARY_DIR})
include(CPack)
