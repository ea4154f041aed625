#!/bin/sh
# Prints the first clang that can link a libFuzzer target: the Swift toolchain's, then
# Debian's (clang + libclang-rt-14-dev). Exits 1 if none can.
probe_dir=$(mktemp -d)
trap 'rm -rf "$probe_dir"' EXIT
printf 'extern "C" int LLVMFuzzerTestOneInput(const unsigned char*, unsigned long) { return 0; }\n' \
    >"$probe_dir/probe.cpp"
for cc in /opt/swift/usr/bin/clang clang clang-14; do
    command -v "$cc" >/dev/null 2>&1 || continue
    if "${cc}++" -fsanitize=fuzzer "$probe_dir/probe.cpp" -o "$probe_dir/probe" >/dev/null 2>&1; then
        command -v "$cc"
        exit 0
    fi
done
exit 1
