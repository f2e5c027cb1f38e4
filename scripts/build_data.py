#!/usr/bin/env python3
"""Build alliancekit's shipped CSV extracts from the public datasets in ``../shared/data``.

Usage::

    python scripts/build_data.py                    # write into alliancekit/data/
    python scripts/build_data.py --out /tmp/check   # write somewhere else (tests compare the two)
    python scripts/build_data.py --shared PATH      # read the public files from PATH

Writes states.csv, capabilities.csv, atop_alliances.csv, alliances.csv, memberships.csv,
reliability.csv and capitals.csv (``build``), then the replication extracts of lessons 09-10:
abrogation.csv, reliability_codings.csv, europe1936_pairs.csv (the registered coding),
europe1936_pairs_corrected.csv (the corrected one) and europe1936_sizes.csv
(``build_replications``, in ``scripts/build_replications.py``). The output is deterministic: the
same inputs always give byte-identical files.
events.csv and sources.csv are hand-coded and are not touched.

Only the standard library is used, so the extracts can be checked without pandas. Values taken from
the public files are copied as text, unchanged, so a test can compare them with the originals.

How the alliance tables are made
--------------------------------
``ATOP_ALLIANCES`` below names the ATOP v4.01 alliances the course uses. For each, alliances.csv
gets ATOP's begin and end dates and obligations, and memberships.csv gets one row per member *per
ATOP phase* with ATOP's own entry and exit dates. ATOP starts a new phase when a treaty is renewed
with changed terms (for instance the Triple Alliance, ATOP 1350, phases 1-4); a member's row that
ends because the next phase begins has ``exit_mode = replaced``. A renewal with unchanged terms
(the Triple Alliance's of 28 June 1902) is no new phase in ATOP, so it appears only in events.csv.

``HAND_ALLIANCES`` and ``HAND_MEMBERS`` hold rows ATOP does not have: informal ententes, regional
organisations, composites (the Little Entente as a bloc), agreements ATOP v4.01 does not code, and
everything after ATOP v4.01's coverage ends (its records run to 2016). Each carries its own
sources.

``exit_mode`` is our own reading of the histories cited, not an ATOP code. ATOP's ``termmode`` and
``termcaus`` codes are kept raw in ``atop_termmode``/``atop_termcaus``: their meanings are
defined in the ATOP codebook, which is not among the files this script reads. For each whole
alliance, ``atop_alliances.csv`` carries the ``termmode`` of its ending and the course's label for
it (``end_cause``), taken from ``alliancekit.termination``, the one place those labels (derived
from checkable cases) are kept.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # its sister scripts, when imported

from build_replications import build_replications  # noqa: E402
from csv_files import read_csv, write_csv  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = ROOT.parent / "shared" / "data"
DEFAULT_OUT = ROOT / "alliancekit" / "data"
EVENTS = DEFAULT_OUT / "events.csv"  # hand-coded; its states get capabilities too

NMC70_FIRST_YEAR = 2017  # NMC v6.0 ends in 2016; v7.0 is used for 2017-2022 only

EXIT_MODES = ("in_force", "expired", "renounced", "defected", "lost_independence", "dissolved",
              "replaced", "suspended")
KINDS = ("formal_alliance", "informal_entente", "regional_organisation", "coalition")

# --------------------------------------------------------------------------------------------
# ATOP alliances used by the course.  exits: {ccode: mode} or {(ccode, phase): mode} for members
# leaving other than by renewal or at the alliance's common end (default there: "dissolved").
# --------------------------------------------------------------------------------------------
ATOP_ALLIANCES = [
    # Europe 1872-1918
    dict(alliance_id="german_russian_convention_1873", atopid=1310,
         name="German-Russian military convention", source="atop401;langer1931",
         notes="Signed at St Petersburg; lapsed with the Three Emperors' League after the Congress "
               "of Berlin"),
    dict(alliance_id="three_emperors_league", atopid=1315, name="Three Emperors' League",
         source="atop401;langer1931",
         notes="Austro-Russian convention of June 1873 (Schonbrunn; ATOP dates it 3 Jun), which "
               "Germany joined on 22 Oct 1873; consultation only"),
    dict(alliance_id="dual_alliance", atopid=1335, name="Dual Alliance (Austria-Hungary and "
         "Germany)", source="atop401;langer1931;pribram1920",
         notes="Secret defensive alliance against Russia; held until Austria-Hungary's collapse"),
    dict(alliance_id="three_emperors_alliance", atopid=1340, name="Three Emperors' Alliance",
         source="atop401;langer1931",
         notes="Neutrality pact renewed in 1884; not renewed in 1887 after the Bulgarian crisis",
         exits={255: "expired", 300: "expired", 365: "expired"}),
    dict(alliance_id="triple_alliance", atopid=1350, name="Triple Alliance",
         source="atop401;pribram1920;langer1931",
         notes="ATOP phases: 1882, 1887 and 1891 texts, and the 1912 renewal (ATOP dates phase 4 "
               "from 2 Aug 1913); the unchanged 1902 renewal is no phase. Italy left in 1915",
         exits={325: "defected"}),
    dict(alliance_id="austro_german_romanian_1883", atopid=1355,
         name="Austro-German-Romanian alliance", source="atop401;pribram1920",
         notes="Secret; Italy acceded in 1888. Romania entered the war against Austria-Hungary on "
               "27 Aug 1916", exits={360: "defected", 325: "defected"}),
    dict(alliance_id="mediterranean_agreement_1887", atopid=1360,
         name="First Mediterranean Agreement", source="atop401;langer1931",
         notes="Britain, Italy and Austria-Hungary on the status quo in the Mediterranean; lapsed "
               "when Salisbury declined to continue it"),
    dict(alliance_id="mediterranean_agreement_1887b", atopid=1375,
         name="Second Mediterranean Agreement", source="atop401;langer1931",
         notes="Britain, Italy and Austria-Hungary on the Near East; lapsed with the first"),
    dict(alliance_id="reinsurance_treaty", atopid=1370, name="Reinsurance Treaty",
         source="atop401;langer1931;kennan1984",
         notes="Secret; Germany declined to renew it in 1890 after Bismarck's fall",
         exits={255: "expired", 365: "expired"}),
    dict(alliance_id="franco_russian_entente_1891", atopid=1380, name="Franco-Russian entente",
         source="atop401;kennan1984",
         notes="Exchange of letters on consultation; ended with the Bolshevik seizure of power",
         exits={365: "renounced"}),
    dict(alliance_id="franco_russian_alliance", atopid=1385,
         name="Franco-Russian military convention", source="atop401;kennan1984",
         notes="Convention of Aug 1892 ratified by exchange of letters ending 27 Dec 1893 (Russia) "
               "and 4 Jan 1894 (France); ATOP dates it from 27 Dec 1893",
         exits={365: "renounced"}),
    dict(alliance_id="prinetti_barrere_1902", atopid=1420, name="Prinetti-Barrere agreement",
         source="atop401;taylor1954;albertini1952",
         notes="Secret Franco-Italian promise of neutrality, made while Italy stayed in the Triple "
               "Alliance"),
    dict(alliance_id="racconigi_1909", atopid=1460, name="Racconigi bargain",
         source="atop401;bosworth1979;taylor1954",
         notes="Secret Italo-Russian understanding on the Balkans and the Straits",
         exits={365: "renounced"}),
    dict(alliance_id="grey_cambon_1912", atopid=1485, name="Grey-Cambon letters",
         source="atop401;williamson1969",
         notes="Britain and France promise to consult if either is threatened; no promise of aid"),
    dict(alliance_id="pact_of_london_1914", atopid=2015, name="Pact of London (Entente)",
         source="atop401;taylor1954",
         notes="Britain, France and Russia promise not to make a separate peace; Japan and Italy "
               "adhered in 1915", exits={365: "renounced"}),
    dict(alliance_id="treaty_of_london_1915", atopid=2025, name="Treaty of London",
         source="atop401;renzi1987;albertini1952",
         notes="Italy's price for joining the Entente: Trentino, South Tyrol, Trieste, Istria, "
               "Dalmatia", exits={365: "renounced"}),
    # Interwar
    dict(alliance_id="le_czechoslovakia_yugoslavia", atopid=2050,
         name="Czechoslovak-Yugoslav treaty (Little Entente)",
         source="atop401;wandycz1962;rothschild1974",
         notes="Defensive against Hungary; renewed 31 Aug 1922 (ATOP phase 2)",
         exits={315: "lost_independence"}),
    dict(alliance_id="le_czechoslovakia_romania", atopid=2080,
         name="Czechoslovak-Romanian treaty (Little Entente)",
         source="atop401;wandycz1962;rothschild1974", notes="Defensive against Hungary",
         exits={315: "lost_independence"}),
    dict(alliance_id="le_yugoslavia_romania", atopid=2085,
         name="Yugoslav-Romanian treaty (Little Entente)",
         source="atop401;wandycz1962;rothschild1974",
         notes="Defensive against Hungary and Bulgaria; ATOP ends it on 30 Aug 1940, the Second "
               "Vienna Award"),
    dict(alliance_id="little_entente_pact_1933", atopid=2302,
         name="Pact of Organisation of the Little Entente",
         source="atop401;wandycz1988;rothschild1974",
         notes="Standing council and secretariat; members bound not to sign political treaties "
               "without the others' consent", exits={315: "lost_independence"}),
    dict(alliance_id="france_poland_1921", atopid=2060, name="Franco-Polish alliance",
         source="atop401;wandycz1962", notes="Political agreement and secret military convention",
         exits={290: "lost_independence"}),
    dict(alliance_id="france_poland_1925", atopid=2135, name="Franco-Polish guarantee treaty",
         source="atop401;wandycz1962", notes="Signed with the Locarno treaties",
         exits={290: "lost_independence"}),
    dict(alliance_id="france_czechoslovakia_1924", atopid=2120,
         name="Franco-Czechoslovak treaty of alliance and friendship",
         source="atop401;wandycz1962;adamthwaite1977",
         notes="Consultation only, no automatic military aid; ATOP ends it at Munich",
         exits={220: "defected"}),
    dict(alliance_id="france_czechoslovakia_1925", atopid=2140,
         name="Franco-Czechoslovak guarantee treaty", source="atop401;wandycz1962;adamthwaite1977",
         notes="Mutual assistance signed with the Locarno treaties; France did not honour it at "
               "Munich", exits={220: "defected"}),
    dict(alliance_id="czechoslovakia_soviet_1935", atopid=2365,
         name="Czechoslovak-Soviet mutual assistance treaty", source="atop401;wandycz1988",
         notes="Soviet aid due only if France acted first"),
    dict(alliance_id="balkan_entente_1934", atopid=2330, name="Balkan Entente",
         source="atop401;crampton1994", notes="Greece, Romania, Turkey and Yugoslavia"),
    dict(alliance_id="yugoslavia_italy_1937", atopid=2405, name="Yugoslav-Italian (Belgrade) "
         "agreement", source="atop401;hoptner1962;rothschild1974",
         notes="Stojadinovic's settlement with Mussolini, made without consulting the Little "
               "Entente partners", exits={345: "lost_independence"}),
    # After 1945
    dict(alliance_id="nato", atopid=3180, name="North Atlantic Treaty Organization (NATO)",
         source="atop401;nato_members;rynning2024",
         notes="ATOP phase 2 starts with the 1951 protocol; later ATOP entry dates are the signing "
               "of each accession protocol (see the accession column)",
         exits={260: "replaced"}),
    dict(alliance_id="seato", atopid=3260, name="Southeast Asia Treaty Organization (SEATO)",
         source="atop401;buszynski1983",
         notes="The organisation was wound up on 30 Jun 1977; ATOP keeps the Manila Pact in force "
               "between the United States and Thailand (phase 2)",
         exits={770: "renounced", 220: "renounced", 200: "dissolved", 840: "dissolved",
                900: "dissolved", 920: "dissolved"}),
    dict(alliance_id="cento", atopid=3275, name="Baghdad Pact / Central Treaty Organization "
         "(CENTO)", source="atop401;persson1998",
         notes="Baghdad Pact until Iraq left; then CENTO. The United States was an associate, "
               "not a member", exits={645: "renounced", 630: "renounced", 770: "renounced"}),
    dict(alliance_id="warsaw_pact", atopid=3285, name="Warsaw Pact", source="atop401;mastny2005",
         notes="Albania stopped taking part in 1961-62 and withdrew formally in Sep 1968",
         exits={339: "renounced", 265: "lost_independence"}),
    dict(alliance_id="anzus", atopid=3215, name="ANZUS Treaty", source="atop401;mcmillan1987",
         notes="The United States suspended its obligations to New Zealand in 1986 over New "
               "Zealand's nuclear-free policy; the treaty stays in force",
         exits={920: "suspended"}),
    dict(alliance_id="us_japan_1951", atopid=3220, name="US-Japan Security Treaty (1951)",
         source="atop401", notes="Replaced by the 1960 treaty",
         exits={2: "replaced", 740: "replaced"}),
    dict(alliance_id="us_japan", atopid=3375,
         name="US-Japan Treaty of Mutual Cooperation and Security (1960)", source="atop401",
         notes="Japan has no obligation to defend the United States (asymmetric)"),
    dict(alliance_id="asean_tac", atopid=3755, name="Treaty of Amity and Cooperation in "
         "Southeast Asia", source="atop401;asean_members",
         notes="ATOP v4.01 records accessions to 2016 only"),
    dict(alliance_id="ecowas_nonaggression_1978", atopid=3810,
         name="ECOWAS Protocol on Non-Aggression", source="atop401;ecowas_treaty1975",
         notes="Mauritania left with its ECOWAS exit; Mali, Burkina Faso and Niger with theirs "
               "(after ATOP's coverage, see memberships)", exits={435: "renounced"}),
    dict(alliance_id="ecowas_defence_1981", atopid=3895,
         name="ECOWAS Protocol on Mutual Assistance in Defence", source="atop401;ecowas_treaty1975",
         notes="Mauritania left with its ECOWAS exit; Mali, Burkina Faso and Niger with theirs "
               "(after ATOP's coverage, see memberships)", exits={435: "renounced"}),
]

# NATO: ATOP's entry date for later members is the signing of the accession protocol; the date
# the state actually joined (deposited its instrument of accession) goes in `accession`.
NATO_ACCESSION = {
    350: "1952-02-18", 640: "1952-02-18", 260: "1955-05-06", 230: "1982-05-30",
    290: "1999-03-12", 310: "1999-03-12", 316: "1999-03-12",
    317: "2004-03-29", 349: "2004-03-29", 355: "2004-03-29", 360: "2004-03-29",
    366: "2004-03-29", 367: "2004-03-29", 368: "2004-03-29",
    339: "2009-04-01", 344: "2009-04-01", 341: "2017-06-05",
}

# Exits after ATOP v4.01's coverage (2016) for members ATOP records as still in force.
POST_ATOP_EXITS = {
    # (alliance_id, ccode): (left, exit_mode, source, note)
    **{(aid, c): ("2025-01-29", "renounced", "atop401;ecowas_sahel2025;aes_withdrawal2024",
                  "Left with its ECOWAS withdrawal, effective 29 Jan 2025 (after ATOP v4.01's "
                  "coverage)")
       for aid in ("ecowas_nonaggression_1978", "ecowas_defence_1981") for c in (432, 439, 436)},
}

# --------------------------------------------------------------------------------------------
# Hand-coded alliances (no ATOP record, or a composite of ATOP records)
# --------------------------------------------------------------------------------------------
_HA = ("alliance_id", "name", "kind", "defense", "offense", "neutrality", "nonaggression",
       "consultation", "signed", "ended", "notes", "source")
HAND_ALLIANCES = [
    ("entente_cordiale", "Entente Cordiale", "informal_entente", 0, 0, 0, 0, 0, "1904-04-08",
     "1914-09-05", "Settled colonial disputes, no military obligation; informal entente, no ATOP "
     "record. Staff talks from 1906; merged into the Pact of London, 1914", "andrew1968;taylor1954;"
     "williamson1969"),
    ("anglo_french_staff_talks", "Anglo-French military staff talks", "informal_entente", 0, 0, 0,
     0, 0, "1906-01-01", "1914-09-05", "Secret talks between the general staffs, authorised by "
     "Grey in January 1906 without a promise to fight; no ATOP record. Merged into the Pact of "
     "London",
     "williamson1969"),
    ("anglo_russian_convention", "Anglo-Russian Convention", "informal_entente", 0, 0, 0, 0, 0,
     "1907-08-31", "1914-09-05", "Settled Persia, Afghanistan and Tibet, no military obligation; "
     "informal entente, no ATOP record. Merged into the Pact of London, 1914", "taylor1954"),
    ("little_entente", "Little Entente", "formal_alliance", 1, 0, 0, 0, 1, "1920-08-14",
     "1939-03-15", "The bloc as a whole: composite of ATOP 2050, 2080, 2085 and 2302 (no single "
     "ATOP id); ends with Czechoslovakia", "atop401;wandycz1962;rothschild1974"),
    ("yugoslavia_bulgaria_1937", "Yugoslav-Bulgarian treaty of eternal friendship",
     "formal_alliance", 0, 0, 0, 1, 0, "1937-01-24", "1941-04-20", "No ATOP v4.01 record; "
     "nonaggression coded by us from its pledge of lasting peace. Ends with Yugoslavia's "
     "occupation (COW)", "hoptner1962;crampton1994;cow_states2016"),
    ("asean", "Association of Southeast Asian Nations (ASEAN)", "regional_organisation", 0, 0, 0,
     0, 0, "1967-08-08", "", "Bangkok Declaration; no military obligation (its 1976 Treaty of "
     "Amity and Cooperation is ATOP 3755, asean_tac)", "asean_members"),
    ("ecowas", "Economic Community of West African States (ECOWAS)", "regional_organisation", 0,
     0, 0, 0, 0, "1975-05-28", "", "Treaty of Lagos; its security commitments are the 1978 and "
     "1981 protocols (ATOP 3810 and 3895)", "ecowas_treaty1975;ecowas_revised_treaty1993"),
    ("alliance_of_sahel_states", "Alliance of Sahel States (AES)", "formal_alliance", 1, 0, 0, 0,
     1, "2023-09-16", "", "Liptako-Gourma Charter: an attack on one member is an aggression "
     "against all; after ATOP's coverage", "aes_charter2023"),
    ("quad_2007", "Quadrilateral Security Dialogue (first Quad)", "informal_entente", 0, 0, 0, 0,
     0, "2007-05-01", "2008-02-05", "Officials' meeting in May 2007 on the sidelines of the ASEAN "
     "Regional Forum in Manila; lapsed when Australia withdrew. No treaty", "madan2017"),
    ("quad", "Quadrilateral Security Dialogue (revived Quad)", "informal_entente", 0, 0, 0, 0, 0,
     "2017-11-12", "", "Revived at officials' level in Manila; leaders' summits from 2021. No "
     "treaty", "madan2017;mofa_japan2017"),
]

_HM = ("alliance_id", "ccode", "phase", "joined", "left", "exit_mode", "notes", "source")
HAND_MEMBERS = [
    *[("entente_cordiale", c, 0, "1904-04-08", "1914-09-05", "replaced",
       "Continued in the Pact of London (ATOP 2015)", "andrew1968;taylor1954") for c in (200, 220)],
    *[("anglo_french_staff_talks", c, 0, "1906-01-01", "1914-09-05", "replaced",
       "Continued in wartime cooperation under the Pact of London (ATOP 2015)", "williamson1969")
      for c in (200, 220)],
    *[("anglo_russian_convention", c, 0, "1907-08-31", "1914-09-05", "replaced",
       "Continued in the Pact of London (ATOP 2015)", "taylor1954") for c in (200, 365)],
    ("little_entente", 315, 0, "1920-08-14", "1939-03-15", "lost_independence",
     "Dates from ATOP 2050 and 2080", "atop401;wandycz1962"),
    ("little_entente", 345, 0, "1920-08-14", "1939-03-15", "dissolved",
     "Dates from ATOP 2050 and 2302", "atop401;wandycz1962"),
    ("little_entente", 360, 0, "1921-04-23", "1939-03-15", "dissolved",
     "Dates from ATOP 2080 and 2302", "atop401;wandycz1962"),
    ("yugoslavia_bulgaria_1937", 345, 0, "1937-01-24", "1941-04-20", "lost_independence", "",
     "hoptner1962;cow_states2016"),
    ("yugoslavia_bulgaria_1937", 355, 0, "1937-01-24", "1941-04-20", "dissolved", "",
     "hoptner1962;cow_states2016"),
    # NATO after ATOP's coverage: the date of accession
    ("nato", 343, 2, "2020-03-27", "", "in_force", "Accession (not protocol) date",
     "nato_north_macedonia2020"),
    ("nato", 375, 2, "2023-04-04", "", "in_force", "Accession (not protocol) date",
     "nato_finland2023"),
    ("nato", 380, 2, "2024-03-07", "", "in_force", "Accession (not protocol) date",
     "nato_sweden2024"),
    # ASEAN
    *[("asean", c, 0, "1967-08-08", "", "in_force", "Founding member", "asean_members")
      for c in (850, 820, 840, 830, 800)],
    ("asean", 835, 0, "1984-01-07", "", "in_force", "", "asean_members"),
    ("asean", 816, 0, "1995-07-28", "", "in_force", "", "asean_members"),
    ("asean", 812, 0, "1997-07-23", "", "in_force", "", "asean_members"),
    ("asean", 775, 0, "1997-07-23", "", "in_force", "", "asean_members"),
    ("asean", 811, 0, "1999-04-30", "", "in_force", "", "asean_members"),
    ("asean", 860, 0, "2025-10-26", "", "in_force", "Eleventh member", "asean_timor2025"),
    # ECOWAS (the 15 signatories of the Treaty of Lagos)
    *[("ecowas", c, 0, "1975-05-28", "", "in_force", "Signatory of the Treaty of Lagos",
       "ecowas_treaty1975") for c in (434, 437, 420, 452, 438, 404, 450, 433, 451, 461, 475)],
    ("ecowas", 435, 0, "1975-05-28", "2000-12-26", "renounced",
     "Withdrawal announced Dec 1999; exit date as ATOP's for the ECOWAS protocols",
     "ecowas_treaty1975;atop401"),
    *[("ecowas", c, 0, "1975-05-28", "2025-01-29", "renounced",
       "Withdrawal announced 28 Jan 2024, effective 29 Jan 2025",
       "ecowas_treaty1975;aes_withdrawal2024;ecowas_sahel2025") for c in (432, 439, 436)],
    ("ecowas", 402, 0, "1977-01-01", "", "in_force", "Joined in 1977 (day not established)",
     "ecowas_members"),
    ("alliance_of_sahel_states", 432, 0, "2023-09-16", "", "in_force", "", "aes_charter2023"),
    ("alliance_of_sahel_states", 439, 0, "2023-09-16", "", "in_force", "", "aes_charter2023"),
    ("alliance_of_sahel_states", 436, 0, "2023-09-16", "", "in_force", "", "aes_charter2023"),
    *[("quad_2007", c, 0, "2007-05-01", "2008-02-05", "dissolved" if c != 900 else "renounced",
       "Australia withdrew; the dialogue lapsed" if c == 900 else "", "madan2017")
      for c in (2, 740, 750, 900)],
    *[("quad", c, 0, "2017-11-12", "", "in_force", "", "madan2017;mofa_japan2017")
      for c in (2, 740, 750, 900)],
]
# Start dates known only to the month or year: the date is the first day of that period and the
# precision column says so (nothing is invented below the stated precision).
SIGNED_PRECISION = {"quad_2007": "month", "anglo_french_staff_talks": "month"}
JOINED_PRECISION = {**{("quad_2007", c): "month" for c in (2, 740, 750, 900)},
                    **{("anglo_french_staff_talks", c): "month" for c in (200, 220)},
                    ("ecowas", 402): "year"}

# Extra states whose capabilities the lessons compare with the members (rivals, patrons).
EXTRA_CAPABILITY_STATES = (310, 255, 325, 365, 200, 220, 2, 710, 740, 750, 900, 355)

# Alternative names accepted by cases.state_code (ours, not COW's).
ALIASES = {
    2: "USA;United States;America", 200: "Britain;Great Britain;UK;England",
    255: "Prussia", 260: "West Germany;FRG", 265: "East Germany;GDR",
    365: "Soviet Union;USSR;Russian Federation", 315: "",
    316: "Czechia", 343: "North Macedonia", 437: "Cote d'Ivoire;Côte d'Ivoire",
    439: "Upper Volta", 434: "Dahomey", 775: "Burma", 816: "Viet Nam", 860: "Timor-Leste",
    640: "Türkiye;Turkiye", 380: "", 740: "",
}


# --------------------------------------------------------------------------------------------
def ymd(y, m, d, *, day_missing_ok: bool = False) -> str:
    """ISO date from ATOP/COW year, month, day text (e.g. '1879', '10', '7.0'); '' if year is 0.

    A blank day is an error unless ``day_missing_ok``: then the first of the month is used (the
    caller records that it did so).
    """
    if d.strip() == "" and day_missing_ok:
        d = "1"
    y, m, d = int(float(y)), int(float(m)), int(float(d))
    if y == 0:
        return ""
    return f"{y:04d}-{m:02d}-{d:02d}"


def build_states(shared: Path) -> list[dict]:
    seen: dict[int, dict] = {}
    for r in read_csv(shared / "states2016.csv"):
        c = int(r["ccode"])
        start = ymd(r["styear"], r["stmonth"], r["stday"])
        end = ymd(r["endyear"], r["endmonth"], r["endday"])
        if c in seen:
            seen[c]["first_entry"] = min(seen[c]["first_entry"], start)
            seen[c]["last_exit"] = max(seen[c]["last_exit"], end)
        else:
            seen[c] = {"ccode": c, "stateabb": r["stateabb"], "name": r["statenme"],
                       "first_entry": start, "last_exit": end,
                       "aliases": ALIASES.get(c, ""), "source": "cow_states2016"}
    return [seen[c] for c in sorted(seen)]


def _ending_code(rows: list[dict]) -> int | str:
    """ATOP termmode of an alliance's ending: the most common code among the member rows that
    leave last (ties go to the lower code); empty when no row records an ending."""
    ended = [r for r in rows if int(float(r["termmode"] or 0)) != 0 and r["yrexit"].strip()
             and float(r["yrexit"]) != 0]
    if not ended:
        return ""
    def exit_key(r):
        return tuple(int(float(r[k] or 0)) for k in ("yrexit", "moexit", "dayexit"))
    last = max(exit_key(r) for r in ended)
    codes = [int(float(r["termmode"])) for r in ended if exit_key(r) == last]
    return min(set(codes), key=lambda c: (-codes.count(c), c))


def build_atop_alliances(shared: Path) -> list[dict]:
    from alliancekit.termination import label

    members: dict[int, set] = {}
    member_rows: dict[int, list[dict]] = {}
    for r in read_csv(shared / "atop-member-level.csv"):
        members.setdefault(int(r["atopid"]), set()).add(int(r["member"]))
        member_rows.setdefault(int(r["atopid"]), []).append(r)
    rows = []
    for r in read_csv(shared / "atop-alliance-level.csv"):
        a = int(r["atopid"])
        code = _ending_code(member_rows.get(a, [])) if float(r["endyr"] or 0) != 0 else ""
        rows.append({
            "atopid": a, "begin": ymd(r["begyr"], r["begmo"], r["begday"], day_missing_ok=True),
            "end": ymd(r["endyr"], r["endmo"], r["endday"], day_missing_ok=True),
            "begin_day_missing": int(r["begday"].strip() == ""),
            "end_day_missing": int(r["endday"].strip() == "" and float(r["endyr"]) != 0),
            "ineffect": int(float(r["ineffect"])),
            **{k: int(float(r[k])) for k in ("defense", "offense", "neutral", "nonagg", "consul")},
            "bilateral": int(float(r["bilat"])), "n_members": len(members.get(a, ())),
            "termmode": code, "end_cause": label(code or None),
            "source": "atop401",
        })
    return sorted(rows, key=lambda x: x["atopid"])


def build_alliances_and_members(shared: Path):
    level = {int(r["atopid"]): r for r in read_csv(shared / "atop-alliance-level.csv")}
    mlevel: dict[int, list[dict]] = {}
    for r in read_csv(shared / "atop-member-level.csv"):
        mlevel.setdefault(int(r["atopid"]), []).append(r)
    alliances, members = [], []
    for spec in ATOP_ALLIANCES:
        a = level[spec["atopid"]]
        end = ymd(a["endyr"], a["endmo"], a["endday"])
        alliances.append({
            "alliance_id": spec["alliance_id"], "name": spec["name"], "kind": "formal_alliance",
            "defense": int(float(a["defense"])), "offense": int(float(a["offense"])),
            "neutrality": int(float(a["neutral"])), "nonaggression": int(float(a["nonagg"])),
            "consultation": int(float(a["consul"])),
            "signed": ymd(a["begyr"], a["begmo"], a["begday"]), "signed_precision": "day",
            "ended": end,
            "atop_id": spec["atopid"], "notes": spec["notes"], "source": spec["source"],
        })
        rows = mlevel[spec["atopid"]]
        entries = {(int(r["member"]), int(r["phase"])): ymd(r["yrent"], r["moent"], r["dayent"])
                   for r in rows}
        exits = spec.get("exits", {})
        for r in rows:
            c, ph = int(r["member"]), int(r["phase"])
            joined = ymd(r["yrent"], r["moent"], r["dayent"])
            left = ymd(r["yrexit"], r["moexit"], r["dayexit"])
            note, source = "", "atop401"
            atop_left = left
            if not left:
                mode = "in_force"
                if (spec["alliance_id"], c) in POST_ATOP_EXITS:
                    left, mode, source, note = POST_ATOP_EXITS[(spec["alliance_id"], c)]
            elif entries.get((c, ph + 1)) == left:
                mode = "replaced"
            elif (c, ph) in exits:
                mode = exits[(c, ph)]
            elif c in exits:
                mode = exits[c]
            elif left == end:
                mode = "dissolved"
            else:
                raise ValueError(f"{spec['alliance_id']}: say how {c} left in phase {ph} ({left})")
            accession = ""
            if spec["alliance_id"] == "nato" and c in NATO_ACCESSION:
                accession = NATO_ACCESSION[c]
                source = "atop401;nato_members"
                note = (f"ATOP entry is the accession protocol's signing; joined NATO on "
                        f"{accession}")
            members.append({
                "alliance_id": spec["alliance_id"], "ccode": c, "phase": ph, "joined": joined,
                "joined_precision": "day",
                "left": left, "exit_mode": mode, "date_basis": "atop", "accession": accession,
                "atop_termmode": int(float(r["termmode"])) if atop_left else "",
                "atop_termcaus": int(float(r["termcaus"])) if atop_left else "",
                "notes": note, "source": source,
            })
    for row in HAND_ALLIANCES:
        d = dict(zip(_HA, row, strict=True))
        d["atop_id"] = ""
        d["signed_precision"] = SIGNED_PRECISION.get(d["alliance_id"], "day")
        alliances.append(d)
    for row in HAND_MEMBERS:
        d = dict(zip(_HM, row, strict=True))
        d.update(date_basis="hand", accession=d["joined"] if d["alliance_id"] == "nato" else "",
                 atop_termmode="", atop_termcaus="",
                 joined_precision=JOINED_PRECISION.get((d["alliance_id"], d["ccode"]), "day"))
        members.append(d)
    for m in members:
        if m["exit_mode"] not in EXIT_MODES:
            raise ValueError(f"bad exit_mode {m['exit_mode']!r}")
    alliances.sort(key=lambda r: (r["signed"], r["alliance_id"]))
    members.sort(key=lambda r: (r["alliance_id"], r["phase"], r["joined"], r["ccode"]))
    return alliances, members


def _component(text: str) -> str:
    """An NMC component as written, or '' where NMC marks it missing (-9 or blank)."""
    return "" if text.strip() == "" or float(text) == -9 else text


def build_capabilities(shared: Path, ccodes: set[int]) -> list[dict]:
    comps = ("milex", "milper", "irst", "pec", "tpop", "upop")
    rows = []
    abb = {}
    for r in read_csv(shared / "NMC-60-abridged.csv"):
        c = int(r["ccode"])
        abb[c] = r["stateabb"]
        if c in ccodes:
            rows.append({"ccode": c, "stateabb": r["stateabb"], "year": int(r["year"]),
                         **{k: _component(r[k]) for k in comps},
                         "cinc": r["cinc"], "source": "nmc60"})
    for r in read_csv(shared / "NMC-70-abridged.csv"):
        c, y = int(r["ccode"]), int(r["year"])
        if c in ccodes and y >= NMC70_FIRST_YEAR:
            rows.append({"ccode": c, "stateabb": abb.get(c, ""), "year": y,
                         **{k: _component(r[k]) for k in comps},
                         "cinc": r["cinc"], "source": "nmc70"})
    return sorted(rows, key=lambda x: (x["ccode"], x["year"]))


RELIABILITY_COLUMNS = ("sample", "warid", "atopid", "cowwarid", "warname", "cowid", "multilateral",
                       "honorBF", "violateBF", "honorLLM", "violateLLM", "sabroskyhonorbf",
                       "sabroskyhonorllm", "defense", "offense", "neutral", "nonagg", "consul")


def build_reliability(shared: Path) -> list[dict]:
    def as_int(v):
        return "" if v == "" else str(int(float(v)))
    out = []
    for r in read_csv(shared / "berkemeier_fuhrmann2018_reliability.csv"):
        d = {k: (r[k] if k == "warname" else as_int(r[k])) for k in RELIABILITY_COLUMNS}
        d["source"] = "berkemeier_fuhrmann2018"
        out.append(d)
    return out


CAPITAL_COLUMNS = ("ccode", "name", "capital", "from_date", "to_date", "lat", "lng")


def build_capitals(shared: Path, ccodes: set[int]) -> list[dict]:
    """Every row of the COW capitals list for a state in states.csv, values copied as text.

    The list gives each capital with the days it served (``stdate``/``enddate``) and its latitude
    and longitude in decimal degrees; a state that moved its capital (Italy, Russia, Nigeria) has
    one row per capital. Nothing is changed; rows are sorted by state code and first day.
    """
    rows = []
    for r in read_csv(shared / "cow-capitals.csv"):
        c = int(r["ccode"])
        if c not in ccodes:
            continue
        rows.append({"ccode": c, "name": r["statenme"], "capital": r["capital"],
                     "from_date": r["stdate"], "to_date": r["enddate"], "lat": r["lat"],
                     "lng": r["lng"], "source": "cow_capitals;miller2022"})
    return sorted(rows, key=lambda x: (x["ccode"], x["from_date"]))


def build(shared: Path, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    states = build_states(shared)
    alliances, members = build_alliances_and_members(shared)
    known = {s["ccode"] for s in states}
    event_states = {int(c) for e in read_csv(EVENTS) for c in e["ccodes"].split(";")}
    wanted = {m["ccode"] for m in members} | event_states | set(EXTRA_CAPABILITY_STATES)
    missing = sorted(wanted - known)
    if missing:
        raise ValueError(f"state codes not in the COW list: {missing}")
    caps = build_capabilities(shared, wanted)
    written = []

    def put(name, header, rows):
        path = out / name
        write_csv(path, header, rows)
        written.append(path)

    put("states.csv", ("ccode", "stateabb", "name", "first_entry", "last_exit", "aliases",
                       "source"), states)
    put("alliances.csv", ("alliance_id", "name", "kind", "defense", "offense", "neutrality",
                          "nonaggression", "consultation", "signed", "signed_precision", "ended",
                          "atop_id", "notes",
                          "source"), alliances)
    put("memberships.csv", ("alliance_id", "ccode", "phase", "joined", "joined_precision", "left",
                            "exit_mode",
                            "date_basis", "accession", "atop_termmode", "atop_termcaus", "notes",
                            "source"), members)
    put("capabilities.csv", ("ccode", "stateabb", "year", "milex", "milper", "irst", "pec", "tpop",
                             "upop", "cinc", "source"), caps)
    put("atop_alliances.csv", ("atopid", "begin", "end", "begin_day_missing", "end_day_missing",
                               "ineffect", "defense", "offense",
                               "neutral", "nonagg", "consul", "bilateral", "n_members", "termmode",
                               "end_cause", "source"),
        build_atop_alliances(shared))
    put("reliability.csv", (*RELIABILITY_COLUMNS, "source"), build_reliability(shared))
    put("capitals.csv", (*CAPITAL_COLUMNS, "source"), build_capitals(shared, known))
    return written


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--shared", type=Path, default=DEFAULT_SHARED,
                   help="folder holding the public files (default: ../shared/data)")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT,
                   help="folder to write the extracts into (default: alliancekit/data)")
    args = p.parse_args(argv)
    if not args.shared.is_dir():
        p.error(f"--shared: {args.shared} is not a folder holding the public data files")
    for path in build(args.shared, args.out) + build_replications(args.shared, args.out):
        n = sum(1 for _ in open(path, encoding="utf-8")) - 1
        print(f"wrote {path} ({n} rows)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
