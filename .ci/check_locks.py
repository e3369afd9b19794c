"""requirements.lock (the image) and requirements-dev.lock (developers and CI) pin the same version of every
package they share, and each names every dependency pyproject.toml declares: what CI tests is what ships."""

import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9_.-]+)==([^\s\\;]+)", re.MULTILINE)


def pins(name):
    return {m.group(1).lower().replace("_", "-"): m.group(2) for m in PIN.finditer((ROOT / name).read_text())}


def declared(requirements):
    return {re.split(r"[\[<>=!~ ;]", r, maxsplit=1)[0].lower().replace("_", "-") for r in requirements}


project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
image, dev = pins("requirements.lock"), pins("requirements-dev.lock")
problems = [
    f"{p}: {v} in requirements.lock, {dev.get(p)} in requirements-dev.lock" for p, v in image.items() if dev.get(p) != v
]
problems += [f"{p} is declared but not in requirements.lock" for p in declared(project["dependencies"]) - set(image)]
dev_declared = declared(project["optional-dependencies"]["dev"]) | declared(project["dependencies"])
problems += [f"{p} is declared but not in requirements-dev.lock" for p in dev_declared - set(dev)]
if problems:
    print("The lock files are out of date (run `make lock`):\n  " + "\n  ".join(problems))
    sys.exit(1)
print(f"Lock files agree: {len(image)} packages in the image, {len(dev)} for development")
