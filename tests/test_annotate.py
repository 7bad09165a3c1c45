"""Corrections and editorial notes anchored in the texts; note numbering."""

from __future__ import annotations

import edition
from edition import model as m

from .helpers import MANIFEST, diagnostics_of, write_project


def project(tmp_path, entries: str, body: str):
    manifest = MANIFEST.replace("  - file: texts/one.md\n", "  - file: texts/one.md\n" + entries)
    return write_project(tmp_path, manifest, {"one.md": body})


def refs_in(text):
    found = []

    def walk(inlines):
        for node in inlines:
            if isinstance(node, m.NoteRef):
                found.append(node)
            elif isinstance(node, m.CONTAINER_INLINES):
                walk(node.children)

    for block in text.blocks:
        if isinstance(block, (m.Paragraph, m.Heading)):
            walk(block.children)
    return found


def words_before_refs(paragraph):
    """'word[1] more[2]' style rendering of a paragraph, to see where marks are."""
    out = []

    def walk(inlines):
        for node in inlines:
            if isinstance(node, m.NoteRef):
                out.append(f"[{node.number}]")
            elif isinstance(node, (m.Str, m.Code)):
                out.append(node.text)
            elif isinstance(node, m.CONTAINER_INLINES):
                walk(node.children)

    walk(paragraph.children)
    return "".join(out)


NOTE = """\
    notes:
      - at: {at}
        note: An editorial note.
"""


def test_note_is_attached_right_after_its_phrase(tmp_path):
    manifest = project(tmp_path, NOTE.format(at="the Politburo"), "We met in the Politburo yesterday.\n")
    text = edition.load(manifest).texts[0]
    assert words_before_refs(text.blocks[0]) == "We met in the Politburo[1] yesterday."
    assert text.notes[0].kind == m.NoteKind.EDITORIAL


def test_note_phrase_matches_despite_curly_quotes(tmp_path):
    manifest = project(tmp_path, NOTE.format(at="""'"Opposition"'"""), 'The "Opposition" spoke.\n')
    text = edition.load(manifest).texts[0]
    assert words_before_refs(text.blocks[0]) == "The “Opposition”[1] spoke."


def test_note_inside_italics_goes_after_the_title(tmp_path):
    manifest = project(tmp_path, NOTE.format(at="The Militant"), "Read *The Militant* now.\n")
    paragraph = edition.load(manifest).texts[0].blocks[0]
    assert isinstance(paragraph.children[1], m.Emphasis)
    assert isinstance(paragraph.children[2], m.NoteRef)


def test_missing_phrase_names_manifest_line_text_and_candidates(tmp_path):
    manifest = project(tmp_path, NOTE.format(at="the Politbureau"), "We met in the Politburo yesterday.\n")
    assert diagnostics_of(manifest) == [
        'manifest.yaml:9:9: the note\'s phrase "the Politbureau" is not in texts/one.md; '
        'did you mean "the Politburo" (line 8)?'
    ]


def test_ambiguous_phrase_is_an_error_listing_lines(tmp_path):
    manifest = project(tmp_path, NOTE.format(at="party"), "The party.\n\nThe party again.\n")
    assert diagnostics_of(manifest) == [
        'manifest.yaml:9:9: the note\'s phrase "party" occurs 2 times in texts/one.md (lines 8, 10); '
        'add "occurrence: N" or quote a longer phrase'
    ]


def test_occurrence_picks_the_nth(tmp_path):
    entries = NOTE.format(at="party") + "        occurrence: 2\n"
    manifest = project(tmp_path, entries, "The party.\n\nThe party again.\n")
    text = edition.load(manifest).texts[0]
    assert words_before_refs(text.blocks[0]) == "The party."
    assert words_before_refs(text.blocks[1]) == "The party[1] again."


def test_occurrence_beyond_the_count_is_an_error(tmp_path):
    entries = NOTE.format(at="party") + "        occurrence: 3\n"
    manifest = project(tmp_path, entries, "The party.\n\nThe party again.\n")
    assert diagnostics_of(manifest) == [
        'manifest.yaml:9:9: the note\'s phrase "party" occurs 2 time(s) in texts/one.md, '
        "so there is no occurrence 3"
    ]


CORRECTION = """\
    corrections:
      - find: once and. forever
        replace: once and forever
        reason: stray full stop
"""


def test_correction_replaces_the_reading_and_is_kept_in_the_model(tmp_path):
    manifest = project(tmp_path, CORRECTION, "Settled once and. forever, he said.\n")
    text = edition.load(manifest).texts[0]
    assert m.plain_text(text.blocks[0].children) == "Settled once and forever, he said."
    emendation = text.blocks[0].children[1]
    assert emendation == m.Emendation("once and. forever", (m.Str("once and forever"),), text.corrections[0].id)
    correction = text.corrections[0]
    assert (correction.find, correction.replace, correction.reason) == ("once and. forever", "once and forever",
                                                                        "stray full stop")
    assert correction.text_location.line == 8
    assert correction.id == "text-one-emendation-1"


def test_note_may_anchor_on_an_emended_reading(tmp_path):
    entries = CORRECTION + NOTE.replace("    notes:\n", "    notes:\n").format(at="once and forever")
    manifest = project(tmp_path, entries, "Settled once and. forever, he said.\n")
    text = edition.load(manifest).texts[0]
    assert words_before_refs(text.blocks[0]) == "Settled once and forever,[1] he said."


def test_note_on_the_uncorrected_reading_is_an_error(tmp_path):
    entries = CORRECTION + NOTE.format(at="once and. forever")
    manifest = project(tmp_path, entries, "Settled once and. forever, he said.\n")
    assert diagnostics_of(manifest) == [
        'manifest.yaml:13:9: the note\'s phrase "once and. forever" is not in texts/one.md; '
        'did you mean "once and forever," (line 8); "and forever, he" (line 8)?'
    ]


def test_correction_not_in_the_text_is_an_error(tmp_path):
    manifest = project(tmp_path, CORRECTION, "Settled for good.\n")
    assert diagnostics_of(manifest) == ['manifest.yaml:9:9: the reading "once and. forever" is not in texts/one.md']


def test_own_and_editorial_notes_form_one_sequence_in_reading_order(tmp_path):
    entries = NOTE.format(at="Alpha") + "      - at: Gamma\n        note: Another.\n"
    body = "Alpha beta[^1] Gamma.\n\n[^1]: The author's note.\n"
    text = edition.load(project(tmp_path, entries, body)).texts[0]
    assert words_before_refs(text.blocks[0]) == "Alpha[1] beta[2] Gamma.[3]"
    assert [n.kind for n in text.notes] == ["editorial", "author", "editorial"]
    assert [n.id for n in text.notes] == ["text-one-note-1", "text-one-note-2", "text-one-note-3"]
    assert [r.ref_id for r in refs_in(text)] == ["text-one-noteref-1", "text-one-noteref-2", "text-one-noteref-3"]


def test_editorial_note_after_an_own_note_at_the_same_place(tmp_path):
    body = "The word[^1] here.\n\n[^1]: Own.\n"
    text = edition.load(project(tmp_path, NOTE.format(at="The word"), body)).texts[0]
    assert words_before_refs(text.blocks[0]) == "The word[1][2] here."
    assert [n.kind for n in text.notes] == ["author", "editorial"]


def test_every_problem_of_every_text_is_reported_at_once(tmp_path):
    manifest = MANIFEST + "  - file: texts/two.md\n    notes:\n      - at: nowhere\n        note: x\n"
    manifest = manifest.replace("  - file: texts/one.md\n", "  - file: texts/one.md\n" + CORRECTION)
    path = write_project(tmp_path, manifest, {"one.md": "Nothing to correct.\n", "two.md": "Nothing.\n"})
    assert diagnostics_of(path) == [
        'manifest.yaml:9:9: the reading "once and. forever" is not in texts/one.md',
        'manifest.yaml:14:9: the note\'s phrase "nowhere" is not in texts/two.md',
    ]


def test_ids_are_the_same_on_every_load(tmp_path):
    manifest = project(tmp_path, NOTE.format(at="Alpha"), "## A Section\n\nAlpha.\n")
    assert edition.load(manifest) == edition.load(manifest)


def test_note_marks_follow_closing_punctuation_quotes_and_the_rest_of_the_word(tmp_path):
    phrases = ["Ivanovich", "Politburo", "Shlichter", "Leningra", "the old guard", "Zinoviev", "Bukharin"]
    entries = "    notes:\n" + "".join(f"      - at: {at}\n        note: A note.\n" for at in phrases)
    body = ("Dear Nikolai Ivanovich: the Politburo, Shlichter's men, in Leningrad. "
            'He said "the old guard." Then Zinoviev—and (Bukharin) too.\n')
    text = edition.load(project(tmp_path, entries, body)).texts[0]
    assert words_before_refs(text.blocks[0]) == (
        "Dear Nikolai Ivanovich:[1] the Politburo,[2] Shlichter’s[3] men, in Leningrad.[4] "
        "He said “the old guard.”[5] Then Zinoviev[6]—and (Bukharin[7]) too.")


def test_a_note_mark_after_italics_goes_after_the_punctuation_that_follows(tmp_path):
    text = edition.load(project(tmp_path, NOTE.format(at="Pravda"), "In *Pravda*, at last.\n")).texts[0]
    paragraph = text.blocks[0].children
    assert words_before_refs(text.blocks[0]) == "In Pravda,[1] at last."
    assert isinstance(paragraph[1], m.Emphasis) and isinstance(paragraph[3], m.NoteRef)
