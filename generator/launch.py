"""The ``modgen`` command's first step: hand a build to the build server, or run the command here.

Kept apart from ``cli`` so that a build the server runs costs the command only Python's start-up
and this module's standard-library imports — not click, pydantic or anything else (``server``).
"""

from __future__ import annotations

import os
import sys


def main() -> int:
    from generator import server

    argv = sys.argv[1:]
    use_server = server.serves(argv) and server.enabled()
    if use_server:
        code = server.run_remotely(argv)
        if code is not None:
            end_process(code)
    from generator import cli

    code = cli._run(None)
    if use_server and code in (cli.EXIT_OK, cli.EXIT_CONTENT) and server.start_in_background():
        # A process that stays behind is said, as the Gradle daemon says it (not with --quiet).
        if not {"-q", "--quiet"} & set(argv):
            print("Started a build server: the next builds start at once (it stops after 30 idle minutes; "
                  "see 'modgen server --help').", file=sys.stderr)
    end_process(code)
    return code


def end_process(code: int) -> None:
    """Exit with ``code`` without tearing the interpreter down.

    Python's shutdown frees every module and object one by one: after a build that has loaded
    pydantic, python-pptx, lxml and Jinja it takes ~0.1 s — a tenth of a one-lesson rebuild — and
    achieves nothing the operating system does not do anyway. By now the command has closed what it
    wrote, released its lock and stopped its workers and threads (or the build server's build has);
    the standard streams are flushed here. If they cannot be (a closed pipe), the ordinary exit
    reports it as it always did.
    """
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except Exception:
        raise SystemExit(code) from None
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    main()
