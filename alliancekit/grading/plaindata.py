"""Answers as plain data: the only thing that crosses from a student's kernel to the judge.

The trusted judge (`alliancekit.grading.judge`) never receives a Python object from a student's
kernel. It receives *text* that this module turns into fresh objects of a few exact types, built
by the judge itself:

====================================  ===================================================
value in the student's kernel         what the judge gets
====================================  ===================================================
``None``, ``bool``, ``int``,          the same value, of exactly that type (a subclass of
``float``, ``str``                    ``float`` with a lying ``__eq__`` is refused, never
                                      passed on)
``tuple``, ``list``, ``set``,         the same container of plain values
``frozenset``, ``dict``
numpy scalars and arrays              a new array of the same dtype and shape (booleans,
(bool, int, uint, float, complex,     numbers and fixed-width strings; object arrays are
fixed-width str)                      refused)
pandas ``Series``, ``DataFrame``,     a new object with the same values, dtypes, index
``Index``, ``RangeIndex``             (and its name) and column labels
a networkx ``Graph``/``DiGraph``      a new graph with the same nodes, edges and attributes
an altair chart                       its Vega-Lite spec (a dict) with its top-level data
                                      frame, rebuilt as an altair chart
a function                            a marker: the judge calls it in the student's
                                      sandbox through `alliancekit.grading.judge`
====================================  ===================================================

The encoded form is JSON, base64-wrapped so that it travels through a kernel's ``text/plain``
reply unchanged. Arrays travel as their raw little-endian bytes, so floats arrive bit for bit.

The encoder (:func:`encode`) runs inside the student's kernel, which the student controls, so
:func:`decode` treats its input as hostile bytes: it checks the size before parsing, parses with
the standard ``json`` module (never ``pickle``, ``eval`` or ``literal_eval``), and then accepts only
the node shapes above, with exact types, a nesting depth of at most :data:`MAX_DEPTH` and at most
:data:`MAX_ITEMS` elements in all. Anything else raises :class:`PlainDataError`, which the judge
turns into a failed test with a plain message.

This module imports numpy, pandas, networkx and altair only when a value of theirs is met.
"""
from __future__ import annotations

import base64
import binascii
import json
import math
import re

__all__ = ["PlainDataError", "encode", "decode", "pack", "unpack", "MAX_BYTES", "MAX_DEPTH",
           "MAX_ITEMS", "FUNCTION", "MISSING"]

#: Largest encoded answer set, in bytes of base64 text (32 MiB).
MAX_BYTES = 32 * 1024 * 1024
#: Deepest nesting of containers accepted.
MAX_DEPTH = 32
#: Most elements (scalars, container entries, array cells) accepted in one payload.
MAX_ITEMS = 4_000_000

#: The node that stands for a function (called through the judge's proxy, never sent).
FUNCTION = {"t": "function"}
#: The node that stands for a name the student's kernel does not define.
MISSING = {"t": "missing"}

_NUMERIC = re.compile(r"^[<|]?(b1|i[1248]|u[1248]|f[248]|c(8|16))$")
_UNICODE = re.compile(r"^<U[0-9]{1,6}$")
_BASE64 = re.compile(rb"^[A-Za-z0-9+/]*={0,2}$")
_SERIES_DTYPES = {"bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
                  "uint64", "float32", "float64", "object", "str", "string"}
_LISTED_DTYPES = {"object", "str", "string", "Int8", "Int16", "Int32", "Int64", "UInt8", "UInt16",
                  "UInt32", "UInt64", "Float32", "Float64", "boolean"}
_TIME_DTYPES = {f"{kind}64[{unit}]" for kind in ("datetime", "timedelta")
                for unit in ("s", "ms", "us", "ns")}
_CHART_TYPES = ("layer", "hconcat", "vconcat", "concat", "facet", "repeat")


class PlainDataError(ValueError):
    """A value that cannot travel as plain data, or a payload that is not valid plain data."""


# --------------------------------------------------------------------------------------------
# Encoding (runs wherever a value leaves: the student's kernel, or the judge for arguments)
# --------------------------------------------------------------------------------------------
class _Budget:
    def __init__(self, items: int):
        self.items = items

    def take(self, n: int = 1) -> None:
        self.items -= n
        if self.items < 0:
            raise PlainDataError(f"the value has more than {MAX_ITEMS:,} elements")


def encode(value: object, *, depth: int = MAX_DEPTH, _budget: _Budget | None = None):
    """Turn a value into a JSON-ready node of plain data (see the module's table).

    Parameters
    ----------
    value : object
        The value to encode.
    depth : int, default MAX_DEPTH
        How many levels of containers may still be opened.

    Returns
    -------
    object
        ``None``, ``bool``, ``int``, ``float``, ``str`` or a tagged dict ``{"t": kind, ...}``.

    Raises
    ------
    PlainDataError
        For a type outside the table, a subclass of an allowed type, or a value too large or too
        deeply nested.
    """
    budget = _budget or _Budget(MAX_ITEMS)
    budget.take()
    kind = type(value)
    if value is None or kind in (bool, str):
        return value
    if kind is int:
        if abs(value) >= 10 ** 4000:
            raise PlainDataError("an int with more than 4000 digits")
        return value
    if kind is float:
        return value
    if kind in (list, tuple, set, frozenset, dict):
        if depth <= 0:
            raise PlainDataError(f"the value is nested more than {MAX_DEPTH} levels deep")
        if kind is dict:
            items = [[encode(k, depth=depth - 1, _budget=budget),
                      encode(v, depth=depth - 1, _budget=budget)] for k, v in value.items()]
            return {"t": "dict", "v": items}
        elements = list(value) if kind is not set and kind is not frozenset else _ordered(value)
        budget.take(len(elements))
        return {"t": kind.__name__, "v": [encode(v, depth=depth - 1, _budget=budget)
                                          for v in elements]}
    module = getattr(kind, "__module__", "") or ""
    if module.startswith("numpy"):
        return _encode_numpy(value, budget)
    if module.startswith("pandas"):
        return _encode_pandas(value, depth, budget)
    if module.startswith("networkx"):
        return _encode_graph(value, depth, budget)
    if module.startswith("altair"):
        return _encode_chart(value, depth, budget)
    raise PlainDataError(f"a value of type {kind.__name__} cannot be graded; use numbers, "
                         "strings, lists, tuples, sets, dicts, numpy arrays or pandas objects")


def _ordered(values) -> list:
    try:
        return sorted(values)
    except TypeError:
        return list(values)


def _encode_numpy(value, budget: _Budget):
    import numpy as np

    if type(value) is np.ndarray:
        budget.take(int(value.size))
        return _array_node(value)
    if isinstance(value, np.generic) and type(value) in (
            np.bool_, np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32,
            np.uint64, np.float16, np.float32, np.float64, np.complex64, np.complex128, np.str_):
        node = _array_node(np.asarray(value).reshape(1))
        return {"t": "npscalar", "a": node}
    raise PlainDataError(f"a numpy value of type {type(value).__name__} cannot be graded")


def _array_node(array) -> dict:
    import numpy as np

    dtype = array.dtype
    if dtype.kind == "U":
        return {"t": "ndarray", "dtype": dtype.newbyteorder("<").str, "shape": list(array.shape),
                "v": [str(x) for x in array.reshape(-1).tolist()]}
    if dtype.kind not in "biufc" or dtype.fields is not None:
        raise PlainDataError(f"a numpy array of dtype {dtype} cannot be graded (only booleans, "
                             "numbers and strings)")
    little = np.ascontiguousarray(array, dtype=dtype.newbyteorder("<"))
    return {"t": "ndarray", "dtype": little.dtype.str, "shape": list(array.shape),
            "b64": base64.b64encode(little.tobytes()).decode("ascii")}


def _encode_column(values, depth: int, budget: _Budget) -> dict:
    """A pandas column (Series values or Index values) with its dtype."""
    import numpy as np

    dtype = str(values.dtype)
    budget.take(len(values))
    if dtype == "category":
        return {"dtype": dtype, "ordered": bool(values.dtype.ordered),
                "categories": _encode_column(values.dtype.categories, depth, budget),
                "a": _array_node(np.asarray(values.cat.codes if hasattr(values, "cat")
                                            else values.codes))}
    if dtype in _TIME_DTYPES:
        return {"dtype": dtype, "a": _array_node(np.asarray(values).view("int64"))}
    if dtype not in _SERIES_DTYPES | _LISTED_DTYPES:
        raise PlainDataError(f"a pandas column of dtype {dtype} cannot be graded")
    if dtype in _LISTED_DTYPES:
        cells = []
        for x in values.tolist() if hasattr(values, "tolist") else list(values):
            if x is None or type(x) in (bool, int, float, str):
                cells.append(x)
            elif x is getattr(__import__("pandas"), "NA", None) or (
                    isinstance(x, float) and math.isnan(x)):
                cells.append(None)
            else:
                cells.append(encode(x, depth=min(depth, 2), _budget=budget))
        return {"dtype": dtype, "v": cells}
    return {"dtype": dtype, "a": _array_node(np.asarray(values))}


def _encode_index(index, depth: int, budget: _Budget) -> dict:
    import pandas as pd

    name = encode(index.name, depth=1, _budget=budget)
    if type(index) is pd.RangeIndex:
        return {"t": "range", "start": int(index.start), "stop": int(index.stop),
                "step": int(index.step), "name": name}
    if type(index) is not pd.Index:
        raise PlainDataError(f"a pandas {type(index).__name__} cannot be graded; use "
                             ".reset_index() for a plain index")
    return {"t": "index", "col": _encode_column(index, depth, budget), "name": name}


def _encode_pandas(value, depth: int, budget: _Budget):
    import pandas as pd

    kind = type(value)
    if kind is pd.Series:
        return {"t": "series", "name": encode(value.name, depth=1, _budget=budget),
                "index": _encode_index(value.index, depth, budget),
                "col": _encode_column(value, depth, budget)}
    if kind is pd.DataFrame:
        return {"t": "frame", "columns": _encode_index(value.columns, depth, budget),
                "index": _encode_index(value.index, depth, budget),
                "cols": [_encode_column(value.iloc[:, i], depth, budget)
                         for i in range(value.shape[1])]}
    if kind in (pd.Index, pd.RangeIndex):
        return {"t": "pindex", "i": _encode_index(value, depth, budget)}
    raise PlainDataError(f"a pandas {kind.__name__} cannot be graded")


def _encode_graph(value, depth: int, budget: _Budget):
    import networkx as nx

    if type(value) not in (nx.Graph, nx.DiGraph):
        raise PlainDataError(f"a networkx {type(value).__name__} cannot be graded")
    sub = max(depth - 2, 1)
    return {"t": "graph", "directed": value.is_directed(),
            "graph": encode(dict(value.graph), depth=sub, _budget=budget),
            "nodes": [[encode(n, depth=sub, _budget=budget),
                       encode(dict(a), depth=sub, _budget=budget)]
                      for n, a in value.nodes(data=True)],
            "edges": [[encode(u, depth=sub, _budget=budget), encode(v, depth=sub, _budget=budget),
                       encode(dict(a), depth=sub, _budget=budget)]
                      for u, v, a in value.edges(data=True)]}


def _encode_chart(value, depth: int, budget: _Budget):
    import altair as alt
    import pandas as pd

    if not isinstance(value, alt.TopLevelMixin):
        raise PlainDataError(f"an altair {type(value).__name__} cannot be graded")
    frame = getattr(value, "data", alt.Undefined)
    data = _encode_pandas(frame, depth, budget) if type(frame) is pd.DataFrame else None
    spec = value.to_dict(validate=False)
    text = json.dumps(spec, allow_nan=False, default=str)
    budget.take(len(text) // 64)
    return {"t": "chart", "spec": text, "data": data}


# --------------------------------------------------------------------------------------------
# Decoding (the judge's side: the input is hostile)
# --------------------------------------------------------------------------------------------
def _fail(why: str):
    raise PlainDataError(f"not valid plain data: {why}")


def decode(node, *, depth: int = MAX_DEPTH, _budget: _Budget | None = None):
    """Build fresh objects from a node made by :func:`encode`, accepting nothing else.

    Parameters
    ----------
    node : object
        A node as parsed by ``json.loads`` from text of unknown origin.
    depth : int, default MAX_DEPTH
        How many levels of containers may still be opened.

    Returns
    -------
    object
        A value of one of the exact types in the module's table.

    Raises
    ------
    PlainDataError
        For any node that :func:`encode` would not have made, or that is too large or too deep.
    """
    budget = _budget or _Budget(MAX_ITEMS)
    budget.take()
    kind = type(node)
    if node is None or kind in (bool, int, float, str):
        return node
    if kind is not dict or type(node.get("t")) is not str:
        _fail(f"unexpected {kind.__name__}")
    tag = node["t"]
    if tag in ("list", "tuple", "set", "frozenset", "dict"):
        if depth <= 0:
            _fail(f"nested more than {MAX_DEPTH} levels deep")
        items = node.get("v")
        if type(items) is not list:
            _fail(f"a {tag} without its items")
        budget.take(len(items))
        if tag == "dict":
            pairs = []
            for pair in items:
                if type(pair) is not list or len(pair) != 2:
                    _fail("a dict entry that is not a key and a value")
                key = decode(pair[0], depth=depth - 1, _budget=budget)
                pairs.append((_hashable(key), decode(pair[1], depth=depth - 1, _budget=budget)))
            _no_flood([k for k, _ in pairs], "dict keys")
            return dict(pairs)
        values = [decode(v, depth=depth - 1, _budget=budget) for v in items]
        if tag in ("set", "frozenset"):
            values = [_hashable(v) for v in values]
            _no_flood(values, f"{tag} elements")
        return {"list": list, "tuple": tuple, "set": set, "frozenset": frozenset}[tag](values)
    if tag == "ndarray":
        return _decode_array(node, budget)
    if tag == "npscalar":
        array = _decode_array(_field(node, "a", dict), budget)
        if array.shape != (1,):
            _fail("a numpy scalar that is not one value")
        return array[0]
    builders = {"series": _decode_pandas, "frame": _decode_pandas, "pindex": _decode_pandas,
                "graph": _decode_graph, "chart": _decode_chart}
    if tag not in builders:
        _fail(f"unknown kind {tag[:40]!r}")
    try:
        return builders[tag](node, depth, budget)
    except (TypeError, ValueError, OverflowError, KeyError, IndexError) as exc:
        if isinstance(exc, PlainDataError):
            raise
        _fail(f"a {tag} its library refuses ({type(exc).__name__})")


def _hashable(value):
    try:
        hash(value)
    except TypeError:
        _fail("an unhashable set element or dict key")
    return value


#: Most set elements or dict keys that may share one hash value. Python builds a set of n values
#: that all share a hash in time n squared (300,000 such ints kept a judge busy for minutes).
MAX_SAME_HASH = 64
#: The words that name a refused hash flood in the reason (`alliancekit.grading.judging` notes it).
FLOODING = "a hash-flooding attack"


def _no_flood(keys: list, what: str) -> None:
    """Refuse keys many of which share one hash value (hash flooding), before hashing them in."""
    if len(keys) <= MAX_SAME_HASH:
        return
    from collections import Counter

    most = Counter(hash(k) for k in keys).most_common(1)[0][1]
    if most > MAX_SAME_HASH:
        _fail(f"{most:,} {what} share one hash value ({FLOODING}): refused, before building it")


def _field(node: dict, name: str, kind):
    value = node.get(name)
    if type(value) is not kind:
        _fail(f"field {name!r} is not a {kind.__name__}")
    return value


def _decode_array(node: dict, budget: _Budget):
    import numpy as np

    dtype_text = _field(node, "dtype", str)
    shape = _field(node, "shape", list)
    if len(shape) > 8 or not all(type(n) is int and 0 <= n <= MAX_ITEMS for n in shape):
        _fail("an array shape that is not a few whole numbers")
    size = math.prod(shape)
    budget.take(size)
    if _UNICODE.match(dtype_text):
        values = _field(node, "v", list)
        if len(values) != size or not all(type(v) is str for v in values):
            _fail("string array values that do not fit its shape")
        width = int(dtype_text[2:])
        if any(len(v) > width for v in values):
            _fail("a string longer than its array's width")
        return np.array(values, dtype=dtype_text).reshape(shape)
    if not _NUMERIC.match(dtype_text):
        _fail(f"an array dtype {dtype_text[:20]!r} outside booleans and numbers")
    dtype = np.dtype(dtype_text)
    raw = _b64(_field(node, "b64", str))
    if len(raw) != size * dtype.itemsize:
        _fail("array bytes that do not fit its shape")
    array = np.frombuffer(raw, dtype=dtype).reshape(shape)
    if dtype.kind == "b" and raw.strip(b"\x00\x01"):
        _fail("a boolean array holding bytes other than 0 and 1")
    return array.astype(dtype.newbyteorder("="), copy=True)


def _b64(text: str) -> bytes:
    data = text.encode("ascii", "replace")
    if len(data) % 4 or not _BASE64.match(data):
        _fail("bytes that are not base64")
    try:
        return base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        _fail("bytes that are not base64")


def _decode_column(node, depth: int, budget: _Budget):
    """A pandas column as (values, dtype) ready for the Series/Index constructor."""
    if type(node) is not dict:
        _fail("a pandas column that is not a node")
    import pandas as pd

    dtype = _field(node, "dtype", str)
    if dtype == "category":
        categories, kind = _decode_column(node.get("categories"), depth, budget)
        codes = _decode_array(_field(node, "a", dict), budget)
        if codes.ndim != 1 or codes.dtype.kind != "i" or (
                codes.size and (codes.min() < -1 or codes.max() >= len(categories))):
            _fail("category codes outside their categories")
        values = pd.Categorical.from_codes(codes, categories=pd.Index(categories, dtype=kind),
                                           ordered=_field(node, "ordered", bool))
        return values, values.dtype
    if dtype in _TIME_DTYPES:
        array = _decode_array(_field(node, "a", dict), budget)
        if str(array.dtype) != "int64" or array.ndim != 1:
            _fail("times that are not whole numbers")
        return array.view(dtype), dtype
    if dtype not in _SERIES_DTYPES | _LISTED_DTYPES:
        _fail(f"a pandas dtype {dtype[:20]!r} outside the plain ones")
    if dtype in _LISTED_DTYPES:
        cells = _field(node, "v", list)
        budget.take(len(cells))
        values = [decode(c, depth=min(depth, 2), _budget=budget) for c in cells]
        if dtype in ("str", "string") and not all(v is None or type(v) is str for v in values):
            _fail("a string column holding something else")
        if dtype not in ("object", "str", "string") and not all(
                v is None or type(v) in (bool, int, float) for v in values):
            _fail("a nullable column holding something other than numbers")
        return values, dtype
    array = _decode_array(_field(node, "a", dict), budget)
    if str(array.dtype) != dtype or array.ndim != 1:
        _fail("a column whose values do not have its dtype")
    return array, dtype


def _decode_index(node, depth: int, budget: _Budget):
    import pandas as pd

    if type(node) is not dict:
        _fail("a pandas index that is not a node")
    name = decode(node.get("name"), depth=1, _budget=budget)
    _hashable(name)
    if node.get("t") == "range":
        start, stop, step = (_field(node, k, int) for k in ("start", "stop", "step"))
        if step == 0 or abs(stop - start) // abs(step) > MAX_ITEMS:
            _fail("a range index that is empty-stepped or too long")
        budget.take(abs(stop - start) // abs(step))
        return pd.RangeIndex(start, stop, step, name=name)
    if node.get("t") != "index":
        _fail("an unknown pandas index")
    values, dtype = _decode_column(node.get("col"), depth, budget)
    if dtype == "object":
        values = [_hashable(v) for v in values]
    return pd.Index(values, dtype=dtype, name=name)


def _decode_pandas(node: dict, depth: int, budget: _Budget):
    import pandas as pd

    if node["t"] == "pindex":
        return _decode_index(node.get("i"), depth, budget)
    index = _decode_index(node.get("index"), depth, budget)
    if node["t"] == "series":
        values, dtype = _decode_column(node.get("col"), depth, budget)
        if len(values) != len(index):
            _fail("a Series whose values and index differ in length")
        name = decode(node.get("name"), depth=1, _budget=budget)
        return pd.Series(values, index=index, dtype=dtype, name=_hashable(name))
    columns = _decode_index(node.get("columns"), depth, budget)
    cols = _field(node, "cols", list)
    if len(cols) != len(columns):
        _fail("a DataFrame whose columns and labels differ in number")
    parts = {}
    for i, col in enumerate(cols):
        values, dtype = _decode_column(col, depth, budget)
        if len(values) != len(index):
            _fail("a DataFrame column of the wrong length")
        parts[i] = pd.Series(values, index=index, dtype=dtype)
    frame = pd.DataFrame(parts, index=index)
    frame.columns = columns
    return frame


def _decode_graph(node: dict, depth: int, budget: _Budget):
    import networkx as nx

    graph = nx.DiGraph() if _field(node, "directed", bool) else nx.Graph()
    sub = max(depth - 2, 1)
    attrs = decode(node.get("graph"), depth=sub, _budget=budget)
    if type(attrs) is not dict:
        _fail("graph attributes that are not a dict")
    graph.graph.update(attrs)
    for entry in _field(node, "nodes", list):
        if type(entry) is not list or len(entry) != 2:
            _fail("a graph node that is not a name and attributes")
        name, data = (decode(x, depth=sub, _budget=budget) for x in entry)
        if type(data) is not dict:
            _fail("node attributes that are not a dict")
        graph.add_node(_hashable(name), **{str(k): v for k, v in data.items()})
    for entry in _field(node, "edges", list):
        if type(entry) is not list or len(entry) != 3:
            _fail("a graph edge that is not two nodes and attributes")
        u, v, data = (decode(x, depth=sub, _budget=budget) for x in entry)
        if type(data) is not dict:
            _fail("edge attributes that are not a dict")
        graph.add_edge(_hashable(u), _hashable(v), **{str(k): x for k, x in data.items()})
    return graph


def _decode_chart(node: dict, depth: int, budget: _Budget):
    import altair as alt

    text = _field(node, "spec", str)
    budget.take(len(text) // 64)
    spec = _json(text)
    if type(spec) is not dict:
        _fail("a chart spec that is not a dict")
    _check_json_depth(spec, MAX_DEPTH)
    data = node.get("data")
    if data is not None and (type(data) is not dict or data.get("t") != "frame"):
        _fail("chart data that is not a DataFrame")
    frame = _decode_pandas(data, depth, budget) if data is not None else None
    spec = {k: v for k, v in spec.items() if k != "datasets"}
    if frame is not None:
        spec.pop("data", None)
    builder = next((getattr(alt, name) for key, name in zip(
        _CHART_TYPES, ("LayerChart", "HConcatChart", "VConcatChart", "ConcatChart", "FacetChart",
                       "RepeatChart"), strict=True) if key in spec), alt.Chart)
    try:
        chart = builder.from_dict(spec, validate=False)
    except Exception as exc:  # altair's own errors on a spec it cannot read
        _fail(f"a chart spec altair cannot read ({type(exc).__name__})")
    if frame is not None:
        chart.data = frame
    return chart


def _check_json_depth(value, depth: int) -> None:
    stack = [(value, depth)]
    while stack:
        item, left = stack.pop()
        if type(item) in (dict, list):
            if left <= 0:
                _fail(f"nested more than {MAX_DEPTH} levels deep")
            stack.extend((x, left - 1) for x in (item.values() if type(item) is dict else item))


def _json(text: str):
    try:
        return json.loads(text)
    except (ValueError, RecursionError, MemoryError) as exc:
        _fail(f"text that is not JSON ({type(exc).__name__})")


# --------------------------------------------------------------------------------------------
# Envelopes: many named values in one ASCII string
# --------------------------------------------------------------------------------------------
def pack(nodes: dict, limit: int = MAX_BYTES) -> str:
    """Wrap a dict of encoded nodes as one base64 string of at most ``limit`` characters.

    Parameters
    ----------
    nodes : dict of str to node
        Nodes made by :func:`encode` (or :data:`FUNCTION`, :data:`MISSING`), by name.
    limit : int, default MAX_BYTES
        Largest result, in characters.

    Returns
    -------
    str
        ASCII text: base64 of the JSON of ``nodes``.

    Raises
    ------
    PlainDataError
        If the result would be longer than ``limit``.
    """
    text = json.dumps({"v": 1, "nodes": nodes}, separators=(",", ":"))
    out = base64.b64encode(text.encode("utf-8")).decode("ascii")
    if len(out) > limit:
        raise PlainDataError(f"the answers take {len(out) / 2**20:.1f} MiB, more than the "
                             f"{limit / 2**20:.0f} MiB the grader reads")
    return out


def unpack(text: str, limit: int = MAX_BYTES) -> dict:
    """Check and parse text made by :func:`pack`, returning its nodes (not yet decoded).

    Parameters
    ----------
    text : str
        Text of unknown origin.
    limit : int, default MAX_BYTES
        Largest text accepted, in characters.

    Returns
    -------
    dict of str to node
        The nodes by name; pass each to :func:`decode`.

    Raises
    ------
    PlainDataError
        If the text is too long, not base64, not JSON, or not shaped as :func:`pack` makes it.
    """
    if type(text) is not str or len(text) > limit:
        _fail(f"more than {limit} characters, or not text")
    raw = _b64(text)
    try:
        body = raw.decode("utf-8")
    except UnicodeDecodeError:
        _fail("bytes that are not UTF-8")
    envelope = _json(body)
    if type(envelope) is not dict or envelope.get("v") != 1 or type(envelope.get("nodes")) \
            is not dict:
        _fail("an envelope of the wrong shape")
    nodes = envelope["nodes"]
    if not all(type(k) is str for k in nodes):
        _fail("names that are not strings")
    return nodes
