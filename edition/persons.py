"""The register of persons and the index of names, in the model.

The manifest's `persons:` declares each person once: the name as it is
indexed ("Bukharin, Nikolai Ivanovich"), the forms that name them in the
texts ("Bukharin", "Nikolai Ivanovich", "N. I. Bukharin"), life dates and a
one-line identification. `index_persons` finds every occurrence of every form
— whole words only, in the texts, their headnotes and all their notes — and
puts an `IndexMark` there, so both outputs can point at the very place. A
form that could name someone else can be limited to some texts (`texts:`).

`hints` tells an editor what the register may lack or hold in vain: declared
persons never named, and capitalised words named often but not declared.
Nothing here knows of EPUB or PDF.
"""

from __future__ import annotations

import bisect
import difflib
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import model as m
from .annotate import fold, replace_unit, units_of
from .errors import Collector, Diagnostic, Location
from .ids import slugify
from .reader import parse_inlines
from .schema import Field, check_mapping
from .source import YamlList, YamlMap

PERSON_FIELDS = {
    "name": Field(str, required=True),
    "forms": Field(list),
    "texts": Field(list),
    "born": Field(str),
    "died": Field(str),
    "dates": Field(str),
    "about": Field(str, required=True),
}
EN_DASH = "\u2013"
HINT_MIN_COUNT = 4  # a capitalised word named this often and not declared is worth a hint
HINT_LIMIT = 12
# Capitalised words that are seldom persons' names: months, days, and common words of titles and places.
NOT_NAMES = frozenset("""
January February March April May June July August September October November December
Monday Tuesday Wednesday Thursday Friday Saturday Sunday
God Mr Mrs Dr Comrade Comrades General Marshal Premier President Chairman Secretary Commissar
Party Soviet Soviets Union Army Red White Central Committee Congress Conference Council Opposition
Moscow Leningrad Petrograd Kremlin Russia Germany Europe America Spain France England Britain China
No Nos Vol Japan Poland Finland Bulgaria Ukraine Siberia Mexico Paris London Berlin Chita Kherson USSR
Bulletin Militant International Comintern Politburo Pravda Fourth Third Second First Civil War
German French English British American Nazi Fascist Bolshevik Menshevik Komsomol Kuomintang Thermidor
Thermidorean Thermidorian Marxist Leninist Stalinist Trotskyist Communist Socialist Republican
""".split())
NOT_NAME_ENDINGS = ("ism", "ist", "ists", "ian", "ians", "ish", "ese")
FIRST_WORD = re.compile(r"\w+")


# --- reading the manifest's `persons:` ----------------------------------------


def read_persons(data: YamlMap, problems: Collector, files=()) -> tuple[m.Person, ...]:
    """The persons the manifest declares, checked; every problem reported.
    `files` are the text files the manifest lists (for `texts:`)."""
    if not isinstance(data, YamlMap) or "persons" not in data or not isinstance(data["persons"], YamlList):
        return ()
    items = data["persons"]
    persons: list[m.Person] = []
    names: dict[str, Location] = {}
    ids: Counter = Counter()
    for item, where in zip(items, items.item_location):
        person = _read_person(item, where, problems)
        if person is None:
            continue
        if person.name in names:
            problems.add(where, f'"{person.name}" is declared twice in "persons" (first at line '
                         f'{names[person.name].line})')
            continue
        names[person.name] = where
        ids[person.id] += 1
        if ids[person.id] > 1:
            person = replace(person, id=f"{person.id}-{ids[person.id]}")
        persons.append(person)
        for path in person.texts:
            if path not in files:
                problems.add(where, f'"{person.name}" is limited to "{path}", which is not a text of this edition')
    _check_shared_forms(persons, problems)
    return tuple(persons)


def _read_person(item, where: Location, problems: Collector) -> m.Person | None:
    values = check_mapping(item, PERSON_FIELDS, where, "a person", problems)
    if not values or "name" not in values or "about" not in values:
        return None
    name = " ".join(values["name"].split())
    forms = _strings(item, "forms", problems) if "forms" in values else (name.split(",")[0].strip(),)
    if "forms" in values and not forms:
        problems.add(item.value_location["forms"], f'"forms" of "{name}" is empty')
        return None
    texts = tuple(Path(t).as_posix() for t in _strings(item, "texts", problems)) if "texts" in values else ()
    if "dates" in values and ({"born", "died"} & values.keys()):
        problems.add(item.key_location["dates"], 'give either "dates" or "born"/"died", not both')
    dates = values.get("dates") or life_dates(values.get("born", ""), values.get("died", ""))
    about = parse_inlines(values["about"].strip(), item.value_location["about"], problems)
    return m.Person(id=f"person-{slugify(name)}", name=name, forms=forms, dates=dates.strip(),
                    about=about, location=where, texts=texts)


def _strings(item: YamlMap, key: str, problems: Collector) -> tuple[str, ...]:
    values = item[key]
    found = []
    for value, where in zip(values, values.item_location):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            problems.add(where, f'each of "{key}" must be a word or words, not {value!r}')
            continue
        found.append(" ".join(value.split()))
    return tuple(dict.fromkeys(found))


def life_dates(born: str, died: str) -> str:
    """'1888', '1938' -> '1888–1938'; one of them alone: 'born 1888', 'died 1938'."""
    born, died = born.strip(), died.strip()
    if born and died:
        return f"{born}{EN_DASH}{died}"
    if born:
        return f"born {born}"
    return f"died {died}" if died else ""


def _check_shared_forms(persons: list[m.Person], problems: Collector) -> None:
    """A form may name two persons only in different texts."""
    owner: dict[str, m.Person] = {}
    for person in persons:
        for form in person.forms:
            other = owner.get(form)
            if other is None:
                owner[form] = person
                continue
            if not other.texts or not person.texts or set(other.texts) & set(person.texts):
                problems.add(person.location, f'the form "{form}" names both "{other.name}" (line '
                             f'{other.location.line}) and "{person.name}": limit them to different texts '
                             'with "texts"')


# --- finding the occurrences ---------------------------------------------------


@dataclass(frozen=True)
class _Finder:
    """Whole-word matching of the forms that may occur in one text.

    A form starts with a word, so it can only begin where a word begins; the
    search goes from word to word (a regular expression finds the words that
    begin with a letter some form begins with) and looks the word up in a dict
    of the forms' first words, then tries those forms there, longest first.
    The result is that of one alternation of all the forms (`(?<!\\w)(?:…)(?!\\w)`,
    longest first) tried at every position, which a form that does not begin
    with a word character still uses."""

    persons: dict[str, m.Person]  # a form (spaces made single) -> its person
    # the first word of each form (folded) -> its forms, longest first: (the form's words, its person)
    by_first: dict[str, tuple[tuple[tuple[str, ...], m.Person], ...]] = field(default_factory=dict)
    words: re.Pattern | None = None  # the words that can begin a form
    pattern: re.Pattern | None = None  # the alternation, when a form begins with something else
    folded: dict[str, m.Person] = field(default_factory=dict)  # for it: a form folded -> its person

    @classmethod
    def for_text(cls, persons, path: str) -> "_Finder":
        """The finder of the persons that may be named in the text at `path`:
        made once for each set of them (most texts share one)."""
        chosen = tuple(person for person in persons if not person.texts or path in person.texts)
        key = tuple(map(id, chosen))
        made = _FINDERS.get(key)
        if made is None or made[0] != chosen:  # the persons kept with it: their ids are theirs
            if len(_FINDERS) > 64:
                _FINDERS.clear()
            made = _FINDERS[key] = (chosen, cls._make(chosen, path))
        return made[1]

    @classmethod
    def _make(cls, persons, path: str) -> "_Finder":
        forms = {form: person for person in persons if not person.texts or path in person.texts
                 for form in person.forms}
        if not forms:
            return cls({})
        alternatives = sorted(forms, key=lambda f: (-len(f), f))  # the longest form wins where forms overlap
        firsts = {form: FIRST_WORD.match(fold(form)) for form in alternatives}
        if not all(firsts.values()):
            body = "|".join(re.escape(fold(form)).replace(r"\ ", r"\s+") for form in alternatives)
            folded = {" ".join(fold(form).split()): person for form, person in forms.items()}
            return cls(forms, folded=folded, pattern=re.compile(rf"(?<!\w)(?:{body})(?!\w)"))
        by_first: dict[str, list] = {}
        for form in alternatives:  # each form as its words, folded (white space between them)
            by_first.setdefault(firsts[form].group(), []).append((tuple(fold(form).split(" ")), forms[form]))
        initials = "".join(sorted({word[0] for word in by_first}))
        return cls(forms, {word: tuple(found) for word, found in by_first.items()},
                   re.compile(rf"[{re.escape(initials)}]\w*"))

    def find(self, words: str):
        """(start, end, person) of each occurrence in `words`."""
        return self.find_all([words])[0]

    def _occurrences(self, text: str):
        """(start, end, person) of each occurrence in the folded `text`, in order."""
        if self.pattern is not None:
            for match in self.pattern.finditer(text):
                yield match.start(), match.end(), self.folded[" ".join(match.group().split())]
            return
        if self.words is None:
            return
        done = 0
        by_first = self.by_first
        for word in self.words.finditer(text):
            start = word.start()
            candidates = by_first.get(word.group())
            if candidates is None or start < done:
                continue
            if start and (text[start - 1].isalnum() or text[start - 1] == "_"):  # inside a word (\w)
                continue
            for parts, person in candidates:
                end = _form_at(text, start, parts)
                if end >= 0:
                    done = end
                    yield start, done, person
                    break

    def find_all(self, passages: list[str]) -> list[list[tuple[int, int, m.Person]]]:
        """`find` for each of `passages`, with one search of them all: joined
        by a character no form can match across (texts hold no NUL)."""
        found: list[list] = [[] for _ in passages]
        if not self.persons:
            return found
        starts, offset = [], 0
        for words in passages:
            starts.append(offset)
            offset += len(words) + 1
        for begin, end, person in self._occurrences(fold("\0".join(passages))):  # folding keeps lengths
            number = bisect.bisect_right(starts, begin) - 1
            start = starts[number]
            found[number].append((begin - start, end - start, person))
        return found


def _form_at(text: str, start: int, parts: tuple[str, ...]) -> int:
    """Where the form made of `parts` ends if it stands at `start` of `text`
    (its words with white space between them, then no word character: the
    form's `\\s+`-joined expression and `(?!\\w)`), else -1."""
    end = start
    for number, part in enumerate(parts):
        if number:
            spaced = end
            while end < len(text) and text[end].isspace():
                end += 1
            if end == spaced:
                return -1
        if not text.startswith(part, end):
            return -1
        end += len(part)
    if end < len(text) and (text[end].isalnum() or text[end] == "_"):
        return -1
    return end


_FINDERS: dict[tuple[int, ...], tuple[tuple[m.Person, ...], "_Finder"]] = {}


def index_persons(edition: m.Edition, persons: tuple[m.Person, ...], problems: Collector) -> m.Edition:
    """`edition` with an `IndexMark` at every occurrence of a declared person,
    each `PersonRef` resolved to its person, and the register
    (`edition.persons`, sorted as the index sorts)."""
    indexed = {id(text): index_text(text, persons, problems) for text in edition.front + edition.texts}
    if not persons:
        return edition
    front = tuple(indexed[id(text)][0] for text in edition.front)
    parts = tuple(replace(part, texts=tuple(indexed[id(text)][0] for text in part.texts)) for part in edition.parts)
    return replace(edition, front=front, parts=parts,
                   persons=register(persons, [found for _, found in indexed.values()]))


def register(persons: tuple[m.Person, ...], found_in_texts) -> tuple[m.Person, ...]:
    """The register: each person with their occurrences in every text (each
    text's as `index_text` gives them, in reading order), sorted as the index sorts."""
    found: dict[str, list[m.Occurrence]] = {person.id: [] for person in persons}
    for found_in_text in found_in_texts:
        for person_id, occurrences in found_in_text.items():
            found[person_id].extend(occurrences)
    return tuple(sorted((replace(p, occurrences=tuple(found[p.id])) for p in persons),
                        key=lambda p: sort_key(p.name)))


def index_text(text: m.Text, persons: tuple[m.Person, ...], problems: Collector
               ) -> tuple[m.Text, dict[str, list[m.Occurrence]]]:
    """One text with its index marks and its `PersonRef`s resolved, and the
    occurrences of each person in it (by the person's id, in reading order).
    Nothing in it depends on the other texts."""
    if not persons:
        for blocks in (text.headnote, text.blocks, *(note.blocks for note in text.notes)):
            for unit in units_of(blocks):
                _resolve_refs(unit.inlines, _Finder({}), unit.location, problems)
        return text, {}
    found: dict[str, list[m.Occurrence]] = {person.id: [] for person in persons}
    finder = _Finder.for_text(persons, text.path)
    counter = iter(range(1, 10**9))
    # The headnote, the text and each note, in reading order: searched all at once.
    groups = [(text.headnote, None), (text.blocks, None)] + [(note.blocks, note) for note in text.notes]
    units = [units_of(blocks) for blocks, _ in groups]
    hits_of = iter(finder.find_all([unit.words for group in units for unit in group]))

    def mark(blocks, group, note: m.Note | None = None):
        for unit in group:
            hits = next(hits_of)
            inlines = _resolve_refs(unit.inlines, finder, unit.location, problems)
            if inlines is not unit.inlines:
                blocks = replace_unit(blocks, unit.path, inlines)
            for start, end, person in reversed(hits):
                inlines = mark_at(inlines, start, m.IndexMark("", person.id))
            if hits:
                inlines = _number_marks(inlines, text.id, counter, unit.words, hits, found, note)
                blocks = replace_unit(blocks, unit.path, inlines)
        return blocks

    marked = [mark(blocks, group, note) for (blocks, note), group in zip(groups, units)]
    notes = tuple(note if blocks is note.blocks else replace(note, blocks=blocks)
                  for note, blocks in zip(text.notes, marked[2:]))
    return (replace(text, headnote=marked[0], blocks=marked[1], notes=notes),
            {person_id: occurrences for person_id, occurrences in found.items() if occurrences})


def _resolve_refs(inlines, finder: _Finder, location: Location, problems: Collector):
    """`inlines` with each `PersonRef` given the person its words name (one
    of their forms); words that name no one are reported."""
    if not any(isinstance(node, m.CONTAINER_INLINES) for node in inlines):
        return inlines
    out, changed = [], False
    for node in inlines:
        if isinstance(node, m.PersonRef) and not node.person_id:
            words = " ".join(m.plain_text(node.children).split())
            person = finder.persons.get(words)
            if person is None:
                problems.add(location, _unknown_ref(words, finder))
            else:
                node, changed = replace(node, person_id=person.id), True
        elif isinstance(node, m.CONTAINER_INLINES):
            children = _resolve_refs(node.children, finder, location, problems)
            if children is not node.children:
                node, changed = replace(node, children=children), True
        out.append(node)
    return tuple(out) if changed else inlines


def _unknown_ref(words: str, finder: _Finder) -> str:
    if not finder.persons:
        return (f'"[{words}]{{.person}}" refers to the register of persons, but no person declared in "persons" '
                'is named here')
    close = difflib.get_close_matches(words, list(finder.persons), n=3, cutoff=0.6)
    hint = f" (did you mean {', '.join(f'{c!r}' for c in close)}?)" if close else ""
    return (f'"[{words}]{{.person}}" names no person of the register{hint}: the words must be one of a '
            'person\'s "forms" (and the person not limited to other texts)')


def _number_marks(inlines, text_id, counter, words, hits, found, note):
    """Gives the new marks of one unit their ids, in reading order, and records them."""
    pending = iter(hits)

    def walk(nodes):
        out = []
        for node in nodes:
            if isinstance(node, m.IndexMark) and not node.id:
                start, end, person = next(pending)
                node = m.IndexMark(f"{text_id}-name-{next(counter)}", person.id)
                found[person.id].append(m.Occurrence(node.id, text_id, note.id if note else "",
                                                     note.number if note else 0, words[start:end]))
            elif isinstance(node, m.CONTAINER_INLINES):
                node = replace(node, children=walk(node.children))
            out.append(node)
        return tuple(out)

    return walk(inlines)


def mark_at(inlines, position: int, node, before_marks: bool = False) -> tuple:
    """`node` inserted right before the character at `position` of the words;
    at a boundary between two nodes it goes at the outermost level (and, with
    `before_marks`, before the index marks already there)."""
    offset = 0
    for index, child in enumerate(inlines):
        length = len(m.plain_text((child,)))
        if length and offset == position and isinstance(child, m.PersonRef) and isinstance(node, m.IndexMark):
            # the name that refers to the register holds its own index mark (no empty mark before the link)
            return tuple(inlines[:index]) + (replace(child, children=mark_at(child.children, 0, node)),) + \
                tuple(inlines[index + 1:])
        if length and offset == position:
            while before_marks and index and isinstance(inlines[index - 1], m.IndexMark):
                index -= 1
            return tuple(inlines[:index]) + (node,) + tuple(inlines[index:])
        if offset < position < offset + length:
            cut = position - offset
            if isinstance(child, m.Str):
                new = (m.Str(child.text[:cut]), node, m.Str(child.text[cut:]))
            elif isinstance(child, m.CONTAINER_INLINES):
                new = (replace(child, children=mark_at(child.children, cut, node, before_marks)),)
            else:
                new = (node, child)
            return tuple(inlines[:index]) + new + tuple(inlines[index + 1:])
        offset += length
    return tuple(inlines) + (node,)


def sort_key(name: str) -> tuple[str, str]:
    """Index order: letters without their accents, case ignored."""
    bare = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return (re.sub(r"[^\w\s,]", "", bare).casefold(), name)


# --- hints for `edition check` ---------------------------------------------------


WORD = re.compile(r"(?<![\w’'-])([A-Z][a-z]+(?:-[A-Z][a-z]+)?)(?:[’']s)?(?![\w-])")
NAMED_THING = re.compile(r"\s+[A-Z][a-z]")
NAMED_THING_BEFORE = re.compile(r"[A-Z][a-z]+\s+$")
ARTICLE_BEFORE = re.compile(r"\b[Tt]he\s+$")
SENTENCE_START = re.compile(r"(?:^|[.!?:;—–(\[“‘\"]|\d\))\s*$")


def hints(edition: m.Edition) -> list[Diagnostic]:
    """Declared persons never named, then capitalised words often named but
    not declared (most frequent first). Hints, not problems."""
    out = [Diagnostic(p.location, f'hint: "{p.name}" is declared in "persons" but never named in the texts '
                      f'or their notes (forms: {", ".join(p.forms)})')
           for p in sorted(edition.persons, key=lambda p: p.location) if not p.occurrences]
    counts: Counter = Counter()
    with_article: Counter = Counter()  # "the Presidium": persons' names take no article
    leads: dict[str, set[str]] = {}  # the capitalised word before each occurrence ("New" of "New York")
    first: dict[str, Location] = {}
    lower: set[str] = set()
    forms = tuple(form for p in edition.persons for form in p.forms)
    for text in edition.front + edition.texts:
        finder = _Finder.for_text(edition.persons, text.path)
        units = units_of(text.blocks) + units_of(text.headnote)
        units += [u for note in text.notes for u in units_of(note.blocks)]
        for unit in units:
            words = unit.words
            lower.update(w for w in re.findall(r"\b[a-z]+\b", words))
            declared = [(s, e) for s, e, _ in finder.find(words)]
            for match in WORD.finditer(words):
                word, start = match.group(1), match.start()
                if any(s <= start < e for s, e in declared) or SENTENCE_START.search(words[:start]):
                    continue
                before = NAMED_THING_BEFORE.search(words, 0, start)
                lead = before.group().strip() if before else ""
                if before and SENTENCE_START.search(words[:before.start()]):
                    before = None  # "Then Ivanov left": the word before only starts the sentence
                if NAMED_THING.match(words, match.end()) or before:
                    continue  # one word of a longer name: "Executive Committee", "Old Guard"
                counts[word] += 1
                with_article[word] += bool(ARTICLE_BEFORE.search(words, 0, start))
                leads.setdefault(word, set()).add(lead)
                first.setdefault(word, unit.location)
    candidates = [
        (word, count) for word, count in counts.most_common()
        if count >= HINT_MIN_COUNT and word not in NOT_NAMES
        and with_article[word] * 2 < count  # mostly "the Presidium": a body, not a person
        and not (len(leads[word]) == 1 and "" not in leads[word])  # always "New York": one longer name
        and word.rstrip("s") not in NOT_NAMES
        and word.lower() not in lower
        and not word.endswith(NOT_NAME_ENDINGS) and not any(word.startswith(f) for f in forms)
    ]
    for word, count in candidates[:HINT_LIMIT]:
        out.append(Diagnostic(first[word], f'hint: "{word}" is named {count} times but is not declared in '
                              '"persons" (if it names a person, add them to the register)'))
    return out
