"""A machine's DMI (SMBIOS) strings for the Windows agent under Wine, in a mount namespace of the
test's own: this sandbox has no /sys/class/dmi, and Wine builds the table GetSystemFirmwareTable
returns from /sys/class/dmi/id. The holder process (`unshare --mount`) puts a tmpfs over
/sys/class, binds every real entry back, and adds dmi/id with the given files; commands started
with `launcher` (nsenter into it) and everything they start see that machine. Nothing outside
the namespace changes; the holder is stopped by pid."""
import os
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest

SETUP = r"""
set -eu
keep="$1"; dmi="$2"
mkdir -p "$keep/class"
mount --bind /sys/class "$keep/class"
mount -t tmpfs guru-dmi /sys/class
for entry in "$keep"/class/*; do
  name=$(basename "$entry")
  [ "$name" = dmi ] && continue
  mkdir "/sys/class/$name"
  mount --bind "$entry" "/sys/class/$name"
done
mkdir -p /sys/class/dmi/id
cp "$dmi"/* /sys/class/dmi/id/
echo ready
exec sleep 3600
"""


@contextmanager
def fake_dmi(values):
    """Yields the launcher prefix (a list) for commands that should see `values`
    ({"product_serial": "...", ...}) in /sys/class/dmi/id."""
    for tool in ("unshare", "nsenter", "mount"):
        if not shutil.which(tool):
            pytest.fail(f"{tool} (util-linux) is needed for the fake DMI table")
    with tempfile.TemporaryDirectory(prefix="guru-dmi-") as folder:
        dmi = Path(folder) / "id"
        dmi.mkdir()
        for name, value in values.items():
            (dmi / name).write_text(value + "\n")
        holder = subprocess.Popen(["unshare", "--mount", "--propagation", "private", "sh", "-c", SETUP, "sh",
                                   str(Path(folder) / "keep"), str(dmi)],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            line = holder.stdout.readline()  # bounded: the script prints or exits
            if line.strip() != "ready":
                holder.wait(timeout=10)
                pytest.fail(f"cannot make the DMI namespace (exit {holder.returncode}): {holder.stderr.read()}")
            launcher = ["nsenter", "-t", str(holder.pid), "-m", "--"]
            seen = subprocess.run([*launcher, "cat", "/sys/class/dmi/id/product_serial"], capture_output=True,
                                  text=True, timeout=10)
            assert seen.stdout.strip() == values.get("product_serial", ""), seen
            assert not os.path.exists("/sys/class/dmi/id/product_serial") or \
                Path("/sys/class/dmi/id/product_serial").read_text().strip() != values.get("product_serial"), \
                "the fake DMI leaked out of its namespace"
            yield launcher
        finally:
            holder.kill()
            holder.wait(timeout=10)
