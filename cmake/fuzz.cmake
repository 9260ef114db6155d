# libFuzzer targets (issue 12): one per parser of outside input, in tests/fuzz/fuzz_<name>.cpp.
# Only with clang (g++ has no libFuzzer); clang 19 or newer, since libstdc++ 12's <expected> needs
# the C++20 concepts level only clang 19 announces. Configure a separate build directory:
#   CC=clang-19 CXX=clang++-19 cmake -S . -B build-fuzz -G Ninja -DKCTL_FUZZ=ON -DBUILD_TESTING=OFF
#   cmake --build build-fuzz --target fuzz_all
# scripts/fuzz.sh does this and runs every target.
if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang" OR CMAKE_CXX_COMPILER_VERSION VERSION_LESS 19)
  message(FATAL_ERROR "KCTL_FUZZ needs clang 19 or newer (CXX=clang++-19), not "
                      "${CMAKE_CXX_COMPILER_ID} ${CMAKE_CXX_COMPILER_VERSION}")
endif()

# The parsers the targets reach and what they need, instrumented for coverage (fuzzer-no-link) and
# checked by AddressSanitizer (leaks included) and UndefinedBehaviorSanitizer. The commands, flows
# and manifests are not compiled: no target reaches them.
file(GLOB kctl_fuzz_core_sources CONFIGURE_DEPENDS
  src/util/*.cpp src/pki/*.cpp src/kube/*.cpp src/output/*.cpp src/describe/*.cpp)
list(APPEND kctl_fuzz_core_sources src/init/crds.cpp src/karmada/discovery.cpp
  src/karmada/bootstrap_token.cpp src/karmada/endpoint.cpp ${build_info_cpp})
list(APPEND kctl_fuzz_core_sources src/explain/explain.cpp src/explain/openapi_v2.cpp)
set(kctl_fuzz_flags -fsanitize=address,undefined -fno-sanitize-recover=undefined
  -fno-omit-frame-pointer -g -O1 -D_GLIBCXX_ASSERTIONS)

add_library(kctl_fuzz_core STATIC ${kctl_fuzz_core_sources})
add_dependencies(kctl_fuzz_core build_info)
target_include_directories(kctl_fuzz_core PUBLIC src)
target_compile_options(kctl_fuzz_core PRIVATE ${kctl_fuzz_flags} -fsanitize=fuzzer-no-link)
target_link_libraries(kctl_fuzz_core
  PUBLIC CLI11::CLI11 fmt::fmt nlohmann_json::nlohmann_json yaml-cpp CURL::libcurl
         OpenSSL::SSL OpenSSL::Crypto ZLIB::ZLIB Threads::Threads)
# curl_transport.cpp and jsonpath.cpp keep anonymous-namespace types in header-declared classes.
set_source_files_properties(src/kube/curl_transport.cpp src/output/jsonpath.cpp
  PROPERTIES SKIP_UNITY_BUILD_INCLUSION ON)

file(GLOB kctl_fuzz_target_sources CONFIGURE_DEPENDS tests/fuzz/fuzz_*.cpp)
add_custom_target(fuzz_all)
foreach(source IN LISTS kctl_fuzz_target_sources)
  get_filename_component(target ${source} NAME_WE)
  add_executable(${target} ${source} tests/fuzz/fuzz_common.hpp)
  target_compile_options(${target} PRIVATE ${kctl_fuzz_flags} -fsanitize=fuzzer)
  target_link_options(${target} PRIVATE -fsanitize=fuzzer,address,undefined)
  target_link_libraries(${target} PRIVATE kctl_fuzz_core)
  set_target_properties(${target} PROPERTIES UNITY_BUILD OFF)
  add_dependencies(fuzz_all ${target})
endforeach()
