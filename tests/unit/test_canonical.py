"""RFC 8785 canonical bytes: the RFC's own examples, refusals, and round-trip properties."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from events.canonical import canonical


def test_rfc8785_sorting_example_orders_keys_by_utf16_code_units():
    # RFC 8785 §3.2.3: U+1F600 (surrogates D83D DE00) sorts before U+FB33, unlike code point order.
    value = {
        "\u20ac": "Euro Sign",
        "\r": "Carriage Return",
        "\ufb33": "Hebrew Letter Dalet With Dagesh",
        "1": "One",
        "\U0001f600": "Emoji: Grinning Face",
        "\u0080": "Control",
        "\u00f6": "Latin Small Letter O With Diaeresis",
    }
    expected = ('{"\\r":"Carriage Return","1":"One","\u0080":"Control",'
                '"\u00f6":"Latin Small Letter O With Diaeresis","\u20ac":"Euro Sign",'
                '"\U0001f600":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}')
    assert canonical(value) == expected.encode("utf-8")
    assert sorted(value) != [k for k in json.loads(expected)]  # code point order would differ


def test_rfc8785_string_and_literal_example():
    # RFC 8785 §3.2.2 sample, without its float array (floats are refused here on purpose).
    source = r'{"string": "\u20ac$\u000F\u000aA' + "'" + r'\u0042\u0022\u005c\\\"\/", "literals": [null, true, false]}'
    expected = '{"literals":[null,true,false],"string":"\u20ac$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}'
    assert canonical(json.loads(source)) == expected.encode("utf-8")


def test_chinese_text_is_raw_utf8_and_keys_sort_by_code_unit():
    value = {"修复": "历史遗留矿山", "地块": ["拓里", 3], "a": None}
    assert canonical(value) == '{"a":null,"修复":"历史遗留矿山","地块":["拓里",3]}'.encode("utf-8")


def test_control_characters_use_the_short_or_lowercase_escapes():
    assert canonical("\b\f\n\r\t\x01\x1f\"\\/") == b'"\\b\\f\\n\\r\\t\\u0001\\u001f\\"\\\\/"'


@pytest.mark.parametrize("bad", [1.5, 0.0, Decimal("1.10"), {"a": [1, 2.0]}, b"x", {1: "a"}, {"a": object()}, {3}])
def test_inexact_and_non_json_values_are_refused(bad):
    with pytest.raises(TypeError):
        canonical(bad)


def test_integers_beyond_the_safe_range_and_lone_surrogates_are_refused():
    assert canonical(2**53 - 1) == b"9007199254740991"
    for bad in (2**53, -(2**53), "\ud800"):
        with pytest.raises(ValueError):
            canonical(bad)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53) + 1, 2**53 - 1) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


@given(json_values)
def test_canonical_is_a_fixed_point_of_parsing(value):
    once = canonical(value)
    assert canonical(json.loads(once)) == once
    assert json.loads(once) == value


@given(st.dictionaries(st.text(max_size=8), json_values, max_size=6), st.randoms())
def test_input_key_order_is_irrelevant(value, rnd):
    items = list(value.items())
    rnd.shuffle(items)
    assert canonical(dict(items)) == canonical(value)


_json = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53) + 1, 2**53 - 1) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=20)


@given(_json)
def test_the_fast_encoder_writes_exactly_rfc8785s_bytes(value):
    import rfc8785

    try:
        expected = rfc8785.dumps(value)
    except Exception as error:  # lone surrogates: both refuse
        with pytest.raises(ValueError):
            canonical(value)
        assert "surrogate" in str(error).lower() or isinstance(error, ValueError)
        return
    assert canonical(value) == expected
