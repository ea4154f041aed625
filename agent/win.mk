# GuruConnect Windows agent: cross-built with mingw-w64, tested under Wine on Xvfb.
# The top-level Makefile includes it; standalone (from the repository root):
#   make -f agent/win.mk agent-win-deps | agent-win-build | agent-win-test
# Build directory (git-ignored): agent/build/win64; Wine prefix: agent/build/wineprefix.

AGENT_WIN_DIR := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))
AGENT_WIN_BUILD := $(AGENT_WIN_DIR)/build/win64
AGENT_WIN_PREFIX := $(abspath $(AGENT_WIN_DIR)/build/wineprefix)
AGENT_WIN_JOBS ?= 2
AGENT_WIN_MAX_BYTES := 5242880
# What the .exe may import: Windows' own DLLs, nothing to ship beside it.
AGENT_WIN_SYSTEM_DLLS := ADVAPI32.dll CRYPT32.dll GDI32.dll IPHLPAPI.DLL KERNEL32.dll msvcrt.dll ole32.dll \
	OLEAUT32.dll Secur32.dll SHELL32.dll USER32.dll WS2_32.dll WTSAPI32.dll
AGENT_WIN_WINE := $(shell command -v wine64 2>/dev/null || echo /usr/lib/wine/wine64)

AGENT_WIN_PACKAGES := cmake ninja-build g++-mingw-w64-x86-64 libgcrypt-mingw-w64-dev \
	libgpg-error-mingw-w64-dev libz-mingw-w64-dev doctest-dev nlohmann-json3-dev wine64 xvfb

.PHONY: agent-win-deps agent-win-configure agent-win-build agent-win-test agent-win-bench

# Installs only what is missing; runs apt-get update only then.
agent-win-deps:
	@missing=""; \
	for p in $(AGENT_WIN_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "agent-win-deps: installing$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	else \
		echo "agent-win-deps: all packages present"; \
	fi

agent-win-configure: agent-win-deps
	@test -f $(AGENT_WIN_BUILD)/build.ninja || cmake -S $(AGENT_WIN_DIR) -B $(AGENT_WIN_BUILD) -G Ninja \
		-DCMAKE_TOOLCHAIN_FILE=$(abspath $(AGENT_WIN_DIR)/cmake/mingw-w64-x86_64.cmake) \
		-DCMAKE_BUILD_TYPE=MinSizeRel -DGURU_STATIC_DEPS=ON \
		-DCMAKE_CROSSCOMPILING_EMULATOR=$(AGENT_WIN_WINE)

# The one static, stripped .exe; fails if over 5 MB or if it imports a non-system DLL.
agent-win-build: agent-win-configure
	ninja -C $(AGENT_WIN_BUILD) -j$(AGENT_WIN_JOBS) guruconnect-agent
	@exe=$(AGENT_WIN_BUILD)/guruconnect-agent.exe; size=$$(stat -c %s $$exe); \
	echo "$$exe: $$size bytes"; \
	[ $$size -le $(AGENT_WIN_MAX_BYTES) ] || { echo "over 5 MB"; exit 1; }; \
	dlls=$$(x86_64-w64-mingw32-objdump -p $$exe | sed -n 's/.*DLL Name: //p'); \
	echo "imports:" $$dlls; \
	for d in $$dlls; do \
		echo " $(AGENT_WIN_SYSTEM_DLLS) " | tr A-Z a-z | grep -q " $$(echo $$d | tr A-Z a-z) " || \
			{ echo "imports a non-system DLL: $$d"; exit 1; }; \
	done

# Unit tests (protocol vectors, crypto, WebSocket, session, WIC encoders) and the Win32
# backend on the Wine desktop, all under Wine on Xvfb; then the agent's --self-test.
agent-win-test: agent-win-build
	ninja -C $(AGENT_WIN_BUILD) -j$(AGENT_WIN_JOBS)
	WINE=$(AGENT_WIN_WINE) sh $(AGENT_WIN_DIR)/platform/win32/wine_test.sh $(AGENT_WIN_BUILD) $(AGENT_WIN_PREFIX)

# Exe size, per-frame capture/encode ms at 1920x1080 and idle RSS/CPU, under Wine on Xvfb.
agent-win-bench: agent-win-build
	ninja -C $(AGENT_WIN_BUILD) -j$(AGENT_WIN_JOBS) guru-wine-probe guru-win32-bench
	WINE=$(AGENT_WIN_WINE) sh $(AGENT_WIN_DIR)/platform/win32/wine_bench.sh $(AGENT_WIN_BUILD) $(AGENT_WIN_PREFIX)
