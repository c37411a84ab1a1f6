# The libFuzzer build (SHIPLINE_FUZZ=ON, clang), included by the top-level
# CMakeLists.txt instead of everything else.
#
# Compiling the whole project with clang under sanitizers takes long on a
# small machine, so the fuzz targets link the libraries (and the fuzz
# support library) of a regular build, SHIPLINE_FUZZ_LIBS, and compile with
# clang, instrumented for coverage and under AddressSanitizer and UBSan, only
# the code they test: those objects come first on the link line, so the
# linker takes them instead of the same files' objects in the libraries.
# Clang and GCC share the C++ ABI and libstdc++.
if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR "SHIPLINE_FUZZ needs clang: configure with -DCMAKE_CXX_COMPILER=clang++")
endif()
if(NOT EXISTS "${SHIPLINE_FUZZ_LIBS}/libshipline_http.a")
  message(FATAL_ERROR "SHIPLINE_FUZZ_LIBS must name a regular build folder (e.g. build)")
endif()

set(fuzz_flags -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
    -fno-omit-frame-pointer)
set(src ${CMAKE_SOURCE_DIR}/src)
# The code under test, instrumented (the union of what the targets test).
file(GLOB fuzz_instrumented CONFIGURE_DEPENDS
     ${src}/http/wire_request.cpp ${src}/http/router.cpp ${src}/http/json_io.cpp
     ${src}/http/iso_time.cpp ${src}/http/ep/*.cpp ${src}/http/order_api/*.cpp
     ${src}/http/marketplace/*.cpp ${src}/http/native/order_json.cpp ${src}/http/native/orders_codec.cpp
     ${src}/http/native/shipments_codec.cpp ${src}/http/native/queries_codec.cpp
     ${src}/http/native/native_errors.cpp ${src}/http/shipping_orders/*.cpp
     ${src}/http/threepl/*.cpp ${src}/domain/tracking_number.cpp ${src}/domain/utf8.cpp ${src}/app/clock.cpp ${src}/app/base64url.cpp
     ${src}/app/order_queries.cpp ${src}/app/shipping_orders/shipping_order_list.cpp
     ${src}/adapters/broker/stomp_frame.cpp ${src}/adapters/mail/rfc5322.cpp)
add_library(shipline_fuzz_instrumented OBJECT ${fuzz_instrumented})
target_include_directories(shipline_fuzz_instrumented PRIVATE ${src})
target_compile_options(shipline_fuzz_instrumented PRIVATE ${fuzz_flags})
target_compile_definitions(shipline_fuzz_instrumented PRIVATE BOOST_ASIO_SEPARATE_COMPILATION
                           BOOST_ASIO_NO_DEPRECATED BOOST_BEAST_SEPARATE_COMPILATION)
target_link_libraries(shipline_fuzz_instrumented PRIVATE Boost::json Boost::url spdlog::spdlog)

set(prebuilt)
foreach(lib fuzz/libshipline_fuzz_support libshipline_http libshipline_store libshipline_adapters
        libshipline_workers libshipline_app libshipline_asio libshipline_domain)
  list(APPEND prebuilt ${SHIPLINE_FUZZ_LIBS}/${lib}.a)
endforeach()

include(${CMAKE_SOURCE_DIR}/fuzz/targets.cmake)
add_custom_target(fuzzers)
foreach(name ${fuzz_targets})
  add_executable(fuzz_${name} ${CMAKE_SOURCE_DIR}/fuzz/${name}.cpp
                 $<TARGET_OBJECTS:shipline_fuzz_instrumented>)
  target_include_directories(fuzz_${name} PRIVATE ${src} ${CMAKE_SOURCE_DIR}/tests
                             ${CMAKE_SOURCE_DIR}/fuzz)
  target_compile_options(fuzz_${name} PRIVATE ${fuzz_flags})
  target_compile_definitions(fuzz_${name} PRIVATE BOOST_ASIO_SEPARATE_COMPILATION
                             BOOST_ASIO_NO_DEPRECATED BOOST_BEAST_SEPARATE_COMPILATION)
  target_link_options(fuzz_${name} PRIVATE -fsanitize=fuzzer,address,undefined)
  target_link_libraries(fuzz_${name} PRIVATE -Wl,--start-group ${prebuilt} -Wl,--end-group
                        Boost::json Boost::url SQLite::SQLite3 CURL::libcurl OpenSSL::SSL
                        OpenSSL::Crypto spdlog::spdlog fmt::fmt PostgreSQL::PostgreSQL
                        Threads::Threads)
  add_dependencies(fuzzers fuzz_${name})
endforeach()
