"""The language layer every stage shares.

- `catalogue`: one catalogue format (a frozen dataclass per package, one instance per
  language in `<package>/catalogue/<lang>.py`), one loader, one function that fills a
  template, and the completeness check the tests run on every catalogue.
- `plural` and `dates`: CLDR plural rules and localised dates, from Babel.
- `guess`: which of the five report languages a text is written in.
"""
