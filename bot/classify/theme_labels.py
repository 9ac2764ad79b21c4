"""Names for themes: whole words a person would use, never a customer's name.

A theme is named by the phrases frequent among its members and rare in the process's other
themes: class-based TF-IDF, ``tf(t, theme) * log(1 + A / f(t))`` with A the mean phrases
per theme and f(t) the phrase's count over the whole process (BERTopic's c-TF-IDF). What
this module adds to the maths is the phrases themselves (issue 23 item 4: "freeze · odd
remote", "card without · couple payments" were names):

* A phrase is a run of words one member wrote, within one clause: it starts and ends with a
  content word and holds function words only inside ("top-up with a cheque", never "card
  without"), and no word that links clauses or is a pronoun ("and", "that", "I", "was").
  Articles and possessives do not count, so "verify my identity" and "verify your identity"
  are one phrase, shown as its members say it most.
* The best phrase grows into the longest phrase around it that half its speakers say
  ("disposable" -> "disposable virtual card"). A second phrase is added only when a quarter
  as many members say it and a third of them say the first too: never two fragments from
  different remarks; and when both are said as one phrase, that phrase is the name.
* "top up", "log in" and the like are one word, as "top-up" is (never "top").
* Words are read from the original text with Unicode word characters, so "arrivé" stays
  "arrivé" (the classifier's ASCII tokens would cut it to "arriv"); inflections still share
  one count through the stemmer, and each is shown in the form its members use most.
* A hyphenated compound ("top-up", "e-mail") is one word, shown as written.
* Function words of English, French, Spanish and German, number words, and words under
  three letters (acronyms such as "VAT" or "UI" excepted) never name a theme; a word that
  qualifies what follows it ("next", "last", "long", "nearest") never ends a phrase, and a
  general verb ("find", "take", "help") is never a part by itself.
* No two themes of one process share a name (the same content words, in any order): each
  adds the phrase of its own members that sets it apart ("alarm" three times became
  "alarm at dawn", "silence the alarm", "alarm"), so a reader can tell them apart wherever
  themes are shown (digest, App Home, read API, ``earshot classify --themes``).
* No customer's name: the names the caller excludes (the workspace's registered customers,
  their aliases, the customers named on the members) are cut out of the text first, in any
  case and with or without their accents ("societe generale" for "Société Générale"), and a
  run of two or more capitalised words ("Harbor Goods") or a word capitalised wherever it
  appears mid-sentence is taken for a name and left out too (not in German, where every
  noun is capitalised).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping

from .text import STOPWORDS, stem

LABEL_WORDS = 3  # content words in a name at most, but for two equally said phrases of two
# words each ("old price · renewal invoice")
PHRASE_WORDS = 3  # content words in one phrase at most
NO_WORDS = "(no words)"
SPAN = 4  # words in one phrase at most, function words inside counted
PHRASE_WEIGHT = 1.3  # a phrase's c-TF-IDF over a single word's
GROW = 0.5  # a longer phrase replaces the best one when this share of its speakers say it
SECOND = 0.25  # a second phrase: said by this share as many members as the first ...
JOIN = 0.2  # two such phrases said as one by this share of the second's speakers: one name
TOGETHER = 0.3  # ... and this share of them say the first too (not an unrelated fragment)

# Slack markup and emoji: never words of a remark.
_MARKUP = re.compile(r"<[^>\n]*>|:[a-z0-9_+\-']+:")
# A hyphenated compound is one word: "top-ups" names a theme, "ups" alone does not.
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_APOSTROPHE = re.compile(r"['’]")
# Where a sentence (or a clause a bigram must not bridge) ends.
_BREAK = re.compile(r"[.!?;:,()\[\]\"“”—–\n]+")

_EN = """a about above after again against all also am an and any are as at be because been
before being below between both but by can could did do does doing down during each even
ever every few for from further get gets got had has have having he her here hers him his how
i if in into is it its just like me more most much my no nor not now of off on once one only
or other our out over own per please really same she should so some still such than that the
their them then there these they this those through to too under until up upon us very via
was we were what when where which while who whom whose why will with would yet you your
yes no ok okay hi hey hello thanks thank also again already always never maybe said says
told tell asked ask say see saw seen let lets make made going want wants need needs know
many quite
without within across along around behind beyond toward towards among since though
although unless whether onto ago
today yesterday tomorrow week weeks day days time times month months year years lot lots
thing things something anything nothing everyone everything someone
don isn wasn doesn didn won aren couldn shouldn wouldn haven hasn hadn
""".split()
_FR = """au aux avec ce ces cet cette dans de des du elle elles en et eux il ils je la le les
leur leurs lui ma mais me mes moi mon ne nos notre nous on ou où par pas pour qu que qui sa
se ses son sur ta te tes toi ton tu un une vos votre vous est sont été être avoir ont avait
était fait faire plus très bien tout tous toute toutes encore aussi comme déjà jamais rien
chez depuis sans sous entre vers alors donc car si ni y ça cela ceci merci bonjour oui non
aujourd hui toujours
""".split()
_ES = """el la los las un una unos unas de del al y o u e ni que en por para con sin sobre
entre es son ser está están estar fue era ha han hay muy más menos pero como cuando donde
porque su sus mi mis tu tus nuestro nuestra nos se lo le les me te ya aún todavía también
otra otro otras otros todo toda todos todas esto esta este estos estas eso esa ese gracias
hola sí
""".split()
_DE = """der die das den dem des ein eine einer eines einem einen und oder aber nicht kein
keine ist sind war waren sein hat haben hatte wird werden wurde mit von zu zum zur im in am
an auf aus bei für über unter nach vor um durch ohne sehr noch schon auch nur wie wenn dass
ich du er sie es wir ihr uns euch mein dein sein ihre unser dies diese dieser dieses danke
hallo ja nein wieder mal immer
""".split()
_NUMBERS = """zero two three four five six seven eight nine ten eleven twelve twenty thirty
hundred thousand first second third half deux trois quatre cinq dix premier première dos tres
cuatro cinco diez primero primera zwei drei vier fünf zehn erste ersten
""".split()
# Function words a phrase never holds inside: they link clauses or name people, so a
# "phrase" across them joins two things ("refund and the app", "card I ordered").
_NO_JOIN = frozenset(
    """and but because so if than then that which who whom whose while when where although
    though unless whether i me you he she it we they them us
    is are was were been be am do does did have has had will would can could should
    et mais car donc que qui je tu il elle nous vous ils elles y pero porque und aber dass
    ich don isn wasn doesn didn won aren couldn shouldn wouldn haven hasn hadn""".split()
)
# Articles and possessives: inside a phrase they change nothing about it, so "verify my
# identity" and "verify your identity" count as one phrase (shown as its members say it).
_TRANSPARENT = frozenset("a an the my your our their his her its le la les un une el los".split())
# Words that qualify what follows them ("next holiday", "last transactions", "how long"):
# they may start a phrase or sit inside one, but a phrase never ends with one and one is
# never a name on its own ("holiday · next", "bus · long", "directions to the nearest").
MODIFIERS = frozenset(
    """last next current latest nearest closest recent previous long far right full new
    possible available""".split()
)
# Verbs too general to say anything alone ("rental · find", "money · help", "bus · take"):
# part of a phrase ("find my PIN", "book a train ticket"), never a part of a name by itself.
LIGHT_VERBS = frozenset(
    """find finding found take takes took taken taking give gives gave given giving help helps
    helped helping look looks looked looking show shows showed shown showing put puts putting
    use uses used using try tries tried trying come comes came coming go goes went gone keep
    keeps kept keeping""".split()
)
# Verbs whose particle is part of the word: "top up" is "top-up", never "top".
_PARTICLE = re.compile(r"\b(top|sign|log|set|cash|pay|check)\s+(up|in|out|on)\b", re.IGNORECASE)
STOP = frozenset(STOPWORDS) | frozenset(_EN + _FR + _ES + _DE + _NUMBERS)
# German capitalises every noun, so in German text capitals say nothing about names.
_GERMAN = frozenset(_DE) - frozenset(_EN)


def _fold(word: str) -> str:
    """Lower case without accents: the key inflections and spellings share."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _is_acronym(token: str) -> bool:
    return len(token) >= 2 and token.isupper()


def _shown(token: str, sentence_start: bool) -> str:
    """How a word is shown: as written, except a capital only there because the word starts
    a sentence ("Invoices were late" shows "invoices")."""
    if sentence_start and token[:1].isupper() and not _is_acronym(token) and token[1:].islower():
        return token.lower()
    return token


_MARKS = "[\u0300-\u036f]*"  # combining accents, as NFD writes them after their letter


def _loose(word: str) -> str:
    """A pattern for a name's word with or without its accents (run on NFD text)."""
    return "".join(re.escape(ch) + (_MARKS if ch.isalpha() else "") for ch in _fold(word))


def _excluder(names: Iterable[str]) -> re.Pattern[str] | None:
    """Any of the names, in any case, with or without accents ("Société Générale" is also
    "societe generale"): to be run on NFD text (``_cut``)."""
    phrases = sorted({" ".join(n.split()) for n in names if n and n.strip()}, key=len, reverse=True)
    if not phrases:
        return None
    alternatives = "|".join(r"\s+".join(map(_loose, p.split())) for p in phrases)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def _cut(text: str, exclude: re.Pattern[str]) -> str:
    return unicodedata.normalize("NFC", exclude.sub(" , ", unicodedata.normalize("NFD", text)))


def _word(token: str) -> str:
    """An elided or contracted word's own part: n'est -> est, d'attente -> attente,
    month's -> month, they're -> they (the longest part)."""
    if not _APOSTROPHE.search(token):
        return token
    return max(_APOSTROPHE.split(token), key=len)


def _clauses(text: str, exclude: re.Pattern[str] | None) -> list[list[tuple[str, bool]]]:
    """The text's clauses, each a list of (word, starts its sentence); excluded names and
    Slack markup become clause breaks, so no phrase is made across them."""
    text = _MARKUP.sub(" . ", text)
    if exclude is not None:
        text = _cut(text, exclude)
    out: list[list[tuple[str, bool]]] = []
    sentence_start = True
    for piece in re.split(r"([.!?\n]+|[;:,()\[\]\"“”—–]+)", text):
        if not piece.strip():
            continue
        if _BREAK.fullmatch(piece.strip()):
            sentence_start = sentence_start or bool(re.search(r"[.!?\n]", piece))
            continue
        words = [_word(w) for w in _WORD.findall(_PARTICLE.sub(r"\1-\2", piece))]
        if words:
            out.append([(w, sentence_start and i == 0) for i, w in enumerate(words)])
            sentence_start = False
    return out


def _names_in(clauses: list[list[tuple[str, bool]]]) -> set[int]:
    """Positions (clause, word) of capitalised runs of two or more words: names."""
    found: set[int] = set()
    flat = 0
    for clause in clauses:
        run: list[int] = []
        for i, (w, _) in enumerate(clause):
            if w[:1].isupper() and not _is_acronym(w) and w.casefold() not in STOP:
                run.append(flat + i)
            else:
                if len(run) >= 2:
                    found.update(run)
                run = []
        if len(run) >= 2:
            found.update(run)
        flat += len(clause)
    return found


class _Words:
    """What the members of one process say, phrase by phrase, for naming its themes."""

    def __init__(self, exclude: Iterable[str]) -> None:
        self.exclude = _excluder(exclude)
        self.forms: dict[str, Counter[str]] = {}
        self.lower_seen: set[str] = set()  # keys seen in lower case somewhere
        self.capital_mid: set[str] = set()  # keys seen capitalised mid-sentence

    def terms(self, text: str) -> set[str]:
        """The text's phrase keys: every run of up to ``SPAN`` words of one clause that starts
        and ends with a content word, function words only inside ("VAT number on invoices",
        never "card without"); a remark counts a phrase once."""
        clauses = _clauses(text, self.exclude)
        german = sum(w.casefold() in _GERMAN for clause in clauses for w, _ in clause) >= 2
        named = set() if german else _names_in(clauses)
        terms: set[str] = set()
        flat = 0
        for clause in clauses:
            run: list[tuple[str, str, bool]] = []  # (key, shown, content) between names
            for i, (w, first) in enumerate(clause + [("", False)]):
                if not w or flat + i in named:
                    self._phrases(run, terms)
                    run = []
                    continue
                shown = _shown(w, first and not german)
                key = self._key(w, first and not german, german)
                folded = _fold(w)
                glue = "" if folded in _TRANSPARENT else "_" + folded
                run.append((key or glue, shown, key is not None))
            flat += len(clause)
        return terms

    def _phrases(self, run: list[tuple[str, str, bool]], terms: set[str]) -> None:
        for i, (_, _, content) in enumerate(run):
            if not content:
                continue
            for j in range(i, min(i + SPAN, len(run))):
                if not run[j][2] or _fold(run[j][1]) in MODIFIERS:
                    continue
                if i == j and _fold(run[i][1]) in LIGHT_VERBS:
                    continue
                span = run[i : j + 1]
                if sum(c for _, _, c in span) > PHRASE_WORDS or any(
                    k[1:] in _NO_JOIN for k, _, c in span if k and not c
                ):
                    continue
                key = " ".join(k for k, _, _ in span if k)
                terms.add(key)
                if " " in key:
                    self.forms.setdefault(key, Counter())[" ".join(s for _, s, _ in span)] += 1

    def _key(self, word: str, sentence_start: bool, german: bool) -> str | None:
        """A content word's key (its stem), None for a function word."""
        folded = _fold(word)
        if folded in STOP or word.casefold() in STOP:
            return None
        if len(folded) < 3 and not _is_acronym(word):
            return None
        key = stem(folded)
        self.forms.setdefault(key, Counter())[_shown(word, sentence_start)] += 1
        if word[:1].islower():
            self.lower_seen.add(key)
        elif not sentence_start and not german and not _is_acronym(word):
            self.capital_mid.add(key)
        return key

    def proper(self, term: str) -> bool:
        """A word only ever written capitalised, and so mid-sentence: taken for a name."""
        return any(k in self.capital_mid and k not in self.lower_seen for k in content(term))

    def shown(self, term: str) -> str:
        """As the members write it; in a phrase, a word lowered only because it started a
        sentence ("Rechnung falsch und ...") takes the case it has as a word of its own."""
        form = self.forms[term].most_common(1)[0][0]
        if " " not in term:
            return form
        return " ".join(self._cased(w) for w in form.split())

    def _cased(self, word: str) -> str:
        own = self.forms.get(stem(_fold(word)))
        best = own.most_common(1)[0][0] if own else word
        return best if best.casefold() == word.casefold() else word


def content(term: str) -> list[str]:
    """A phrase key's content words (function words are kept inside keys with a "_")."""
    return [k for k in term.split() if not k.startswith("_")]


def labels(members: Mapping[int, Iterable[str]], *, exclude: Iterable[str] = ()) -> dict[int, str]:
    """A name for each theme of one process from its members' texts, no two alike;
    ``exclude``: names that must never appear in one (customers, their aliases)."""
    words = _Words(exclude)
    said: dict[int, list[set[str]]] = {}
    per: dict[int, Counter[str]] = {}
    for key, texts in members.items():
        said[key] = [words.terms(text) for text in texts]
        per[key] = Counter(t for terms in said[key] for t in terms)  # remarks, not mentions
    total: Counter[str] = Counter()
    for c in per.values():
        total.update(c)
    mean_words = (sum(total.values()) / len(per)) if per else 0.0
    chosen = {key: _name(words, said[key], c, total, mean_words) for key, c in per.items()}
    _distinct(words, said, per, chosen)
    return {key: _show(words, terms) for key, terms in chosen.items()}


def _show(words: _Words, terms: list[str]) -> str:
    """The name as shown: its parts as members write them, a number ("(2)") after them."""
    if not terms:
        return NO_WORDS
    shown = " · ".join(words.shown(t) for t in terms if not t.startswith("("))
    return " ".join([shown, *(t for t in terms if t.startswith("("))])


def _said(terms: list[str]) -> frozenset[str]:
    """What a name says: its content words, in any order and part ("set alarm" is "alarm
    set", "card · card" is "card")."""
    return frozenset(k for t in terms for k in content(t))


def _distinct(
    words: _Words, said: dict[int, list[set[str]]], per: dict[int, Counter[str]],
    chosen: dict[int, list[str]],
) -> None:
    """Themes of one process that would get the same name ("alarm" three times) each get
    the phrase of their own members that sets them apart from the others of that name
    ("alarm · wake", "cancel the alarm"), chosen as the name is, by class-based TF-IDF but
    among those themes only; the biggest theme chooses first, the older on a tie. A theme
    with no such phrase is numbered ("alarm (2)") after the oldest such one, by key."""
    same: dict[frozenset[str], list[int]] = {}
    for key, terms in chosen.items():
        if terms:
            same.setdefault(_said(terms), []).append(key)
    used = set(same)  # every name as first chosen, so no theme is renamed into another's
    for keys in sorted(same.values(), key=min):
        if len(keys) < 2:
            continue
        total: Counter[str] = Counter()
        for k in keys:
            total.update(per[k])
        mean_words = sum(total.values()) / len(keys)
        left: list[int] = []
        for k in sorted(keys, key=lambda k: (-len(said[k]), k)):
            apart = _apart(words, said[k], per[k], total, mean_words, chosen[k], used)
            if apart is None:
                left.append(k)
            else:
                chosen[k] = apart
                used.add(_said(apart))
        for i, k in enumerate(sorted(left)[1:], start=2):  # the oldest keeps the name
            chosen[k] = [*chosen[k], f"({i})"]


def _apart(
    words: _Words, said: list[set[str]], c: Counter[str], total: Counter[str],
    mean_words: float, base: list[str], used: set[frozenset[str]],
) -> list[str] | None:
    """The theme's name with the best phrase of its members the name does not hold added
    (or, with a one-part name, the phrase holding both that its members say), when no other
    theme of the process has that name: a phrase two members say if there is one, else one
    member's; None when there is none."""
    have = _said(base)
    for floor in sorted({min(2, max(c.values(), default=1)), 1}, reverse=True):
        scored = sorted(
            (
                (n * math.log(1 + mean_words / total[t]) * (PHRASE_WEIGHT if " " in t else 1.0), t)
                for t, n in c.items()
                if n >= floor and not words.proper(t) and not set(content(t)) & have
            ),
            key=lambda st: (-st[0], st[1]),
        )
        for _, t in scored:
            grown = _grown(t, c, words, floor)
            if not set(content(grown)) & have:
                t = grown
            joined = _joined(base[0], t, c, words, floor) if len(base) == 1 else None
            terms = [joined] if joined is not None else [*base, t]
            if _said(terms) not in used:
                return terms
    return None


def _name(
    words: _Words, said: list[set[str]], c: Counter[str], total: Counter[str], mean_words: float
) -> list[str]:
    """The theme's best phrase, grown to the longest phrase around it that most of its
    speakers say; then a second phrase only when it is said with the first and often."""
    # In a theme of several remarks a name is a phrase at least two of them use.
    floor = min(2, max(c.values(), default=1))
    scored = sorted(
        (
            (n * math.log(1 + mean_words / total[t]) * (PHRASE_WEIGHT if " " in t else 1.0), t)
            for t, n in c.items()
            if n >= floor and not words.proper(t)
        ),
        key=lambda st: (-st[0], st[1]),
    )
    chosen: list[str] = []
    covered: set[str] = set()
    for _, t in scored:
        parts = set(content(t))
        if parts & covered:
            continue
        if chosen:
            head = chosen[0]
            both = sum(head in terms and t in terms for terms in said)
            if c[t] < SECOND * c[head] or both < TOGETHER * c[t]:
                continue
        t = _grown(t, c, words, floor)
        size = len(covered | set(content(t)))
        if set(content(t)) & covered or size > LABEL_WORDS + 1:
            continue
        if size > LABEL_WORDS and not (len(content(t)) > 1 and c[t] >= c[chosen[0]]):
            continue
        joined = _joined(chosen[0], t, c, words, floor) if chosen else None
        if joined is not None:  # "identity · verify" -> "verify my identity"
            chosen[0] = joined
            covered = set(content(joined))
            continue
        chosen.append(t)
        covered |= set(content(t))
        if len(chosen) == 2 or len(covered) >= LABEL_WORDS:
            break
    return chosen


def _joined(
    head: str, second: str, c: Counter[str], words: _Words, floor: int
) -> str | None:
    """The most common phrase holding both, in either order ("pending" and "payment" ->
    "pending payment"), when at least JOIN of the second's speakers say it."""
    want = set(content(head)) | set(content(second))
    found = [
        (n, t)
        for t, n in c.items()
        if n >= max(floor, JOIN * c[second]) and set(content(t)) == want and not words.proper(t)
    ]
    return max(found)[1] if found else None


def _grown(term: str, c: Counter[str], words: _Words, floor: int) -> str:
    """The longest phrase holding ``term`` that at least GROW of its speakers say ("declined"
    -> "card payment declined"), ties to the more common."""
    best, best_key = term, (len(term.split()), c[term])
    inner = " " + term + " "
    for t, n in c.items():
        if n >= max(floor, GROW * c[term]) and inner in " " + t + " " and not words.proper(t):
            k = (len(t.split()), n)
            if k > best_key:
                best, best_key = t, k
    return best
