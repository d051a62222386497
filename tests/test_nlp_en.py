"""EnglishReader: an article's main event when the lede gives it no capitalised name."""
from __future__ import annotations

from conftest import en_facts as facts, read_en as read
from heritagekg.model import Extraction


def events(ex: Extraction) -> dict[str, str]:
    return {e.label: e.type for e in ex.entities.values() if e.type in ("Event", "Forum", "Expo")}


def test_described_course_is_the_main_event_and_the_course_refers_to_it():
    ex = read(
        "Tartu, 22 March 2025 – Eighteen museum conservators completed a regional training course on "
        "emergency evacuation of museum collections in times of conflict on Thursday, after two weeks "
        "of simulations.\n"
        "The course, which ran from 10 to 21 March 2025, was jointly organized by the Estonian National "
        "Museum and the University of Tartu. It was funded by the Nordic Culture Fund.\n"
        "Participants practised packing objects under time pressure.\n")
    name = "regional training course on emergency evacuation of museum collections in times of conflict"
    assert name in events(ex)
    f = facts(ex)
    assert (name, "startDate", "2025-03-10") in f
    assert (name, "endDate", "2025-03-21") in f
    assert (name, "organizer", "Estonian National Museum") in f
    assert (name, "organizer", "University of Tartu") in f
    assert (name, "funder", "Nordic Culture Fund") in f


def test_titled_exhibition_in_apposition_is_the_main_event():
    ex = read(
        "Budapest, 9 October 2024 – The Hungarian National Museum opens Ink and Iron: Printing Presses "
        "of the Danube, an exhibition of early printed books and type, on Friday.\n"
        "The exhibition, organized by the Hungarian National Museum with the Austrian National Library, "
        "runs from 11 October 2024 to 16 February 2025.\n")
    name = "Ink and Iron: Printing Presses of the Danube"
    assert events(ex).get(name) == "Expo"
    f = facts(ex)
    assert (name, "startDate", "2024-10-11") in f
    assert (name, "endDate", "2025-02-16") in f
    assert (name, "organizer", "Austrian National Library") in f


def test_a_meeting_in_passing_is_no_event():
    ex = read(
        "Nairobi, 5 March 2025 – The National Museums of Kenya on Tuesday published a report on the state "
        "of coastal heritage sites, warning that erosion threatens several historic towns.\n"
        "The report was prepared with support from the British Council.\n"
        "In 2023, experts held a meeting on coastal erosion of historic harbours in Mombasa, organized by "
        "the University of Nairobi.\n")
    assert events(ex) == {}
    assert not any(p == "organizer" for _, p, _ in facts(ex))


def test_a_described_event_keeps_ordinal_words_and_delivered_by_gives_organizers():
    ex = read(
        "Riga, 14 June 2025 – Thirty archivists completed a national workshop on first aid to archives "
        "in times of flooding on Friday.\n"
        "The workshop, which ran from 2 to 13 June 2025, was delivered by the National Archives of Latvia "
        "and the Latvian Academy of Culture.\n")
    name = "national workshop on first aid to archives in times of flooding"
    assert name in events(ex)
    f = facts(ex)
    assert (name, "organizer", "National Archives of Latvia") in f
    assert (name, "startDate", "2025-06-02") in f
