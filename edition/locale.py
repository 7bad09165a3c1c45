"""The builders' fixed words in each language, and dates in the language's
own style (CLDR, through Babel).

`words(tag)` gives the catalogue of an edition's language: `en-GB` falls
back on `en`, a language the catalogue lacks on English. Templates look
words up (`words.contents`) or fill them in (`words("notes_key", mark=…)`,
escaped; a Markup value stays markup). `long_date(iso, tag)` writes an ISO
date, month or year the way the language writes dates: `en` as US English
("January 9, 1926"), `en-GB` "9 January 1926", `de` "9. Januar 1926".

To add a language, add its table to CATALOGUE with every key of English;
the tests check that the tables have the same keys and placeholders.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup, escape

CATALOGUE: dict[str, dict[str, str]] = {
    "en": {
        "note_abbr": "n.",
        "index_key_pages": "Each entry links to every place where the person is named: the title of the text and the pages of the print edition on which the name stands; “{note}” is a note of that text. The name links to its entry in {register}.",
        "index_key_places": "Each entry links to every place where the person is named: the title of the text and, for further places in it, 2, 3 …; “{note}” is a note of that text. The name links to its entry in {register}.",
        "register": "Persons Named in the Texts",
        "index_of_names": "Index of Names",
        "register_key": "The persons named in the texts and in the notes, with their dates and a word on who they were.",
        "register_key_pages": "The {index} gives the pages where each is named.",
        "register_key_links": "The {index} links to every place where each is named.",
        "index_key": "Pages of the notes are marked {mark}.",
        "index_note_mark": "n",
        "arrow_key_page": "A name led by an arrow (→) has an entry in {register} ({page}).",
        "arrow_key_link": "A name led by an arrow (→) links to its entry in {register}.",
        "contents": "Contents",
        "notes": "Notes",
        "emendations": "List of Emendations",
        "colophon": "Colophon",
        "source": "Source",
        "editors_note": "Editor’s note",
        "note_mark": "Ed.",
        "notes_to_page": "Notes to page {page}",
        "notes_to_pages": "Notes to pages {pages}",
        "page": "p.",
        "pages": "pp.",
        "edited_by": "Edited by",
        "published_by": "Published by {publisher}, {year}",
        "version": "Version {version}, {date}",
        "this_version": "This is version {version} of this edition, of {date}.",
        "revision_history": "Revision history",
        "extract": "An extract",
        "an_extract": "an extract",  # within a sentence
        "and": "and",
        "notes_key": "Each note gives its number and the page of the text it belongs to.",
        "notes_ours": "Notes marked {mark} are this edition’s.",
        "notes_ours_and_authors": "Notes marked {mark} are this edition’s; the others are the authors’ own.",
        "emendations_key": "The list gives the page, the reading of this edition and, after the bracket, the reading"
                           " of the source, with the reason for the change.",
        "typeface": "The text is set in EB Garamond, Georg Duffner’s revival of the types of Claude Garamont, "
                    "released under the SIL Open Font License.",
        "cover": "Cover",
        "title_page": "Title Page",
        "start": "Start",
        "landmarks": "Landmarks",
        "sources": "Sources",
        "revisions": "Revision History",
        "this_edition": "This edition",
        "reason": "Reason",
        "emendations_intro": "Where a source has a clear error, this edition corrects it. Each entry links to the "
                             "place in the text, where the emended words link back here, and gives the reading of the source, the reading of this edition and"
                             " the reason for the change.",
        "notes_all_ours": "All the notes are this edition’s.",
        "notes_all_texts": "The notes are the texts’ own.",
        "notes_intro": "Notes marked {label} are this edition’s; the others are the texts’ own.",
        # what a tagged PDF's links say where they go (pdf_tags.py)
        "link_note": "Note {number}",
        "link_back_to_note": "Back to the text of note {number}",
        "link_back_to_page": "Back to the page of note {number}",
        "link_page": "Page {page}",
        "link_page_in_notes": "Page {page}, in the notes",
        "link_to_page": "Go to the page",
    },
    "de": {
        "note_abbr": "Anm.",
        "index_key_pages": "Jeder Eintrag führt zu jeder Stelle, an der die Person genannt wird: dem Titel des Textes und den Seiten der Druckausgabe, auf denen der Name steht; „{note}“ ist eine Anmerkung zu diesem Text. Der Name führt zum {register}.",
        "index_key_places": "Jeder Eintrag führt zu jeder Stelle, an der die Person genannt wird: dem Titel des Textes und, für weitere Stellen darin, 2, 3 …; „{note}“ ist eine Anmerkung zu diesem Text. Der Name führt zum {register}.",
        "register": "Verzeichnis der genannten Personen",
        "index_of_names": "Namensregister",
        "register_key": "Die in den Texten und Anmerkungen genannten Personen, mit ihren Lebensdaten und einer kurzen Erläuterung.",
        "register_key_pages": "Das {index} gibt die Seiten an, auf denen sie genannt werden.",
        "register_key_links": "Das {index} führt zu jeder Stelle, an der sie genannt werden.",
        "index_key": "Seiten der Anmerkungen sind mit {mark} bezeichnet.",
        "index_note_mark": "A",
        "arrow_key_page": "Ein Name mit vorangestelltem Pfeil (→) hat einen Eintrag im {register} ({page}).",
        "arrow_key_link": "Ein Name mit vorangestelltem Pfeil (→) führt zu seinem Eintrag im {register}.",
        "contents": "Inhalt",
        "notes": "Anmerkungen",
        "emendations": "Verzeichnis der Emendationen",
        "colophon": "Kolophon",
        "source": "Quelle",
        "editors_note": "Anmerkung des Herausgebers",
        "note_mark": "Hg.",
        "notes_to_page": "Anmerkungen zu Seite {page}",
        "notes_to_pages": "Anmerkungen zu den Seiten {pages}",
        "page": "S.",
        "pages": "S.",
        "edited_by": "Herausgegeben von",
        "published_by": "Verlegt bei {publisher}, {year}",
        "version": "Version {version}, {date}",
        "this_version": "Dies ist Version {version} dieser Ausgabe vom {date}.",
        "revision_history": "Versionsgeschichte",
        "extract": "Ein Auszug",
        "an_extract": "ein Auszug",  # within a sentence
        "and": "und",
        "notes_key": "Jede Anmerkung nennt ihre Nummer und die Seite des Textes, zu dem sie gehört.",
        "notes_ours": "Mit {mark} bezeichnete Anmerkungen stammen von dieser Ausgabe.",
        "notes_ours_and_authors": "Mit {mark} bezeichnete Anmerkungen stammen von dieser Ausgabe, die übrigen von "
                                  "den Autoren.",
        "emendations_key": "Das Verzeichnis nennt die Seite, die Lesart dieser Ausgabe und nach der Klammer die "
                           "Lesart der Quelle mit dem Grund der Änderung.",
        "typeface": "Gesetzt aus der EB Garamond, Georg Duffners Wiederbelebung der Schriften Claude Garamonts, "
                    "veröffentlicht unter der SIL Open Font License.",
        "cover": "Umschlag",
        "title_page": "Titelseite",
        "start": "Beginn",
        "landmarks": "Sprungmarken",
        "sources": "Quellen",
        "revisions": "Versionsgeschichte",
        "this_edition": "Diese Ausgabe",
        "reason": "Grund",
        "emendations_intro": "Wo eine Quelle einen offenkundigen Fehler hat, berichtigt ihn diese Ausgabe. Jeder "
                             "Eintrag verweist auf die Stelle im Text und nennt die Lesart der Quelle, die Lesart "
                             "dieser Ausgabe und den Grund der Änderung.",
        "notes_all_ours": "Alle Anmerkungen stammen von dieser Ausgabe.",
        "notes_all_texts": "Die Anmerkungen stammen aus den Texten selbst.",
        "notes_intro": "Mit {label} bezeichnete Anmerkungen stammen von dieser Ausgabe, die übrigen aus den Texten "
                       "selbst.",
        "link_note": "Anmerkung {number}",
        "link_back_to_note": "Zurück zum Text der Anmerkung {number}",
        "link_back_to_page": "Zurück zur Seite der Anmerkung {number}",
        "link_page": "Seite {page}",
        "link_page_in_notes": "Seite {page}, in den Anmerkungen",
        "link_to_page": "Zur Seite",
    },
    "fr": {
        "note_abbr": "n.",
        "index_key_pages": "Chaque entrée renvoie à chaque passage où la personne est citée : le titre du texte et les pages de l’édition imprimée où figure le nom ; « {note} » désigne une note de ce texte. Le nom renvoie aux {register}.",
        "index_key_places": "Chaque entrée renvoie à chaque passage où la personne est citée : le titre du texte et, pour les passages suivants, 2, 3 … ; « {note} » désigne une note de ce texte. Le nom renvoie aux {register}.",
        "register": "Personnes citées dans les textes",
        "index_of_names": "Index des noms",
        "register_key": "Les personnes citées dans les textes et dans les notes, avec leurs dates et quelques mots sur leur rôle.",
        "register_key_pages": "L’{index} donne les pages où chacune est citée.",
        "register_key_links": "L’{index} renvoie à chaque passage où chacune est citée.",
        "index_key": "Les pages des notes sont suivies de {mark}.",
        "index_note_mark": "n",
        "arrow_key_page": "Un nom précédé d’une flèche (→) a sa notice dans {register} ({page}).",
        "arrow_key_link": "Un nom précédé d’une flèche (→) renvoie à sa notice dans {register}.",
        "contents": "Table des matières",
        "notes": "Notes",
        "emendations": "Liste des corrections",
        "colophon": "Colophon",
        "source": "Source",
        "editors_note": "Note de l’éditeur",
        "note_mark": "N.d.É.",
        "notes_to_page": "Notes de la page {page}",
        "notes_to_pages": "Notes des pages {pages}",
        "page": "p.",
        "pages": "p.",
        "edited_by": "Édité par",
        "published_by": "Publié par {publisher}, {year}",
        "version": "Version {version}, {date}",
        "this_version": "Ceci est la version {version} de cette édition, du {date}.",
        "revision_history": "Historique des versions",
        "extract": "Un extrait",
        "an_extract": "un extrait",  # within a sentence
        "and": "et",
        "notes_key": "Chaque note donne son numéro et la page du texte auquel elle se rapporte.",
        "notes_ours": "Les notes marquées {mark} sont de la présente édition.",
        "notes_ours_and_authors": "Les notes marquées {mark} sont de la présente édition\u202f; les autres sont des "
                                  "auteurs.",
        "emendations_key": "La liste donne la page, la leçon de la présente édition et, après le crochet, la leçon "
                           "de la source, avec la raison de la correction.",
        "typeface": "Le texte est composé en EB Garamond, la reprise par Georg Duffner des caractères de Claude "
                    "Garamont, publiée sous la SIL Open Font License.",
        "cover": "Couverture",
        "title_page": "Page de titre",
        "start": "Début",
        "landmarks": "Repères",
        "sources": "Sources",
        "revisions": "Historique des versions",
        "this_edition": "Cette édition",
        "reason": "Raison",
        "emendations_intro": "Lorsqu’une source comporte une erreur manifeste, la présente édition la corrige. "
                             "Chaque entrée renvoie à l’endroit du texte et donne la leçon de la source, celle de la"
                             " présente édition et la raison de la correction.",
        "notes_all_ours": "Toutes les notes sont de la présente édition.",
        "notes_all_texts": "Les notes sont celles des textes eux-mêmes.",
        "notes_intro": "Les notes marquées {label} sont de la présente édition\u202f; les autres sont celles des textes.",
        "link_note": "Note {number}",
        "link_back_to_note": "Retour au texte de la note {number}",
        "link_back_to_page": "Retour à la page de la note {number}",
        "link_page": "Page {page}",
        "link_page_in_notes": "Page {page}, dans les notes",
        "link_to_page": "Aller à la page",
    },
    "es": {
        "note_abbr": "n.",
        "index_key_pages": "Cada entrada lleva a cada pasaje en que se cita a la persona: el título del texto y las páginas de la edición impresa en que figura el nombre; «{note}» es una nota de ese texto. El nombre lleva a {register}.",
        "index_key_places": "Cada entrada lleva a cada pasaje en que se cita a la persona: el título del texto y, para los pasajes siguientes, 2, 3 …; «{note}» es una nota de ese texto. El nombre lleva a {register}.",
        "register": "Personas citadas en los textos",
        "index_of_names": "Índice onomástico",
        "register_key": "Las personas citadas en los textos y en las notas, con sus fechas y unas palabras sobre quiénes fueron.",
        "register_key_pages": "El {index} da las páginas en que se cita a cada una.",
        "register_key_links": "El {index} lleva a cada pasaje en que se cita a cada una.",
        "index_key": "Las páginas de las notas se marcan con {mark}.",
        "index_note_mark": "n",
        "arrow_key_page": "Un nombre precedido de una flecha (→) tiene su entrada en {register} ({page}).",
        "arrow_key_link": "Un nombre precedido de una flecha (→) lleva a su entrada en {register}.",
        "contents": "Índice",
        "notes": "Notas",
        "emendations": "Lista de enmiendas",
        "colophon": "Colofón",
        "source": "Fuente",
        "editors_note": "Nota del editor",
        "note_mark": "N. del E.",
        "notes_to_page": "Notas a la página {page}",
        "notes_to_pages": "Notas a las páginas {pages}",
        "page": "p.",
        "pages": "pp.",
        "edited_by": "Edición de",
        "published_by": "Publicado por {publisher}, {year}",
        "version": "Versión {version}, {date}",
        "this_version": "Esta es la versión {version} de esta edición, del {date}.",
        "revision_history": "Historial de versiones",
        "extract": "Un extracto",
        "an_extract": "un extracto",  # within a sentence
        "and": "y",
        "notes_key": "Cada nota indica su número y la página del texto al que pertenece.",
        "notes_ours": "Las notas marcadas {mark} son de esta edición.",
        "notes_ours_and_authors": "Las notas marcadas {mark} son de esta edición; las demás, de los autores.",
        "emendations_key": "La lista da la página, la lectura de esta edición y, tras el corchete, la lectura de la "
                           "fuente, con el motivo del cambio.",
        "typeface": "El texto está compuesto en EB Garamond, la recreación de Georg Duffner de los tipos de Claude "
                    "Garamont, publicada bajo la SIL Open Font License.",
        "cover": "Cubierta",
        "title_page": "Portada",
        "start": "Inicio",
        "landmarks": "Puntos de referencia",
        "sources": "Fuentes",
        "revisions": "Historial de versiones",
        "this_edition": "Esta edición",
        "reason": "Motivo",
        "emendations_intro": "Cuando una fuente tiene un error evidente, esta edición lo corrige. Cada entrada "
                             "remite al lugar del texto y da la lectura de la fuente, la de esta edición y el motivo"
                             " del cambio.",
        "notes_all_ours": "Todas las notas son de esta edición.",
        "notes_all_texts": "Las notas son de los propios textos.",
        "notes_intro": "Las notas marcadas {label} son de esta edición; las demás, de los propios textos.",
        "link_note": "Nota {number}",
        "link_back_to_note": "Volver al texto de la nota {number}",
        "link_back_to_page": "Volver a la página de la nota {number}",
        "link_page": "Página {page}",
        "link_page_in_notes": "Página {page}, en las notas",
        "link_to_page": "Ir a la página",
    },
    "it": {
        "note_abbr": "n.",
        "index_key_pages": "Ogni voce rimanda a ogni passo in cui la persona è citata: il titolo del testo e le pagine dell’edizione a stampa in cui compare il nome; «{note}» è una nota di quel testo. Il nome rimanda a {register}.",
        "index_key_places": "Ogni voce rimanda a ogni passo in cui la persona è citata: il titolo del testo e, per i passi successivi, 2, 3 …; «{note}» è una nota di quel testo. Il nome rimanda a {register}.",
        "register": "Persone citate nei testi",
        "index_of_names": "Indice dei nomi",
        "register_key": "Le persone citate nei testi e nelle note, con le loro date e qualche parola su chi furono.",
        "register_key_pages": "L’{index} dà le pagine in cui ciascuna è citata.",
        "register_key_links": "L’{index} rimanda a ogni passo in cui ciascuna è citata.",
        "index_key": "Le pagine delle note sono segnate con {mark}.",
        "index_note_mark": "n",
        "arrow_key_page": "Un nome preceduto da una freccia (→) ha la sua voce in {register} ({page}).",
        "arrow_key_link": "Un nome preceduto da una freccia (→) rimanda alla sua voce in {register}.",
        "contents": "Indice",
        "notes": "Note",
        "emendations": "Elenco degli emendamenti",
        "colophon": "Colophon",
        "source": "Fonte",
        "editors_note": "Nota del curatore",
        "note_mark": "N.d.C.",
        "notes_to_page": "Note a pagina {page}",
        "notes_to_pages": "Note alle pagine {pages}",
        "page": "p.",
        "pages": "pp.",
        "edited_by": "A cura di",
        "published_by": "Pubblicato da {publisher}, {year}",
        "version": "Versione {version}, {date}",
        "this_version": "Questa è la versione {version} di questa edizione, del {date}.",
        "revision_history": "Cronologia delle versioni",
        "extract": "Un estratto",
        "an_extract": "un estratto",  # within a sentence
        "and": "e",
        "notes_key": "Ogni nota riporta il suo numero e la pagina del testo a cui si riferisce.",
        "notes_ours": "Le note segnate {mark} sono di questa edizione.",
        "notes_ours_and_authors": "Le note segnate {mark} sono di questa edizione; le altre sono degli autori.",
        "emendations_key": "L’elenco riporta la pagina, la lezione di questa edizione e, dopo la parentesi, la "
                           "lezione della fonte, con il motivo della correzione.",
        "typeface": "Il testo è composto in EB Garamond, la ripresa di Georg Duffner dei caratteri di Claude "
                    "Garamont, pubblicata con la SIL Open Font License.",
        "cover": "Copertina",
        "title_page": "Frontespizio",
        "start": "Inizio",
        "landmarks": "Punti di riferimento",
        "sources": "Fonti",
        "revisions": "Cronologia delle versioni",
        "this_edition": "Questa edizione",
        "reason": "Motivo",
        "emendations_intro": "Dove una fonte contiene un errore evidente, questa edizione lo corregge. Ogni voce "
                             "rimanda al punto del testo e riporta la lezione della fonte, quella di questa edizione"
                             " e il motivo della correzione.",
        "notes_all_ours": "Tutte le note sono di questa edizione.",
        "notes_all_texts": "Le note sono dei testi stessi.",
        "notes_intro": "Le note segnate {label} sono di questa edizione; le altre sono dei testi stessi.",
        "link_note": "Nota {number}",
        "link_back_to_note": "Torna al testo della nota {number}",
        "link_back_to_page": "Torna alla pagina della nota {number}",
        "link_page": "Pagina {page}",
        "link_page_in_notes": "Pagina {page}, nelle note",
        "link_to_page": "Vai alla pagina",
    },
    "ru": {
        "note_abbr": "прим.",
        "index_key_pages": "Каждая статья ведёт ко всем местам, где упомянуто лицо: название текста и страницы печатного издания, на которых стоит имя; «{note}» — примечание к этому тексту. Имя ведёт в раздел {register}.",
        "index_key_places": "Каждая статья ведёт ко всем местам, где упомянуто лицо: название текста и, для следующих мест в нём, 2, 3 …; «{note}» — примечание к этому тексту. Имя ведёт в раздел {register}.",
        "register": "Лица, упомянутые в текстах",
        "index_of_names": "Именной указатель",
        "register_key": "Лица, упомянутые в текстах и примечаниях, с датами жизни и краткой справкой.",
        "register_key_pages": "{index} даёт страницы, на которых упомянуто каждое из них.",
        "register_key_links": "{index} ведёт к каждому месту, где упомянуто каждое из них.",
        "index_key": "Страницы примечаний отмечены буквой {mark}.",
        "index_note_mark": "п",
        "arrow_key_page": "У имени со стрелкой (→) есть статья в разделе {register} ({page}).",
        "arrow_key_link": "Имя со стрелкой (→) ведёт к статье в разделе {register}.",
        "contents": "Содержание",
        "notes": "Примечания",
        "emendations": "Список исправлений",
        "colophon": "Выходные сведения",
        "source": "Источник",
        "editors_note": "Примечание редактора",
        "note_mark": "Ред.",
        "notes_to_page": "Примечания к странице {page}",
        "notes_to_pages": "Примечания к страницам {pages}",
        "page": "с.",
        "pages": "с.",
        "edited_by": "Под редакцией",
        "published_by": "Издатель: {publisher}, {year}",
        "version": "Версия {version}, {date}",
        "this_version": "Это версия {version} данного издания от {date}.",
        "revision_history": "История версий",
        "extract": "Отрывок",
        "an_extract": "отрывок",  # within a sentence
        "and": "и",
        "notes_key": "У каждого примечания указаны номер и страница текста, к которому оно относится.",
        "notes_ours": "Примечания с пометкой {mark} принадлежат данному изданию.",
        "notes_ours_and_authors": "Примечания с пометкой {mark} принадлежат данному изданию, остальные — авторам.",
        "emendations_key": "В списке указаны страница, чтение данного издания и, после скобки, чтение источника с "
                           "причиной исправления.",
        "typeface": "Текст набран шрифтом EB Garamond — возрождением шрифтов Клода Гарамона, выполненным Георгом "
                    "Дуффнером и выпущенным под лицензией SIL Open Font License.",
        "cover": "Обложка",
        "title_page": "Титульный лист",
        "start": "Начало",
        "landmarks": "Ориентиры",
        "sources": "Источники",
        "revisions": "История версий",
        "this_edition": "Данное издание",
        "reason": "Причина",
        "emendations_intro": "Явные ошибки источника в данном издании исправлены. Каждая запись ведёт к месту в "
                             "тексте и указывает чтение источника, чтение данного издания и причину исправления.",
        "notes_all_ours": "Все примечания принадлежат данному изданию.",
        "notes_all_texts": "Все примечания принадлежат самим текстам.",
        "notes_intro": "Примечания с пометкой {label} принадлежат данному изданию, остальные — самим текстам.",
        "link_note": "Примечание {number}",
        "link_back_to_note": "Назад к тексту примечания {number}",
        "link_back_to_page": "Назад к странице примечания {number}",
        "link_page": "Страница {page}",
        "link_page_in_notes": "Страница {page}, в примечаниях",
        "link_to_page": "Перейти на страницу",
    },
}


def _primary(tag: str) -> str:
    return tag.replace("_", "-").split("-")[0].lower()


@dataclass(frozen=True)
class Words:
    """The fixed words of one language: `words.contents`, `words["notes"]`,
    `words("notes_to_pages", pages="12–30")`."""

    language: str
    table: dict

    def __getattr__(self, key: str) -> str:
        try:
            return self.__dict__["table"][key]
        except KeyError:
            raise AttributeError(key) from None

    def __getitem__(self, key: str) -> str:
        return self.table[key]

    def __call__(self, key: str, **values) -> Markup:
        return Markup(escape(self.table[key])).format(**values)

    def text(self, key: str, **values) -> str:
        """The same, filled in as plain text (for metadata and CSS strings)."""
        return self.table[key].format(**values)


def words(tag: str) -> Words:
    return Words(tag, CATALOGUE.get(_primary(tag), CATALOGUE["en"]))


def _babel_locale(tag: str):
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(tag.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        try:
            return Locale.parse(_primary(tag))
        except (UnknownLocaleError, ValueError):
            return Locale.parse("en")


ENGLISH_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                  "November", "December")


def long_date(iso: str, tag: str = "en") -> str:
    """'1926-01-09' -> 'January 9, 1926' (en), '9. Januar 1926' (de);
    '1941-08' -> 'August 1941'; '1941' stays. Anything that is not an ISO
    date (a source's own wording) is kept as it is."""
    if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", iso):
        return iso
    parts = [int(part) for part in iso.split("-")]
    if len(parts) == 1:
        return iso
    if tag in ("en", "en-US") and 1 <= parts[1] <= 12:  # Babel's English formats, without loading Babel
        month = ENGLISH_MONTHS[parts[1] - 1]
        return f"{month} {parts[0]}" if len(parts) == 2 else f"{month} {parts[2]}, {parts[0]}"
    from babel.dates import format_date, format_skeleton

    locale = _babel_locale(tag)
    if len(parts) == 2:
        return format_skeleton("yMMMM", date(parts[0], parts[1], 1), locale=locale)
    return format_date(date(*parts), "long", locale=locale)


def shown_date(iso: str, wording: str, tag: str = "en") -> str:
    """The date an edition prints for a text: a full ISO date in the
    edition's own style (one style for the whole book), else the source's
    wording (`date_text`, for a vague date) when there is one."""
    if wording and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", iso):
        return wording
    return long_date(iso, tag)


def page_ranges(text: str, fixed: Words) -> str:
    """A typographer's rule for source lines: "p. 44-46" -> "pp. 44–46" (an
    en dash between the numbers, a no-break space after the abbreviation, in
    the edition's language). Only a range of numbers after the language's
    abbreviation for page or pages is touched: "Vol. 5-6" or "1926-27" stay."""
    abbreviations = "|".join(re.escape(a) for a in sorted({fixed.page, fixed.pages}, key=len, reverse=True))
    pattern = re.compile(rf"(?<!\w)(?:{abbreviations})\s?(\d+)\s?[-\u2010\u2013]\s?(\d+)(?!\d)")
    # A quotation ("as cited by the copy (“…, p. 44-46”)") is the witness's words: left as they are.
    pieces = re.split(r"(“[^”]*”|«[^»]*»|„[^“”]*[“”])", text)
    return "".join(piece if index % 2 else
                   pattern.sub(lambda match: f"{fixed.pages}\xa0{match.group(1)}\u2013{match.group(2)}", piece)
                   for index, piece in enumerate(pieces))
