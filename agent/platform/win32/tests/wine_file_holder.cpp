// A Windows program that holds a file open as another program would (an editor, a scanner):
// read access, sharing read only, so no other process may delete it. For
// tests/wine/test_wine_self_delete.py: Python's own handles are Unix ones, which Wine's
// sharing rules never see.
//   guru-wine-file-holder.exe FILE READY   opens FILE, then creates READY; holds FILE until
//                                          READY is deleted (at most 300 s)
#include <windows.h>

int wmain(int argc, wchar_t** argv) {
    if (argc != 3) return 2;
    HANDLE held = CreateFileW(argv[1], GENERIC_READ, FILE_SHARE_READ, nullptr, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL,
                              nullptr);
    if (held == INVALID_HANDLE_VALUE) return 3;
    HANDLE ready = CreateFileW(argv[2], GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_DELETE, nullptr, CREATE_ALWAYS,
                               FILE_ATTRIBUTE_NORMAL, nullptr);
    if (ready == INVALID_HANDLE_VALUE) return 4;
    CloseHandle(ready);
    for (int tick = 0; tick < 3000 && GetFileAttributesW(argv[2]) != INVALID_FILE_ATTRIBUTES; ++tick) Sleep(100);
    CloseHandle(held);
    return 0;
}
