"""Every chart's SVG names itself: a root <title> and <desc>, role="img" (alliancekit.svgtext)."""
from __future__ import annotations

import xml.etree.ElementTree as ET

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from alliancekit import charts, svgtext

SVG = "{http://www.w3.org/2000/svg}"


def _root(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def _chart(title="Members of NATO", description="One line per year."):
    frame = pd.DataFrame({"year": [1949, 1952], "members": [12, 14]})
    return charts.alt.Chart(frame).mark_line().encode(x="year:Q", y="members:Q").properties(
        title=title, description=description)


def test_the_renderers_svg_has_title_and_desc_first_in_its_root():
    root = _root(charts.to_svg(_chart()))
    assert root[0].tag == f"{SVG}title" and root[0].text == "Members of NATO"
    assert root[1].tag == f"{SVG}desc" and root[1].text == "One line per year."
    assert root.get("role") == "img" and root.get("aria-label") == "Members of NATO"


def test_the_notebook_bundle_svg_is_labelled_too():
    bundle, _ = charts.render(_chart().to_dict())
    root = _root(bundle[charts.SVG_MIMETYPE])
    assert root[0].text == "Members of NATO"
    assert charts.mimebundle(_chart())[charts.SVG_MIMETYPE] == bundle[charts.SVG_MIMETYPE]


def test_a_composed_chart_takes_its_panels_titles_and_descriptions():
    left = _chart("Left", "First panel.")
    right = _chart("Right", "Second panel.")
    root = _root(charts.to_svg(left | right))
    assert root[0].text == "Left; Right"
    assert root[1].text == "First panel. Second panel."


def test_title_subtitle_and_multi_line_titles_become_one_line():
    spec = {"title": {"text": ["Two", "lines"], "subtitle": "a note"}, "description": "d"}
    assert svgtext.spec_text(spec) == ("Two lines: a note", "d")


def test_labelling_twice_keeps_one_title_and_one_role():
    once = svgtext.label_svg('<svg width="2"><g/></svg>', "A", "B")
    twice = svgtext.label_svg(once, "C", "D")
    assert twice.count("<title>") == 1 and twice.count('role="img"') == 1
    assert _root(twice)[0].text == "C" and _root(twice)[1].text == "D"
    assert twice.count("aria-hidden") == 1


def test_the_marks_are_hidden_behind_the_one_named_image():
    root = _root(charts.to_svg(_chart()))
    assert len(root) == 3 and root[2].get("aria-hidden") == "true"
    assert root[2].find(f".//{SVG}path") is not None


def test_a_self_closing_svg_is_opened_to_hold_its_title():
    assert _root(svgtext.label_svg("<svg/>", "Empty"))[0].text == "Empty"


_XML_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Cn")))


@given(_XML_TEXT.filter(lambda t: t.strip()), _XML_TEXT)
def test_any_title_and_description_are_escaped_into_well_formed_xml(title, description):
    root = _root(svgtext.label_svg('<svg xmlns="http://www.w3.org/2000/svg"><g/></svg>',
                                   title, description))
    assert root[0].text.strip() == title.strip()


def test_no_svg_root_or_no_title_is_a_clear_error():
    with pytest.raises(ValueError, match="no <svg"):
        svgtext.label_svg("<html></html>", "A")
    with pytest.raises(ValueError, match="non-empty title"):
        svgtext.label_svg("<svg></svg>", "  ")
