"""A published build given EDITIONS_DIR carries that finished `make offline`'s editions: each of
EDITION_DOWNLOADS is copied into DOWNLOADS_PATH, and templates get DOWNLOADS ({kind: address and
size}) and DOWNLOADS_DATE (its README's), for the home page's links. Ours because Pelican copies
static files only from inside the content folder."""

import datetime
import re
import shutil
import zipfile
from pathlib import Path

from pelican import signals
from pelican.generators import Generator


def file_size(size):
    """'92 KB': whole kilobytes of 1,024 bytes, as NHS and GOV.UK pages give a download's size."""
    return f"{max(1, round(size / 1024)):,} KB"


def readme_date(bundle, readme):
    """The edition's date in the zip's README.txt ("Edition\\n  7 December 2026 (...)")."""
    with zipfile.ZipFile(bundle) as archive:
        text = archive.read(next(name for name in archive.namelist() if name.endswith(f"/{readme}"))).decode()
    return datetime.datetime.strptime(re.search(r"^Edition\n  (.+?) \(", text, re.M)[1], "%d %B %Y").date()


class DownloadsGenerator(Generator):
    def generate_context(self):
        folder, names, path = (Path(self.settings["EDITIONS_DIR"]), self.settings["EDITION_DOWNLOADS"],
                               self.settings["DOWNLOADS_PATH"])
        self.context["DOWNLOADS"] = {kind: {"url": f"{path}/{name}", "size": file_size((folder / name).stat().st_size)}
                                     for kind, name in names.items()}
        self.context["DOWNLOADS_DATE"] = readme_date(folder / names["zip"], self.settings["EDITION_FILES"]["readme"])

    def generate_output(self, writer):
        downloads = Path(self.output_path, self.settings["DOWNLOADS_PATH"])
        downloads.mkdir(parents=True, exist_ok=True)
        for name in self.settings["EDITION_DOWNLOADS"].values():
            shutil.copyfile(Path(self.settings["EDITIONS_DIR"], name), downloads / name)


def add_generator(pelican):
    return DownloadsGenerator


def register():
    signals.get_generators.connect(add_generator)
