"""`python -m benchmarks [--quick] [flags]` — see `benchmarks/__init__.py` and `--help`."""

import json
import logging
import sys

from benchmarks.params import parse_args
from benchmarks.realistic import run_realistic
from benchmarks.report import write, write_realistic
from benchmarks.run import jsonable, run


def main(argv: list[str] | None = None) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stderr)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request otherwise
    params = parse_args(argv)
    if params.realistic:
        results = json.loads(json.dumps(jsonable(run_realistic(params))))
        path, text = write_realistic(results, params)
    else:
        results = json.loads(json.dumps(jsonable(run(params))))
        path, text = write(results, params)
    print(text)
    print(f"(written to {path} and {path.with_suffix('.json')})", file=sys.stderr)


if __name__ == "__main__":
    main()
