"""The plain-data codec between a student's kernel and the judge (alliancekit.grading.plaindata).

What the judge receives is built by the judge: exact types, the same values, and nothing that a
hostile encoder could smuggle in (subclasses, lying methods, huge or deep values, other kinds).
"""
from __future__ import annotations

import base64
import json
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alliancekit.grading import plaindata
from alliancekit.grading.plaindata import PlainDataError


def _round_trip(value):
    return plaindata.decode(plaindata.unpack(plaindata.pack({"x": plaindata.encode(value)}))["x"])


def _forged(node) -> str:
    """An envelope a hostile kernel could send, holding ``node`` as the answer ``x``."""
    text = json.dumps({"v": 1, "nodes": {"x": node}})
    return base64.b64encode(text.encode()).decode()


def _same(a, b) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    return a == b


_scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text()
_hashables = st.recursive(st.none() | st.booleans() | st.integers() | st.text(),
                          lambda inner: st.tuples(inner, inner), max_leaves=8)
_values = st.recursive(
    _scalars,
    lambda inner: (st.lists(inner, max_size=5) | st.tuples(inner, inner)
                   | st.dictionaries(_hashables, inner, max_size=5)
                   | st.sets(_hashables, max_size=5) | st.frozensets(_hashables, max_size=5)),
    max_leaves=30)


@given(_values)
@settings(max_examples=200, deadline=None)
def test_plain_python_values_arrive_with_the_same_value_and_exact_types(value):
    assert _same(_round_trip(value), value)


_dtypes = st.sampled_from(["bool", "int8", "int32", "int64", "uint16", "float32", "float64",
                           "complex128"])


@given(_dtypes, st.lists(st.integers(0, 4), min_size=0, max_size=3), st.integers(0, 2**31))
@settings(max_examples=100, deadline=None)
def test_numpy_arrays_arrive_bit_for_bit_with_dtype_and_shape(dtype, shape, seed):
    rng = np.random.default_rng(seed)
    array = np.asarray(rng.random(shape) * 100).astype(dtype)
    back = _round_trip(array)
    assert type(back) is np.ndarray and back.dtype == array.dtype and back.shape == array.shape
    assert back.tobytes() == array.tobytes()


@given(st.lists(st.floats(allow_nan=True), max_size=20), st.lists(st.text(max_size=5), max_size=20))
@settings(max_examples=100, deadline=None)
def test_dataframes_keep_values_dtypes_index_and_labels(numbers, words):
    n = min(len(numbers), len(words))
    frame = pd.DataFrame({"x": numbers[:n], "w": words[:n], "b": [True] * n},
                         index=pd.Index(range(10, 10 + n), name="row"))
    back = _round_trip(frame)
    pd.testing.assert_frame_equal(back, frame)
    assert type(back) is pd.DataFrame


def test_series_categories_and_times_keep_their_dtypes():
    for series in (pd.Series([1.5, 2.5], index=["a", "b"], name="s"),
                   pd.Series(pd.Categorical(["x", "y", "x"], ordered=True)),
                   pd.Series(pd.to_datetime(["1914-07-28", "1918-11-11"])),
                   pd.Series([1, None], dtype="Int64")):
        pd.testing.assert_series_equal(_round_trip(series), series)


def test_numpy_scalars_keep_their_exact_type():
    for value in (np.float64(0.25), np.int64(7), np.bool_(True), np.float32(1.5)):
        back = _round_trip(value)
        assert type(back) is type(value) and back == value


def test_a_subclass_of_float_with_a_lying_eq_is_refused_by_the_encoder():
    class Liar(float):
        def __eq__(self, other):
            return True

    with pytest.raises(PlainDataError, match="Liar"):
        plaindata.encode(Liar(1.0))


def test_subclasses_of_arrays_and_frames_are_refused():
    class Frame(pd.DataFrame):
        pass

    class Array(np.ndarray):
        pass

    with pytest.raises(PlainDataError):
        plaindata.encode(Frame({"a": [1]}))
    with pytest.raises(PlainDataError):
        plaindata.encode(np.zeros(2).view(Array))


def test_object_arrays_and_other_types_are_refused():
    with pytest.raises(PlainDataError, match="dtype object"):
        plaindata.encode(np.array([object()]))
    with pytest.raises(PlainDataError, match="cannot be graded"):
        plaindata.encode(object())


def test_a_self_containing_list_is_refused_not_followed_forever():
    loop: list = []
    loop.append(loop)
    with pytest.raises(PlainDataError, match="nested"):
        plaindata.encode(loop)


@pytest.mark.parametrize("node", [
    {"t": "pickle", "v": "gASV"},                                   # an unknown kind
    {"t": "ndarray", "dtype": "|O", "shape": [1], "b64": "AA=="},   # object arrays
    {"t": "ndarray", "dtype": "<f8", "shape": [2], "b64": "AAAAAAAAAAA="},  # wrong length
    {"t": "ndarray", "dtype": "|b1", "shape": [1], "b64": "Ag=="},  # a boolean holding 2
    {"t": "list", "v": "not a list"},
    {"t": "set", "v": [{"t": "list", "v": []}]},                    # unhashable element
    {"t": "dict", "v": [[1]]},
    {"t": "frame", "columns": {"t": "range", "start": 0, "stop": 1, "step": 1, "name": None},
     "index": {"t": "range", "start": 0, "stop": 2, "step": 1, "name": None},
     "cols": [{"dtype": "float64", "a": {"t": "ndarray", "dtype": "<f8", "shape": [3],
                                         "b64": base64.b64encode(bytes(24)).decode()}}]},
    {"t": "series", "name": None, "index": {"t": "range", "start": 0, "stop": 1, "step": 0,
                                            "name": None}, "col": {}},
    ["a bare JSON list"],
])
def test_a_forged_node_is_refused(node):
    with pytest.raises(PlainDataError):
        plaindata.decode(plaindata.unpack(_forged(node))["x"])


def test_deep_nesting_is_refused_by_the_decoder():
    node = 1
    for _ in range(plaindata.MAX_DEPTH + 5):
        node = {"t": "list", "v": [node]}
    with pytest.raises(PlainDataError, match="nested"):
        plaindata.decode(node)


def test_json_nested_beyond_the_parser_is_refused_not_crashing():
    text = base64.b64encode(b"[" * 200_000 + b"]" * 200_000).decode()
    with pytest.raises(PlainDataError):
        plaindata.unpack(text)


def test_text_over_the_size_limit_is_refused_before_it_is_parsed():
    with pytest.raises(PlainDataError, match="more than"):
        plaindata.unpack("A" * 1000, limit=100)


@pytest.mark.parametrize("text", ["not base64!", "QUJD\n", base64.b64encode(b"\xff\xfe").decode(),
                                  base64.b64encode(b'{"v": 2, "nodes": {}}').decode()])
def test_text_that_is_not_an_envelope_is_refused(text):
    with pytest.raises(PlainDataError):
        plaindata.unpack(text)


def test_too_many_elements_are_refused():
    node = {"t": "ndarray", "dtype": "|b1", "shape": [plaindata.MAX_ITEMS + 1], "b64": ""}
    with pytest.raises(PlainDataError):
        plaindata.decode(node)


class _Int(int):
    pass


class _Str(str):
    pass


#: Values outside the table: other types, and subclasses of the plain ones.
_not_plain = st.sampled_from([object(), _Int(3), _Str("a"), b"bytes", bytearray(b"x"), 1j,
                              range(3), Ellipsis, NotImplemented])
#: Containers of plain values with something not plain somewhere inside (every leaf is one).
_hiding = st.recursive(
    _not_plain,
    lambda inner: (st.lists(inner, min_size=1, max_size=3) | st.tuples(inner, _scalars)
                   | st.dictionaries(st.text(max_size=3), inner, min_size=1, max_size=3)),
    max_leaves=6)


@given(_hiding)
@settings(max_examples=100, deadline=None)
def test_anything_not_plain_is_refused_by_the_encoder_wherever_it_hides(value):
    with pytest.raises(PlainDataError):
        plaindata.encode(value)


@pytest.mark.parametrize("tag", ["set", "frozenset", "dict"])
def test_keys_that_all_share_one_hash_are_refused_before_building_the_set(tag):
    """Red team round 3, hash flooding: a set of ints that all hash alike costs n squared time."""
    same = [k * (2 ** 61 - 1) for k in range(1, 2001)]  # hash(x) == 0 for every one
    items = [[x, None] for x in same] if tag == "dict" else same
    with pytest.raises(PlainDataError, match="share one hash value"):
        plaindata.decode({"t": tag, "v": items})


def test_a_large_set_of_ordinary_values_still_arrives():
    value = set(range(100_000)) | {str(n) for n in range(1000)}
    assert plaindata.decode(plaindata.encode(value)) == value
