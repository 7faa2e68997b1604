"""LibreOffice as a converter that touches nothing outside its input: a fresh profile per run whose
settings never update links nor load linked content (an .odt can link an image at any address, which
LibreOffice would fetch), and, where the system allows it, no network at all (`unshare -n`: a network
namespace with only a loopback interface that is down). Without unshare the profile settings still hold."""

from __future__ import annotations

import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

# Writer's and Calc's "update links when loading": 0 never (1 on request, 2 always); the untrusted-referer
# block stops the loading of linked images and objects; macros run only from trusted places (none are set).
SETTINGS = (
    ("/org.openoffice.Office.Writer/Content/Update", "Link", "0"),
    ("/org.openoffice.Office.Calc/Content/Update", "Link", "0"),
    ("/org.openoffice.Office.Common/Security/Scripting", "BlockUntrustedRefererLinks", "true"),
    ("/org.openoffice.Office.Common/Security/Scripting", "MacroSecurityLevel", "3"),
    ("/org.openoffice.Office.Common/Misc", "UseLocking", "false"),
)


def profile_settings() -> str:
    items = "".join(
        f'<item oor:path="{path}"><prop oor:name="{name}" oor:op="fuse"><value>{value}</value></prop></item>\n'
        for path, name, value in SETTINGS
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
        'xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
        f"{items}</oor:items>\n"
    )


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def libreoffice_command(executable: str, profile: Path, arguments: list[str]) -> list[str]:
    """The command line for one headless LibreOffice run with a fresh, locked-down profile in `profile`."""
    user = profile / "user"
    user.mkdir(parents=True, exist_ok=True)
    (user / "registrymodifications.xcu").write_text(profile_settings(), encoding="utf-8")
    command = [executable, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore", *arguments]
    return [*no_network_prefix(), *command]


@lru_cache(maxsize=1)
def no_network_prefix() -> tuple[str, ...]:
    """`unshare -n` (as root) or `unshare -rn` (a user namespace, for anyone where the kernel allows it),
    whichever works here; empty when neither does (then only the profile settings protect)."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return ()
    for flags in (["-n"], ["-rn"]):
        try:
            probe = subprocess.run([unshare, *flags, "true"], capture_output=True, timeout=10, check=False)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if probe.returncode == 0:
            return (unshare, *flags)
    return ()
