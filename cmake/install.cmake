# install.cmake: what `cmake --install` puts in place, and how others find it.
#
# The library (shared and static), its one public header, a pkg-config file
# and a CMake package (target mentormatch::mentormatch, the shared library;
# mentormatch::mentormatch_static for static linking), then the tool with its
# man page and bash completion.  Both the pkg-config file and the CMake
# package locate everything relative to themselves, so an installed tree can
# be moved (`cmake --install build --prefix DIR` works for any DIR).
include(CMakePackageConfigHelpers)
set(MM_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/mentormatch)

install(TARGETS mm_shared mm_engine EXPORT mentormatchTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(FILES ${PROJECT_SOURCE_DIR}/include/mentormatch.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT mentormatchTargets NAMESPACE mentormatch:: DESTINATION ${MM_CMAKE_DIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/mentormatchConfig.cmake.in
  ${PROJECT_BINARY_DIR}/mentormatchConfig.cmake INSTALL_DESTINATION ${MM_CMAKE_DIR})
# 0.x minor releases may break the API (semantic versioning), so only the
# same minor version is compatible until 1.0.
if(PROJECT_VERSION_MAJOR EQUAL 0)
  set(MM_COMPATIBILITY SameMinorVersion)
else()
  set(MM_COMPATIBILITY SameMajorVersion)
endif()
write_basic_package_version_file(${PROJECT_BINARY_DIR}/mentormatchConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY ${MM_COMPATIBILITY})
install(FILES ${PROJECT_BINARY_DIR}/mentormatchConfig.cmake
  ${PROJECT_BINARY_DIR}/mentormatchConfigVersion.cmake DESTINATION ${MM_CMAKE_DIR})

# pkg-config: prefix found from the .pc file's own folder.
file(RELATIVE_PATH MM_PC_TO_PREFIX /${CMAKE_INSTALL_LIBDIR}/pkgconfig /)
string(REGEX REPLACE "/$" "" MM_PC_TO_PREFIX "${MM_PC_TO_PREFIX}")
# Static linking needs GLPK and the OpenMP runtime of this build, which may
# sit outside the linker's path (clang's libomp), hence its folder too.
set(MM_PC_PRIVATE_LIBS "-lglpk -lm")
foreach(lib ${OpenMP_C_LIBRARIES})
  get_filename_component(dir ${lib} DIRECTORY)
  get_filename_component(file ${lib} NAME)
  string(REGEX REPLACE "^lib([^.]*)\\..*" "\\1" name "${file}")
  if(NOT dir IN_LIST CMAKE_C_IMPLICIT_LINK_DIRECTORIES)
    string(APPEND MM_PC_PRIVATE_LIBS " -L${dir}")
  endif()
  string(APPEND MM_PC_PRIVATE_LIBS " -l${name}")
endforeach()
configure_file(${PROJECT_SOURCE_DIR}/cmake/mentormatch.pc.in ${PROJECT_BINARY_DIR}/mentormatch.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/mentormatch.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

install(TARGETS mentormatch RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${PROJECT_SOURCE_DIR}/doc/mentormatch.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${PROJECT_SOURCE_DIR}/doc/mentormatch.bash-completion
  DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME mentormatch)
