# Toolchain file: cross-build for 64-bit Windows with Debian's MinGW-w64
# (g++-mingw-w64-x86-64). Uses the compilers of the "posix" thread model,
# whose libstdc++ has std::thread and std::mutex (the win32 model's does not
# in GCC 12). libgcc, libstdc++ and winpthread are linked statically so the
# .exe and .dll files run under Wine or on Windows without extra DLLs.
#
#   cmake -S . -B build-windows -G Ninja \
#     -DCMAKE_TOOLCHAIN_FILE=cmake/mingw-w64-x86_64.cmake
#
# Tests then run under Wine: CMAKE_CROSSCOMPILING_EMULATOR (wine64 by
# default here) lets ctest start them.

set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)

set(JETSVC_MINGW_TRIPLE x86_64-w64-mingw32)
set(CMAKE_C_COMPILER ${JETSVC_MINGW_TRIPLE}-gcc-posix)
set(CMAKE_CXX_COMPILER ${JETSVC_MINGW_TRIPLE}-g++-posix)
set(CMAKE_RC_COMPILER ${JETSVC_MINGW_TRIPLE}-windres)
set(CMAKE_AR ${JETSVC_MINGW_TRIPLE}-gcc-ar-posix CACHE FILEPATH "Archiver")
set(CMAKE_RANLIB ${JETSVC_MINGW_TRIPLE}-gcc-ranlib-posix CACHE FILEPATH "Ranlib")

# Headers and libraries of the target come only from the MinGW sysroot;
# programs (code generators, wine) from the host.
set(CMAKE_FIND_ROOT_PATH /usr/${JETSVC_MINGW_TRIPLE})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
# Target libraries built outside the sysroot are roots too: Boost from
# scripts/build-boost-mingw.sh, given as -DBOOST_ROOT=<its output> (or
# Boost_ROOT, or either in the environment). Without this, find_package
# would look for them only under /usr/${JETSVC_MINGW_TRIPLE}.
foreach(jetsvc_root IN ITEMS "${BOOST_ROOT}" "${Boost_ROOT}" "$ENV{BOOST_ROOT}" "$ENV{Boost_ROOT}")
  if(jetsvc_root)
    list(APPEND CMAKE_FIND_ROOT_PATH ${jetsvc_root})
  endif()
endforeach()
unset(jetsvc_root)

# Static runtime: -static makes the linker take libgcc, libstdc++ and
# winpthread (pulled in by the posix thread model) from their .a archives;
# the Windows system DLLs stay dynamic (their .a files are import
# libraries).
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static")
set(CMAKE_SHARED_LINKER_FLAGS_INIT "-static")
set(CMAKE_MODULE_LINKER_FLAGS_INIT "-static")

if(NOT DEFINED CMAKE_CROSSCOMPILING_EMULATOR)
  find_program(JETSVC_WINE64 NAMES wine64 wine)
  if(JETSVC_WINE64)
    set(CMAKE_CROSSCOMPILING_EMULATOR ${JETSVC_WINE64})
  endif()
endif()
