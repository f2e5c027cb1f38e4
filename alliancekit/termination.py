"""How ATOP alliances ended: one label per ATOP ``termmode`` code, kept in this one place.

ATOP v4.01 (Leeds et al. 2002) gives each member of each alliance phase that has ended a
``termmode`` code for *how* it ended and a ``termcaus`` code. Their official definitions are in the
ATOP codebook, which is not among the files this course builds from, and we could not find it with
the course's search tools. The labels below are therefore **derived from cases we can check**
against the diplomatic histories: for each code we read the alliances it is given to and name what
they have in common. The cases are listed beside each code so that anyone can check the reading,
and a reader with the codebook should correct any label it contradicts. ``termcaus`` is not
labelled: its codes cut across the ``termmode`` categories in ways the checkable cases do not
settle, so the course keeps it raw (``atop_termcaus`` in ``memberships.csv``) and does not use it.

``scripts/build_data.py`` writes each alliance's ending code and label into ``atop_alliances.csv``
(columns ``termmode`` and ``end_cause``), and ``alliancekit.cases.durations`` passes the label on
as ``cause``, which ``alliancekit.survival.cumulative_incidence`` splits by.

References
----------
Leeds, B. A., Ritter, J. M., Mitchell, S. M. & Long, A. G. (2002). Alliance Treaty Obligations and
Provisions, 1815-1944. International Interactions 28: 237-260.
Leeds, B. A. & Savun, B. (2007). Terminating Alliances: Why Do States Abrogate Agreements?
Journal of Politics 69(4): 1118-1132 (who separate violation or abrogation from other endings).
"""
from __future__ import annotations

__all__ = ["TERMMODE", "TERMMODE_EVIDENCE", "CAUSES", "WORDS", "label", "describe"]

#: ATOP ``termmode`` code -> label used throughout the course (0: still in force, no ending).
TERMMODE: dict[int, str] = {
    1: "expired",
    2: "replaced",
    3: "violated_or_abrogated",
    4: "lost_independence",
    5: "fulfilled",
    6: "defeated_in_war",
}

#: The labels in a fixed order (for tables and charts), each with a one-line meaning.
CAUSES: dict[str, str] = {
    "violated_or_abrogated": "ended early by a member's choice: it broke, renounced or left the "
                             "agreement before its term",
    "expired": "lapsed at the end of its stated term without renewal",
    "fulfilled": "its purpose was achieved, usually when the war it was made for ended",
    "replaced": "continued under a new phase of the same agreement or a new agreement",
    "lost_independence": "a member ceased to be an independent state (annexed, occupied, merged)",
    "defeated_in_war": "a member was defeated in war (armistice or surrender) and the pact died "
                       "with that defeat",
}

#: Each label in a few words, for chart panels and legends a student reads.
WORDS: dict[str, str] = {
    "violated_or_abrogated": "violated or abrogated",
    "expired": "expired",
    "fulfilled": "fulfilled",
    "replaced": "replaced by a new agreement",
    "lost_independence": "a member lost independence",
    "defeated_in_war": "a member was defeated in war",
}

#: Checkable cases behind each label: (ATOP id, member(s), ATOP exit date, what happened).
TERMMODE_EVIDENCE: dict[int, tuple[tuple[int, str, str, str], ...]] = {
    1: ((1370, "Germany, Russia", "1890-06-18",
         "Reinsurance Treaty: Germany let it lapse at the end of its three-year term"),
        (3200, "USSR, China", "1980-04-11",
         "Sino-Soviet treaty of 1950: its thirty-year term ran out; China did not renew it"),
        (3795, "USA, Panama", "1999-12-31",
         "Panama Canal treaty of 1977: ended on the date written into it")),
    2: ((1350, "Germany, Austria-Hungary, Italy", "1887-02-20",
         "Triple Alliance, phase 1: replaced by the renewed treaty of 1887 (phase 2)"),
        (1415, "Britain, Japan", "1905-08-12",
         "Anglo-Japanese alliance, phase 1: replaced by the revised treaty of 1905"),
        (1400, "Britain, Portugal", "1949-04-04",
         "Anglo-Portuguese declaration of 1899: ends the day both signed the North Atlantic "
         "Treaty")),
    3: ((1350, "Italy", "1915-05-23",
         "Triple Alliance, phase 4: Italy went to war against Austria-Hungary"),
        (1355, "Romania", "1916-08-27",
         "Romania's treaty with the Central Powers: Romania entered the war against them"),
        (3260, "Pakistan", "1972-11-08", "SEATO: Pakistan withdrew")),
    4: ((2050, "Czechoslovakia, Yugoslavia", "1939-03-15",
         "Little Entente treaty: Germany occupied Bohemia and Moravia"),
        (2060, "France, Poland", "1939-09-27",
         "Franco-Polish alliance: Warsaw surrendered and Poland was partitioned"),
        (1275, "Prussia, Baden", "1870-11-15",
         "Baden joined the German union and ceased to be a separate state")),
    5: ((1160, "Britain, France, Ottoman Empire, Sardinia", "1856-03-30",
         "Crimean War alliance: ended by the Treaty of Paris that closed the war"),
        (1485, "Britain, France", "1918-11-11",
         "Grey-Cambon letters: ended with the armistice"),
        (1005, "Britain, France, Austria and others", "1815-02-08",
         "Vienna alliance of January 1815: its purpose settled")),
    6: ((1335, "Germany, Austria-Hungary", "1918-11-03",
         "Dual Alliance: ended with Austria-Hungary's armistice"),
        (2200, "France, Yugoslavia", "1940-06-22",
         "Franco-Yugoslav treaty: ended with France's armistice with Germany"),
        (2445, "Germany, Italy", "1943-09-02",
         "Pact of Steel: ended with Italy's armistice with the Allies")),
}


def label(termmode: int | float | None) -> str:
    """The course's label for an ATOP ``termmode`` code.

    Parameters
    ----------
    termmode : int, float or None
        ATOP v4.01's ``termmode`` (1-6); 0, None or NaN mean the agreement had not ended.

    Returns
    -------
    str
        One of the keys of `CAUSES`, or ``""`` for an agreement still in force.

    Raises
    ------
    ValueError
        For a code ATOP v4.01 does not use, naming the codes allowed.

    Examples
    --------
    >>> label(3)
    'violated_or_abrogated'
    >>> label(0)
    ''
    """
    if termmode is not None and (isinstance(termmode, bool)
                                 or not isinstance(termmode, (int, float))):
        raise TypeError(f"termmode must be an ATOP termmode code (0-6) or None; got "
                        f"{termmode!r}")
    if termmode is None or termmode != termmode or termmode == 0:
        return ""
    if isinstance(termmode, bool) or float(termmode) not in TERMMODE:
        raise ValueError(f"unknown ATOP termmode {termmode!r}; allowed: 0 (in force) or "
                         f"{sorted(TERMMODE)}")
    return TERMMODE[int(termmode)]


def describe() -> list[dict]:
    """One row per ``termmode`` code: code, label, meaning and the checkable cases behind it.

    Returns
    -------
    list of dict
        Keys ``termmode``, ``label``, ``meaning``, ``cases`` (a ``;``-joined list of
        "ATOP id (members, date): what happened").

    Examples
    --------
    >>> [row["label"] for row in describe()][:2]
    ['expired', 'replaced']
    """
    rows = []
    for code, name in TERMMODE.items():
        cases = "; ".join(f"ATOP {a} ({who}, {day}): {what}"
                          for a, who, day, what in TERMMODE_EVIDENCE[code])
        rows.append({"termmode": code, "label": name, "meaning": CAUSES[name], "cases": cases})
    return rows
