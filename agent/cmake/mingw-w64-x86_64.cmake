# Toolchain file for the Windows agent, cross-built on Debian with mingw-w64
# (apt-get install g++-mingw-w64-x86-64-posix libgcrypt-mingw-w64-dev).
# usage: cmake -S agent -B agent/build/win64 -DCMAKE_TOOLCHAIN_FILE=agent/cmake/mingw-w64-x86_64.cmake
# The posix thread model is needed for std::thread / std::mutex / std::call_once.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(CMAKE_C_COMPILER x86_64-w64-mingw32-gcc-posix)
set(CMAKE_CXX_COMPILER x86_64-w64-mingw32-g++-posix)
set(CMAKE_RC_COMPILER x86_64-w64-mingw32-windres)
set(CMAKE_FIND_ROOT_PATH /usr/x86_64-w64-mingw32)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
