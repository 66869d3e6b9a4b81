"""`make bench`: what partners feel, measured against a private local stack.

Phases (see `run.py`): open-loop arrivals with pollers (`load.py`), CPU-seconds per
completed analysis per process (`cpu.py`), store round trips per analysis
(`store_commands.py`), reuse hits, GET throughput against a bare ASGI app
(`throughput.py`, `bare_app.py`) and store growth (`store_growth.py`, `cloning.py`).
`report.py` prints the markdown table the README quotes.
"""
