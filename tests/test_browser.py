"""The demo round's documents in a real browser: headless Chromium opens them, the
console stays silent, the personas are on the page, and screenshots are taken at
1280 px wide and in print layout.

Chromium comes from Debian (``apt-get install -y chromium``), installed here when
it is missing and the tests run as root; otherwise the tests are skipped with the
reason. Set ``PERSONA_LAB_SCREENSHOTS=DIR`` to keep the screenshots (the README's
are made this way: ``PERSONA_LAB_SCREENSHOTS=docs/screenshots pytest -m browser``).
"""

from __future__ import annotations

import html
import os
import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from conftest import DEMO
from persona_lab.views import card_files

pytestmark = [pytest.mark.slow, pytest.mark.browser]

CHROMIUM = "/usr/bin/chromium"
WIDTH = 1280
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
)
# Chromium logs every console message (errors, CSP violations, uncaught exceptions)
# on stderr as "[...:INFO:CONSOLE:12] ..." or "ERROR:CONSOLE(12)": the pages have no
# script, so any such line is a failure.
CONSOLE = re.compile(r":CONSOLE\b|Uncaught|net::ERR_")


def _install_chromium() -> str | None:
    """Debian's chromium when present, installed with apt-get when missing and root."""
    found = shutil.which("chromium") or (CHROMIUM if Path(CHROMIUM).exists() else None)
    if found:
        return found
    if os.name != "posix" or os.geteuid() != 0 or not shutil.which("apt-get"):
        return None
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "--no-install-recommends", "chromium"]
    if subprocess.run(install, env=env, capture_output=True, timeout=900).returncode != 0:
        subprocess.run(["apt-get", "update"], env=env, capture_output=True, timeout=600)
        subprocess.run(install, env=env, capture_output=True, timeout=900)
    return shutil.which("chromium") or (CHROMIUM if Path(CHROMIUM).exists() else None)


@pytest.fixture(scope="module")
def chromium() -> str:
    path = _install_chromium()
    if path is None:
        pytest.skip(
            "chromium is not installed and cannot be installed here "
            "(needs root and apt-get): run apt-get install -y chromium"
        )
    return path


@pytest.fixture(scope="module")
def demo_out(tmp_path_factory):
    """The demo round through the real pipeline, written with every HTML output."""
    import persona_lab

    out = tmp_path_factory.mktemp("browser") / "demo"
    round_ = persona_lab.run([str(DEMO)], out=out)
    return round_, out


@pytest.fixture
def browse(chromium, tmp_path):
    """browse(page, *flags) -> CompletedProcess of a headless Chromium on ``page``."""

    def run(page: Path, *flags: str) -> subprocess.CompletedProcess[str]:
        profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
        args = [chromium, *FLAGS, f"--user-data-dir={profile}", *flags, page.as_uri()]
        done = subprocess.run(args, capture_output=True, text=True, timeout=180, cwd=tmp_path)
        assert done.returncode == 0, done.stderr[-2000:]
        return done

    return run


def _keep(path: Path, name: str) -> None:
    folder = os.environ.get("PERSONA_LAB_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, Path(folder) / name)


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", data[16:24])


def _not_blank(path: Path) -> None:
    """The image has content: more than a handful of colours."""
    image_module = pytest.importorskip("PIL.Image")
    with image_module.open(path) as image:
        colours = image.convert("RGB").getcolors(maxcolors=1_000_000) or []
    assert len(colours) > 50, f"{path} looks blank"


def _first_card(out: Path) -> Path:
    return sorted((out / "personas").glob("*.html"))[0]


def test_browser_console_check_catches_a_script_error(browse, tmp_path):
    """The check below is only worth something if this Chromium logs console errors."""
    bad = tmp_path / "bad.html"
    bad.write_text("<!doctype html><p>x</p><script>undefinedFunction()</script>", "utf-8")
    done = browse(bad, "--enable-logging=stderr", "--v=0", "--dump-dom")
    assert [line for line in done.stderr.splitlines() if CONSOLE.search(line)]


def test_browser_pages_load_without_console_errors(demo_out, browse):
    round_, out = demo_out
    index = browse(out / "index.html", "--enable-logging=stderr", "--v=0", "--dump-dom")
    assert not [line for line in index.stderr.splitlines() if CONSOLE.search(line)]
    for persona in round_.personas:
        assert html.escape(persona.name, quote=False) in index.stdout
    card_path = _first_card(out)
    card = browse(card_path, "--enable-logging=stderr", "--v=0", "--dump-dom")
    assert not [line for line in card.stderr.splitlines() if CONSOLE.search(line)]
    stems = dict(zip(card_files(round_.personas), round_.personas, strict=True))
    persona = stems[card_path.stem]
    assert html.escape(persona.name, quote=False) in card.stdout
    quote = persona.themes[0].quotes[0]
    # The theme's label is marked inside its quote: read the quote without the mark.
    shown = re.sub(r"<mark[^>]*>|</mark>", "", card.stdout)
    assert html.escape(" ".join(quote.text.split()[:6]), quote=False) in shown


def test_browser_screenshots_at_1280_px(demo_out, browse, tmp_path):
    _, out = demo_out
    for page, name, height in [
        (out / "index.html", "index.png", 1500),
        (_first_card(out), "card.png", 1500),
    ]:
        shot = tmp_path / name
        browse(page, f"--window-size={WIDTH},{height}", f"--screenshot={shot}")
        assert _png_size(shot) == (WIDTH, height)
        _not_blank(shot)
        _keep(shot, name)


def test_browser_print_layout(demo_out, browse, tmp_path):
    """Printed through Chromium: the print stylesheet hides navigation, keeps the personas."""
    round_, out = demo_out
    for page, name in [(out / "index.html", "index-print"), (_first_card(out), "card-print")]:
        pdf = tmp_path / f"{name}.pdf"
        browse(page, "--no-pdf-header-footer", f"--print-to-pdf={pdf}")
        assert pdf.read_bytes().startswith(b"%PDF")
        if not (shutil.which("pdftotext") and shutil.which("pdftoppm")):
            continue  # poppler-utils draw and read the PDF; without them, the PDF is enough
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "Open the card" not in text and "all personas" not in text  # links hidden
        if name == "index-print":
            assert all(" ".join(p.name.split()) in " ".join(text.split()) for p in round_.personas)
        stem = tmp_path / name
        subprocess.run(
            ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf), stem],
            check=True,
        )
        png = stem.with_suffix(".png")
        width, height = _png_size(png)
        assert height > width  # an A4 portrait page
        _not_blank(png)
        _keep(png, f"{name}.png")
