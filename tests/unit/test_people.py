"""Values for people and the log's root as the dashboard computes it, checked as properties."""

from __future__ import annotations

import os
from datetime import date
from decimal import Decimal
from pathlib import PurePosixPath

from hypothesis import given
from hypothesis import strategies as st

from events import merkle
from reports.casefile import file_name
from reports.people import human
from reports.sheets import number_format

decimals = st.decimals(min_value=Decimal("-1e9"), max_value=Decimal("1e9"), allow_nan=False, allow_infinity=False,
                       places=4)


@given(st.lists(st.binary(min_size=32, max_size=32), max_size=300))
def test_the_streamed_root_is_the_merkle_root(leaves):
    assert merkle.streamed_root(iter(leaves)) == (len(leaves), merkle.root(leaves))


def test_the_streamed_root_of_a_large_log():
    leaves = [os.urandom(32) for _ in range(5000)]
    assert merkle.streamed_root(iter(leaves))[1] == merkle.root(leaves)


@given(decimals)
def test_decimals_are_written_as_recorded(value):
    text = human(value, "zh")
    assert "E" not in text and "Decimal" not in text and Decimal(text) == value
    assert text == format(value, "f")
    places = len(text.split(".")[1]) if "." in text else 0
    assert number_format(value) == ("0" if not places else "0." + "0" * places)


def test_values_read_as_people_write_them():
    assert human(Decimal("65.70"), "zh") == "65.70" and human(Decimal("1E+2"), "en") == "100"
    assert human(True, "zh") == "是" and human(False, "zh") == "否" and human(True, "en") == "yes"
    assert human(["王工", "李工"], "zh") == "王工、李工" and human(["a", "b"], "en") == "a, b"
    assert human({"name": "张玉峰", "unit": "nrb"}, "zh") == "张玉峰（自然资源局）"
    assert human({"earthwork_m3": Decimal("1200")}, "zh") == "土方量(立方米) 1200"
    assert human("central", "zh", "source") == "中央资金" and human("central", "zh") == "central"
    assert human("finance", "zh", "unit") == "财政局" and human(date(2024, 1, 2), "zh") == "2024-01-02"
    assert human(None, "zh") == ""


@given(st.text(min_size=1, max_size=40))
def test_a_parcel_code_names_a_case_file_inside_its_folder(code):
    name = file_name(code)
    assert "/" not in name and "\\" not in name and "\x00" not in name and name not in (".html", "..html")
    assert name.endswith(".html") and PurePosixPath(name).name == name and not name.startswith((".", "-"))
    assert file_name("TL23-05") == "TL23-05.html" and file_name("../etc") == f"parcel-{'../etc'.encode().hex()}.html"
