"""Dagdeel notation."""

import pytest

from planner.inputs.dagdelen import parse_dagdeel, parse_dagdelen, parse_yes_no


@pytest.mark.parametrize("text", ["ma-ochtend", "maandag ochtend", "mon-am", "MA-O", "Monday morning"])
def test_spellings_of_monday_morning(text):
    """Dutch and English spellings all mean ma-ochtend."""
    assert parse_dagdeel(text) == ["ma-ochtend"]


def test_day_alone_means_the_given_parts():
    """A day written alone expands to the model's parts, in week order."""
    assert parse_dagdelen("di, ma", ("ochtend", "middag")) == [
        "ma-ochtend", "ma-middag", "di-ochtend", "di-middag"]


def test_broken_dagdeel_names_the_text():
    """An unreadable dagdeel raises with the text and the accepted spellings."""
    with pytest.raises(ValueError, match="'maandag-nacht' is geen dagdeel"):
        parse_dagdeel("maandag-nacht")


def test_yes_no():
    """ja/nee in both languages; anything else is an error."""
    assert parse_yes_no("Ja") and parse_yes_no("yes") and not parse_yes_no("nee")
    with pytest.raises(ValueError):
        parse_yes_no("misschien")
