# doctest and nlohmann/json for the cross-built tests: both are header-only, so copy the
# host's headers into the build tree and point interface targets at the copy. Adding
# /usr/include itself would put glibc's headers in front of mingw-w64's.
set(GURU_HOST_TEST_HEADERS "${CMAKE_BINARY_DIR}/host-test-headers")
foreach(dir doctest nlohmann)
  if(NOT EXISTS /usr/include/${dir})
    message(FATAL_ERROR "/usr/include/${dir} missing: install doctest-dev nlohmann-json3-dev")
  endif()
  file(COPY /usr/include/${dir} DESTINATION ${GURU_HOST_TEST_HEADERS})
endforeach()
add_library(guru_host_doctest INTERFACE)
target_include_directories(guru_host_doctest SYSTEM INTERFACE ${GURU_HOST_TEST_HEADERS})
add_library(doctest::doctest ALIAS guru_host_doctest)
add_library(nlohmann_json::nlohmann_json ALIAS guru_host_doctest)
