#!/usr/bin/env python3
"""Writes a zip archive whose bytes depend only on what it holds and SOURCE_DATE_EPOCH.

    zip.py ARCHIVE NAME=FILE [NAME=FILE ...]

Each entry NAME holds FILE's bytes. Nothing of the host goes in: entries in name order,
each stamped with SOURCE_DATE_EPOCH (UTC, to the even second below as the format counts;
1980-01-01 at the earliest, its first day), mode 0755 of a regular file (the archives hold programs) whatever the file's
own mode and the umask, "made by" Unix on every host (so unzip and Terraform keep the
mode), no extra fields, and deflate at level 6 (zlib's default).
"""

import os
import sys
import time
import zipfile

DOS_EPOCH = 315532800  # 1980-01-01T00:00:00Z


def main(argv):
    if len(argv) < 3 or any("=" not in a for a in argv[2:]):
        sys.exit("usage: zip.py ARCHIVE NAME=FILE [NAME=FILE ...]")
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None or not epoch.isdigit():
        sys.exit("zip.py: SOURCE_DATE_EPOCH must be set to the commit's time, in seconds")
    stamp = time.gmtime(max(int(epoch), DOS_EPOCH))[:6]
    archive = argv[1]
    entries = sorted(a.split("=", 1) for a in argv[2:])
    partial = archive + ".partial"
    with zipfile.ZipFile(partial, "w") as z:
        for name, path in entries:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.create_system = 3  # Unix
            info.external_attr = (0o100755 << 16)
            info.compress_type = zipfile.ZIP_DEFLATED
            with open(path, "rb") as f:
                z.writestr(info, f.read(), compresslevel=6)
    os.replace(partial, archive)


if __name__ == "__main__":
    main(sys.argv)
