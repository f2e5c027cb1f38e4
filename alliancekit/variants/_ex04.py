"""Variants of ex04-little-entente: the years of the capability comparisons (Q3, Q7, Q8) and the
lettering of the chronology (Q4).

All figures are CINC scores of the Correlates of War National Material Capabilities data (NMC
v6.0, Singer, Bremer & Stuckey 1972), as `alliancekit.cases.cinc` ships them.

Q3: an early year of the Locarno decade (1924 to 1929) and a late year of German rearmament (1935
to 1938). In every pair the three members together hold five to six and a half times Hungary's
CINC in the early year, Germany alone holds about two and a half times the Entente's (2.4 to 2.8)
then and more than four times (4.3 to 5.7) in the late year: strong against Hungary, outweighed
by Germany and falling further behind, as the question and its rubric say.

Q7: a year of the early 1930s (1930 to 1934). In each, Germany's CINC is 2.2 to 3.3 times the
members' combined CINC, and 6.7 to 9.9 times the average member's, so the classmate's mistake
always inflates the ratio about threefold and the check "below five" tells the two apart.

Q8: a year from 1934 to 1938. In each the Entente plus France holds less than Germany (0.47 to
0.95 of Germany's CINC), so "is the coalition a match for Germany even with France fully in?" has
the answer no in every variant; 1933 is the last year in which it was a match (lesson 04).

Q4: the same five events in every variant (16 February 1933, 24 January 1937, 25 March 1937,
30 September 1938, 15 March 1939; lesson 04, from Wandycz 1988, Hoptner 1962, Adamthwaite 1977),
lettered differently, so the letters of the right order differ between each pair of variants.
"""
from __future__ import annotations

from alliancekit.variants._rules import Question, SetRules

_RATIO_YEARS = ({"early": 1925, "late": 1937},   # public: solutions/
                {"early": 1924, "late": 1936},
                {"early": 1926, "late": 1938},
                {"early": 1928, "late": 1935},
                {"early": 1929, "late": 1937})
_BUG_YEARS = ({"year": 1933}, {"year": 1930}, {"year": 1931}, {"year": 1932}, {"year": 1934})
_FRANCE_YEARS = ({"year": 1937}, {"year": 1935}, {"year": 1936}, {"year": 1938}, {"year": 1934})

_ORGANISATION = "the Pact of Organisation"
_BULGARIA = "Yugoslavia's pact of friendship with Bulgaria"
_ITALY = "Yugoslavia's agreement with Italy"
_MUNICH = "the Munich agreement"
_PRAGUE = "the end of Czechoslovakia, as German troops enter Prague"


def _lettered(*events: str) -> dict:
    return {"events": dict(zip("abcde", events, strict=True))}


_CHRONOLOGY = (
    _lettered(_MUNICH, _BULGARIA, _ITALY, _PRAGUE, _ORGANISATION),   # public: solutions/
    _lettered(_BULGARIA, _PRAGUE, _ORGANISATION, _MUNICH, _ITALY),
    _lettered(_ITALY, _MUNICH, _PRAGUE, _ORGANISATION, _BULGARIA),
    _lettered(_PRAGUE, _ORGANISATION, _MUNICH, _BULGARIA, _ITALY),
    _lettered(_ORGANISATION, _ITALY, _BULGARIA, _PRAGUE, _MUNICH),
)


def _ratio_words(v: dict) -> list[str]:
    return ["Your years:",
            f"  early = {v['early']}   a year of the 1920s (q3[\"early\"])",
            f"  late  = {v['late']}   a year of German rearmament (q3[\"late\"])"]


def _bug_words(v: dict) -> list[str]:
    return ["Your year:",
            f"  year = {v['year']}   the year of the classmate's comparison (q7[\"year\"])"]


def _france_words(v: dict) -> list[str]:
    return ["Your year:",
            f"  year = {v['year']}   the year of the comparison with France in (q8[\"year\"])"]


def _event_words(v: dict) -> list[str]:
    return ["Your five events (in q4[\"events\"], by letter):"] + [
        f"  ({letter}) {event}" for letter, event in v["events"].items()]


RULES = SetRules(
    set_id="ex04-little-entente",
    variants=4,
    questions={
        "Q3": Question(_ratio_words, _RATIO_YEARS,
                       answer="vs_hungary in [5, 6.5], germany_early in [2.4, 2.8], "
                              "germany_late in [4.3, 5.7]"),
        "Q4": Question(_event_words, _CHRONOLOGY,
                       answer="five letters, a different order in each variant"),
        "Q7": Question(_bug_words, _BUG_YEARS,
                       answer='the letter "b" and a ratio in [2.2, 3.3]'),
        "Q8": Question(_france_words, _FRANCE_YEARS, answer="a ratio in [0.45, 0.95]"),
    },
    fixed={
        "Q1": "recall: the dates of the three founding treaties",
        "Q2": "recall: what the Pact of Organisation of 1933 created",
        "Q5": "recall: each member's most dangerous great-power neighbour",
    },
)
