"""Run one import_data command in a fresh process and print its wall time and peak memory as JSON."""

import io
import json
import os
import resource
import sys
import time
from contextlib import redirect_stderr, redirect_stdout


def main(argv: list[str]) -> int:
    data_type, path = argv[1], argv[2]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.core.management import call_command

    out, err = io.StringIO(), io.StringIO()
    started = time.perf_counter()
    code = 0
    try:
        with redirect_stdout(out), redirect_stderr(err):
            call_command("import_data", data_type, path, stdout=out, stderr=err)
    except SystemExit as exit_:
        code = exit_.code or 0
    except Exception as error:  # reported, not raised: the runner prints it next to the figures
        code, err = 3, io.StringIO(f"{type(error).__name__}: {error}")
    seconds = time.perf_counter() - started
    # ru_maxrss is in KiB on Linux: the peak resident memory of this whole process, Django included.
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "code": code,
                "seconds": seconds,
                "peak_mb": peak_mb,
                "stdout": out.getvalue()[-500:],
                "stderr": err.getvalue()[-2000:],
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
