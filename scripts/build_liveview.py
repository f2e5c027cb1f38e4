#!/usr/bin/env python3
"""Build the explorers' live chart front end once: ``alliancekit/static/liveview.js``.

vl-convert bundles Vega, Vega-Lite and vega-embed with the widget's snippet
(`alliancekit.liveview.SNIPPET`) into one ES module, offline. That takes a few seconds, so it is
done here, when the snippet changes, and the result is shipped in the package (kernels only read
it).
The file's first line names the snippet's hash and the vl-convert version;
``tests/unit/test_liveview.py`` fails when the shipped file no longer matches the snippet.

    python scripts/build_liveview.py
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> int:
    import vl_convert

    target = ROOT / "alliancekit" / "static" / "liveview.js"
    if not target.exists():      # anywidget reads the widget's module when the class is made
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("// placeholder: run scripts/build_liveview.py\n", encoding="utf-8")
    from alliancekit import liveview

    bundle = vl_convert.javascript_bundle(snippet=liveview.SNIPPET, vl_version=liveview.VL_VERSION)
    head = (f"// alliancekit liveview snippet {liveview.snippet_hash()} "
            f"vl-convert {vl_convert.__version__} (built by scripts/build_liveview.py)\n")
    liveview.BUNDLE.parent.mkdir(parents=True, exist_ok=True)
    liveview.BUNDLE.write_text(head + bundle, encoding="utf-8")
    print(f"wrote {liveview.BUNDLE.relative_to(ROOT)}: {liveview.BUNDLE.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
