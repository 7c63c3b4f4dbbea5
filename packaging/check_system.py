"""A clean start on Linux: the system libraries Qt needs, a Chinese font, and pdftoppm for the tests.

``python packaging/check_system.py gui``  — before `make run`: Qt's xcb platform plugin and its
libraries (ldd on PySide6's libqxcb.so and the QtGui libraries), a CJK font (fc-list :lang=zh).
``python packaging/check_system.py test`` — before `make test`: the Qt libraries the offscreen tests
load, the CJK font, pdftoppm (poppler-utils; the PDF pages are compared as pictures) and, when
MEDIATOR_TEST_POSTGRES_URL is set, pg_dump (postgresql-client; the migrated test schema is copied).

A missing library ("not found" in ldd's output) is mapped to its Debian/Ubuntu package. Run as root
with apt-get, the packages are installed (quietly); otherwise ONE exact command is printed
(``sudo apt-get install -y …``; ``su -c 'apt-get install -y …'`` where sudo is not installed) and the
exit code is 1. ``--print-only`` never installs.
MEDIATOR_SKIP_SYSTEM_CHECK=1 skips the check; on Windows and macOS there is nothing to check.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

SKIP_VAR = "MEDIATOR_SKIP_SYSTEM_CHECK"

# Shared library (soname) → the Debian 12 / Ubuntu package that ships it.
PACKAGES: dict[str, str] = {
    "libxcb.so.1": "libxcb1",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xinerama.so.0": "libxcb-xinerama0",
    "libxcb-xinput.so.0": "libxcb-xinput0",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-glx.so.0": "libxcb-glx0",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libXext.so.6": "libxext6",
    "libXrender.so.1": "libxrender1",
    "libSM.so.6": "libsm6",
    "libICE.so.6": "libice6",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libGLX.so.0": "libglx0",
    "libOpenGL.so.0": "libopengl0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libgobject-2.0.so.0": "libglib2.0-0",
    "libwayland-client.so.0": "libwayland-client0",
    "libwayland-cursor.so.0": "libwayland-cursor0",
    "libwayland-egl.so.1": "libwayland-egl1",
    "libcups.so.2": "libcups2",
    "libgssapi_krb5.so.2": "libgssapi-krb5-2",
    "libz.so.1": "zlib1g",
}
FONT_PACKAGES = ["fonts-wqy-zenhei", "fonts-arphic-uming"]  # the faces mediator/documents looks for
PDFTOPPM_PACKAGE = "poppler-utils"
# With a test PostgreSQL (MEDIATOR_TEST_POSTGRES_URL), tests/templates.py copies one migrated schema
# with pg_dump; without it every PostgreSQL test migrates from scratch (much slower).
PG_DUMP_PACKAGE = "postgresql-client"
TEST_POSTGRES_VAR = "MEDIATOR_TEST_POSTGRES_URL"

# Relative to PySide6/Qt: what the desktop program loads (xcb) and what the offscreen tests load.
GUI_LIBRARIES = ["plugins/platforms/libqxcb.so", "plugins/xcbglintegrations/libqxcb-glx-integration.so",
                 "lib/libQt6XcbQpa.so.6", "lib/libQt6Gui.so.6", "lib/libQt6Widgets.so.6",
                 "lib/libQt6PrintSupport.so.6", "lib/libQt6Pdf.so.6", "lib/libQt6Core.so.6",
                 "plugins/printsupport/libcupsprintersupport.so"]
TEST_LIBRARIES = ["plugins/platforms/libqoffscreen.so", "lib/libQt6Gui.so.6", "lib/libQt6Widgets.so.6",
                  "lib/libQt6PrintSupport.so.6", "lib/libQt6Pdf.so.6", "lib/libQt6Core.so.6"]

NOT_FOUND = re.compile(r"^\s*(\S+)\s+=>\s+not found\s*$")


@dataclass
class Findings:
    """What is missing: libraries (soname → package or None when unknown), other packages, notes."""

    libraries: dict[str, str | None] = field(default_factory=dict)
    packages: list[str] = field(default_factory=list)  # fonts, poppler-utils
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.libraries and not self.packages

    def to_install(self) -> list[str]:
        """The packages to install, each once, in the order they were found."""
        names = [p for p in self.libraries.values() if p] + self.packages
        return list(dict.fromkeys(names))

    def unknown(self) -> list[str]:
        return [lib for lib, package in self.libraries.items() if package is None]


def missing_libraries(ldd_output: str) -> list[str]:
    """The sonames ldd could not resolve (its "libfoo.so.1 => not found" lines)."""
    return [m.group(1) for line in ldd_output.splitlines() if (m := NOT_FOUND.match(line))]


def package_for(soname: str) -> str | None:
    """The Debian package of a library; an unknown version suffix is matched by its base name."""
    if soname in PACKAGES:
        return PACKAGES[soname]
    base = soname.split(".so")[0]
    return next((p for lib, p in PACKAGES.items() if lib.split(".so")[0] == base), None)


def add_ldd_output(findings: Findings, ldd_output: str) -> None:
    for soname in missing_libraries(ldd_output):
        findings.libraries.setdefault(soname, package_for(soname))


def install_command(packages: list[str], root: bool, sudo: bool = True) -> list[str]:
    """apt-get as root; else through sudo, or ``su -c`` where sudo is not installed (Debian's minimal
    installs with a root password have no sudo)."""
    apt = ["apt-get", "install", "-y", *packages]
    if root:
        return apt
    return ["sudo", *apt] if sudo else ["su", "-c", "'" + " ".join(apt) + "'"]


def qt_folder() -> Path | None:
    try:
        import PySide6
    except ImportError:
        return None
    return Path(PySide6.__file__).resolve().parent / "Qt"


def ldd(path: Path) -> str:
    result = subprocess.run(["ldd", str(path)], capture_output=True, text=True, check=False)
    return result.stdout


def has_cjk_font() -> bool:
    if shutil.which("fc-list") is None:
        return False
    result = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=False)
    return bool(result.stdout.strip())


def examine(mode: str) -> Findings:
    findings = Findings()
    qt = qt_folder()
    if qt is None:
        findings.notes.append("未找到 PySide6：请先安装本程序的依赖（make 会自动创建 .venv）")
    elif shutil.which("ldd") is None:
        findings.notes.append("没有 ldd 命令，无法检查 Qt 所需的系统库")
    else:
        for relative in GUI_LIBRARIES if mode == "gui" else TEST_LIBRARIES:
            if (qt / relative).exists():
                add_ldd_output(findings, ldd(qt / relative))
    if shutil.which("fc-list") is None:
        findings.packages.append("fontconfig")  # fc-list itself; Qt finds fonts through it
    if not has_cjk_font():
        findings.packages += FONT_PACKAGES
    if mode == "test" and shutil.which("pdftoppm") is None:
        findings.packages.append(PDFTOPPM_PACKAGE)
    if mode == "test" and os.environ.get(TEST_POSTGRES_VAR) and shutil.which("pg_dump") is None:
        findings.packages.append(PG_DUMP_PACKAGE)
    return findings


def apt_install(packages: list[str]) -> bool:
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "env": env, "check": False}
    subprocess.run(["apt-get", "update", "-qq"], **quiet)
    return subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages],
                          **quiet).returncode == 0


def describe(findings: Findings) -> list[str]:
    lines = []
    if findings.libraries:
        lines.append("缺少 Qt 所需的系统库：" + "、".join(findings.libraries))
    if set(FONT_PACKAGES) <= set(findings.packages):
        lines.append("没有中文字体（fc-list :lang=zh 为空）：界面和文书中的汉字会显示为方框")
    if PDFTOPPM_PACKAGE in findings.packages:
        lines.append("没有 pdftoppm（poppler-utils）：测试要用它把PDF页面转成图片")
    if PG_DUMP_PACKAGE in findings.packages:
        lines.append("没有 pg_dump（postgresql-client）：PostgreSQL 测试要用它复制迁移好的模板，"
                     "否则每个测试都要重新迁移")
    if findings.unknown():
        lines.append("以下库不知道属于哪个软件包，请自行安装：" + "、".join(findings.unknown()))
    return lines + findings.notes


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    mode = next((a for a in args if not a.startswith("-")), "gui")
    if mode not in ("gui", "test"):
        print("用法：python packaging/check_system.py gui|test [--print-only]", file=sys.stderr)
        return 2
    if os.environ.get(SKIP_VAR) == "1" or not sys.platform.startswith("linux"):
        return 0
    findings = examine(mode)
    if findings.ok:
        if findings.notes:
            print("\n".join(findings.notes), file=sys.stderr)
        return 0
    packages = findings.to_install()
    root = hasattr(os, "geteuid") and os.geteuid() == 0
    apt = shutil.which("apt-get") is not None
    if root and apt and packages and "--print-only" not in args:
        print(f"正在安装系统组件：{' '.join(packages)}", flush=True)
        if apt_install(packages) and examine(mode).ok:
            print("系统组件已安装。")
            return 0
        print("自动安装未成功。", file=sys.stderr)
    print("\n".join(describe(findings)), file=sys.stderr)
    if packages and apt:
        print("请运行以下命令后重试：", file=sys.stderr)
        sudo = shutil.which("sudo") is not None
        print("  " + " ".join(install_command(packages, root, sudo)), file=sys.stderr)
    elif packages:
        print(f"请用本系统的软件包管理器安装相应组件（Debian/Ubuntu 包名：{' '.join(packages)}）", file=sys.stderr)
    print(f"（设置 {SKIP_VAR}=1 可跳过此检查）", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
