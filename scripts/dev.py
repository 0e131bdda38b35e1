#!/usr/bin/env python3
"""The README's two commands: `python3 scripts/dev.py run` and `python3 scripts/dev.py test`.

Needs only Python 3.11+. Both create (or reuse) a virtual environment in .venv, install what
they need, and are safe to run again.

  run   migrate, load the 2018/19 report and the demo users, serve http://127.0.0.1:8000
        (another address or port: `run 127.0.0.1:8001`; further arguments go to runserver)
  test  install the test tools (and, where the machine allows, Chromium and LibreOffice),
        then run the whole test suite; extra arguments go to pytest
"""

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")

# Debian packages the browser and spreadsheet tests drive; see tests/conftest.py.
SYSTEM_PACKAGES = {
    "/usr/bin/chromium": ["chromium", "chromium-driver"],
    "/usr/bin/soffice": ["libreoffice-calc-nogui"],
}


def say(message: str) -> None:
    print(f"==> {message}", flush=True)


def run(*args, **kwargs) -> None:
    subprocess.run([str(a) for a in args], check=True, cwd=ROOT, **kwargs)


def ensure_venv(extra: str) -> None:
    if not PY.exists():
        say("creating the virtual environment in .venv")
        venv.EnvBuilder(with_pip=True).create(VENV)
    # Reinstall only when the dependency list changed, so a second run starts at once.
    stamp = VENV / f".installed-{extra or 'base'}"
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return
    say(f"installing wirralsafe{'[' + extra + ']' if extra else ''} and its dependencies")
    run(PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    run(PY, "-m", "pip", "install", "--quiet", "-e", f".[{extra}]" if extra else ".")
    stamp.write_text(digest)


def ensure_system_packages() -> None:
    missing = [
        pkg for path, pkgs in SYSTEM_PACKAGES.items() if not Path(path).exists() for pkg in pkgs
    ]
    if not missing:
        return
    if not shutil.which("apt-get"):
        say(
            f"cannot install {', '.join(missing)}: no apt-get here; install them yourself "
            "(the browser and spreadsheet tests need them and will fail without them)"
        )
        return
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    say(f"installing {', '.join(missing)} with apt-get")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run(*sudo, "apt-get", "update", "-qq", env=env)
    run(*sudo, "apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing, env=env)


def manage(*args) -> None:
    run(PY, "manage.py", *args)


def cmd_run(args: list[str]) -> None:
    ensure_venv("")
    manage("migrate", "--no-input")
    manage("load_wirral_2018_19")
    manage("create_demo_users")
    address = args[0] if args and not args[0].startswith("-") else "127.0.0.1:8000"
    rest = args[1:] if args and not args[0].startswith("-") else args
    say(f"serving wirralsafe at http://{address} (Ctrl+C to stop)")
    os.execv(str(PY), [str(PY), str(ROOT / "manage.py"), "runserver", address, *rest])


def cmd_test(args: list[str]) -> None:
    ensure_venv("dev")
    ensure_system_packages()
    os.chdir(ROOT)
    # One worker per core unless the caller chose otherwise (-n 0 runs in one process).
    workers = (
        []
        if any(a == "-n" or a.startswith(("-n", "--numprocesses")) for a in args)
        else [
            "-n",
            "auto",
        ]
    )
    os.execv(str(PY), [str(PY), "-m", "pytest", *workers, *args])


def main() -> None:
    commands = {"run": cmd_run, "test": cmd_test}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        print(__doc__)
        sys.exit(2)
    commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    main()
