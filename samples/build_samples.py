"""Regenerate the sample workbooks in this folder (fictional units and figures).

    python samples/build_samples.py        (needs xlwt, in the "test" extra, for the .xls)

The builders live in the package (zsyz/io/sample_roster.py, sample_weekly.py) so that
`zsyz demo` can build the same samples after a plain `pip install`.
"""

from pathlib import Path

from zsyz.io.sample_roster import build

if __name__ == "__main__":
    print("samples written to", build(Path(__file__).resolve().parent))
